package investigate

import "bytes"

// nginxRoots returns the paths of the root directives inside server
// blocks of an nginx configuration (in a location block too: it serves
// its address below that root). Absolute paths only: a relative one
// depends on nginx's build prefix, and one with a variable ($host)
// names no single folder.
func nginxRoots(content []byte) []string {
	if !bytes.Contains(content, []byte("root")) {
		return nil
	}
	var roots []string
	var blocks []string // names of the enclosing blocks: http, server, location...
	var stmt []string
	inServer := func() bool {
		for _, b := range blocks {
			if b == "server" {
				return true
			}
		}
		return false
	}
	for tok := range nginxTokens(content) {
		switch tok {
		case ";":
			if len(stmt) == 2 && stmt[0] == "root" && inServer() {
				if root, ok := configPath(stmt[1]); ok {
					roots = append(roots, root)
				}
			}
			stmt = stmt[:0]
		case "{":
			name := ""
			if len(stmt) > 0 {
				name = stmt[0]
			}
			blocks = append(blocks, name)
			stmt = stmt[:0]
		case "}":
			if len(blocks) > 0 {
				blocks = blocks[:len(blocks)-1]
			}
			stmt = stmt[:0]
		default:
			stmt = append(stmt, tok)
		}
	}
	return roots
}

// nginxTokens yields the words of an nginx configuration, and ";", "{"
// and "}" as tokens of their own. Comments (# to the end of the line) are
// dropped; quotes are removed from quoted words.
func nginxTokens(content []byte) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for i := 0; i < len(content); {
			c := content[i]
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
				i++
			case c == '#':
				end := bytes.IndexByte(content[i:], '\n')
				if end < 0 {
					return
				}
				i += end + 1
			case c == ';' || c == '{' || c == '}':
				if !yield(string(c)) {
					return
				}
				i++
			case c == '"' || c == '\'':
				end := quotedEnd(content, i)
				word := content[i+1 : max(i+1, end-1)]
				if !yield(string(bytes.ReplaceAll(word, []byte{'\\', c}, []byte{c}))) {
					return
				}
				i = end
			default:
				j := i
				for j < len(content) && !nginxSeparator(content[j]) {
					j++ // a # inside a word is part of it, as nginx reads it
				}
				if !yield(string(content[i:j])) {
					return
				}
				i = j
			}
		}
	}
}

func nginxSeparator(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ';', '{', '}':
		return true
	}
	return false
}
