package investigate

// callsPhpinfo reports a call to phpinfo( in PHP source. PHP function
// names ignore case; a method or a name inside a longer identifier
// ($x->phpinfo(, my_phpinfo() is not the built-in.
func callsPhpinfo(content []byte) bool {
	const name = "phpinfo"
	for i := 0; i+len(name) <= len(content); i++ {
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
