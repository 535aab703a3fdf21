package investigate

import "bytes"

// anyCaseLimit: files up to this size are searched for phpinfo in any
// case (PhpInfo, PHPINFO...); longer ones only for the usual spellings,
// found with the vectorised bytes.Index. A leak page is a line or two.
const anyCaseLimit = 4 << 10

// callsPhpinfo reports a call to phpinfo( in PHP source. PHP function
// names ignore case; a method or a name inside a longer identifier
// ($x->phpinfo(, my_phpinfo() is not the built-in.
func callsPhpinfo(content []byte) bool {
	if len(content) > anyCaseLimit {
		first := len(content)
		for _, spelling := range []string{"phpinfo", "PHPINFO", "phpInfo", "PhpInfo", "PHPInfo"} {
			if i := bytes.Index(content, []byte(spelling)); i >= 0 {
				first = min(first, i)
			}
		}
		if first == len(content) {
			return false
		}
		return callsPhpinfoFrom(content, max(0, first-1))
	}
	return callsPhpinfoFrom(content, 0)
}

func callsPhpinfoFrom(content []byte, from int) bool {
	const name = "phpinfo"
	for i := from; i+len(name) <= len(content); i++ {
		if toLower(content[i]) != 'p' || !equalFoldASCII(content[i:i+len(name)], name) {
			continue
		}
		if i > 0 && (isNameByte(content[i-1]) || content[i-1] == '>' || content[i-1] == ':') {
			continue
		}
		j := i + len(name)
		for j < len(content) && (content[j] == ' ' || content[j] == '\t') {
			j++
		}
		if j < len(content) && content[j] == '(' {
			return true
		}
	}
	return false
}

func equalFoldASCII(b []byte, lower string) bool {
	for i := range len(lower) {
		if toLower(b[i]) != lower[i] {
			return false
		}
	}
	return true
}
