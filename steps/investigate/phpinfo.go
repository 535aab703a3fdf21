package investigate

import "bytes"

// callsPhpinfo reports a phpinfo page: PHP source that calls phpinfo() as
// code, or a page of phpinfo's HTML output saved as a file (its title
// says phpinfo() too).
//
// Only code counts: inline HTML outside <?php ... ?>, comments and strings
// are skipped the way PHP reads them, since every WordPress install has
// wp-admin/includes/class-wp-filesystem-ssh2.php, whose doc comment says
// "Check phpinfo() streams". PHP function names ignore case; a method or a
// name inside a longer identifier ($x->phpinfo(, my_phpinfo() is not the
// built-in.
func callsPhpinfo(content []byte) bool {
	return mentionsPhpinfo(content) && (phpCallsPhpinfo(content) || isPhpinfoOutput(content))
}

// mentionsPhpinfo is the cheap test that lets almost every file skip the
// reading below: the word phpinfo in any case, anchored on its 'f' (a
// letter rarer in code and text than those of "nfo"), found with the
// vectorised bytes.IndexByte.
func mentionsPhpinfo(content []byte) bool {
	for _, anchor := range []byte{'f', 'F'} {
		for off := 0; off < len(content); {
			i := bytes.IndexByte(content[off:], anchor)
			if i < 0 {
				break
			}
			if at := off + i - len("phpin"); at >= 0 && hasPrefixFold(content[at:], "phpinfo") {
				return true
			}
			off += i + 1
		}
	}
	return false
}

// isPhpinfoOutput reports phpinfo's HTML output: its heading
// (<h1 class="p">PHP Version 8.2.7</h1>, or the page title "phpinfo()")
// with rows of its first table. This is the shape the HTTP probes match.
func isPhpinfoOutput(content []byte) bool {
	heading := bytes.Contains(content, []byte(`<h1 class="p">PHP Version `)) ||
		bytes.Contains(content, []byte("phpinfo()</title>")) && bytes.Contains(content, []byte("PHP Version"))
	return heading && (bytes.Contains(content, []byte("PHP Extension")) ||
		bytes.Contains(content, []byte("Configuration File (php.ini) Path")))
}

// phpCallsPhpinfo reads src as PHP does: text outside <?php ... ?> (or
// <?= ... ?>, or a short <? tag) is output, not code.
func phpCallsPhpinfo(src []byte) bool {
	for i := 0; i < len(src); {
		j := bytes.Index(src[i:], []byte("<?"))
		if j < 0 {
			return false
		}
		i += j + 2
		switch {
		case hasPrefixFold(src[i:], "xml"):
			continue // an XML declaration, not a PHP tag
		case hasPrefixFold(src[i:], "php"):
			i += 3
		case i < len(src) && src[i] == '=':
			i++
		}
		var found bool
		if i, found = phpCodeCallsPhpinfo(src, i); found {
			return true
		}
	}
	return false
}

// phpCodeCallsPhpinfo reads PHP code from i to its closing ?> and returns
// where the inline text resumes, or true at the first call of phpinfo.
func phpCodeCallsPhpinfo(src []byte, i int) (int, bool) {
	for i < len(src) {
		c, next := src[i], byte(0)
		if i+1 < len(src) {
			next = src[i+1]
		}
		switch {
		case c == '?' && next == '>':
			return i + 2, false
		case c == '#' && next != '[', c == '/' && next == '/':
			i = phpLineCommentEnd(src, i)
		case c == '/' && next == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return len(src), false
			}
			i += 2 + end + 2
		case c == '\'' || c == '"' || c == '`':
			i = quotedEnd(src, i)
		case c == '<' && bytes.HasPrefix(src[i:], []byte("<<<")):
			i = heredocEnd(src, i)
		case (c == 'p' || c == 'P') && phpinfoCallAt(src, i):
			return i, true
		default:
			i++
		}
	}
	return i, false
}

// phpLineCommentEnd: a // or # comment ends at the end of the line, or
// just before a ?> that closes the code.
func phpLineCommentEnd(src []byte, i int) int {
	for ; i < len(src); i++ {
		if src[i] == '\n' || src[i] == '?' && i+1 < len(src) && src[i+1] == '>' {
			return i
		}
	}
	return i
}

// quotedEnd returns the index after the string that starts at i (its
// quote is src[i]); a backslash escapes the next byte.
func quotedEnd(src []byte, i int) int {
	quote := src[i]
	for i++; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case quote:
			return i + 1
		}
	}
	return i
}

// heredocEnd returns the index after the heredoc or nowdoc that starts at
// i (<<<ID, <<<"ID" or <<<'ID'); its end is ID at the start of a line,
// after optional indentation (PHP 7.3). Anything else is skipped as <<<.
func heredocEnd(src []byte, i int) int {
	j := i + 3
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	if j < len(src) && (src[j] == '"' || src[j] == '\'') {
		j++
	}
	start := j
	for j < len(src) && isPHPIdentByte(src[j]) {
		j++
	}
	id := src[start:j]
	if len(id) == 0 {
		return i + 3
	}
	nl := bytes.IndexByte(src[j:], '\n')
	if nl < 0 {
		return len(src)
	}
	for line := j + nl + 1; line < len(src); {
		k := line
		for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
			k++
		}
		if bytes.HasPrefix(src[k:], id) && (k+len(id) == len(src) || !isPHPIdentByte(src[k+len(id)])) {
			return k + len(id)
		}
		next := bytes.IndexByte(src[line:], '\n')
		if next < 0 {
			break
		}
		line += next + 1
	}
	return len(src)
}

// phpinfoCallAt reports the built-in phpinfo called at i: the name alone
// (or as \phpinfo), not a method (->, ?->, ::), a variable or a longer
// name, followed by an opening parenthesis.
func phpinfoCallAt(src []byte, i int) bool {
	const name = "phpinfo"
	if !hasPrefixFold(src[i:], name) {
		return false
	}
	if i > 0 {
		if prev := src[i-1]; isPHPIdentByte(prev) || prev == '$' || prev == '>' || prev == ':' {
			return false
		}
	}
	j := i + len(name)
	for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\n' || src[j] == '\r') {
		j++
	}
	return j < len(src) && src[j] == '(' && !declaresFunction(src[:i])
}

// declaresFunction reports code ending with the word "function", as in a
// namespaced "function phpinfo()" of its own.
func declaresFunction(before []byte) bool {
	before = bytes.TrimRight(before, " \t\r\n")
	const kw = "function"
	return len(before) >= len(kw) && hasPrefixFold(before[len(before)-len(kw):], kw) &&
		(len(before) == len(kw) || !isPHPIdentByte(before[len(before)-len(kw)-1]))
}

// isPHPIdentByte reports bytes of PHP names: letters, digits, _ and any
// byte of a non-ASCII character.
func isPHPIdentByte(c byte) bool {
	return c == '_' || c >= 0x80 || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func hasPrefixFold(b []byte, lower string) bool {
	return len(b) >= len(lower) && equalFoldASCII(b[:len(lower)], lower)
}

// indexFold is the index of lower in b ignoring ASCII case, or -1.
func indexFold(b []byte, lower string) int {
	for i := 0; i+len(lower) <= len(b); i++ {
		if toLower(b[i]) == lower[0] && equalFoldASCII(b[i:i+len(lower)], lower) {
			return i
		}
	}
	return -1
}

func equalFoldASCII(b []byte, lower string) bool {
	for i := range len(lower) {
		if toLower(b[i]) != lower[i] {
			return false
		}
	}
	return true
}
