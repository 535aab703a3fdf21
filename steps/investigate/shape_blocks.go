package investigate

import "bytes"

// blockStack follows the nesting of a configuration file by indentation,
// so a value knows the block it sits in:
//
//	'crypt' => [
//	    'key' => '…',      in block crypt
//
// It reads only each line's indentation and last character, so a file
// costs next to nothing more than its line scan.
type blockStack struct {
	blocks []block
}

type block struct {
	indent int
	name   string
}

// maxBlockDepth bounds the stack, whatever the file.
const maxBlockDepth = 32

// enter returns the name of the block the line is in.
func (s *blockStack) enter(line []byte) string {
	ind := indentOf(line)
	if ind < 0 {
		return s.top()
	}
	for len(s.blocks) > 0 && s.blocks[len(s.blocks)-1].indent >= ind {
		s.blocks = s.blocks[:len(s.blocks)-1]
	}
	return s.top()
}

// leave records a block the line opens: a name followed by [ { ( or
// array(, or a YAML key with nothing after its colon.
func (s *blockStack) leave(line []byte) {
	t := bytes.TrimRight(line, " \t\r")
	ind := indentOf(t)
	if ind < 0 || len(s.blocks) >= maxBlockDepth {
		return
	}
	var at int
	switch t[len(t)-1] {
	case '[', '{', '(', ':':
		at = len(t) - 1
		if t[at] == '(' && at >= 5 && string(t[at-5:at]) == "array" {
			at -= 5
		}
		if t[at] == ':' {
			at++ // YAML: the name is read before the colon
		}
	default:
		return
	}
	n := nameBefore(t, at)
	name := ""
	if len(n.segments) > 0 {
		name = n.segments[len(n.segments)-1]
	}
	s.blocks = append(s.blocks, block{ind, name})
}

func (s *blockStack) top() string {
	if len(s.blocks) == 0 {
		return ""
	}
	return s.blocks[len(s.blocks)-1].name
}

// indentOf returns the indentation of a line, or -1 for a blank one.
func indentOf(line []byte) int {
	for i, c := range line {
		if c != ' ' && c != '\t' {
			if c == '\r' {
				return -1
			}
			return i
		}
	}
	return -1
}

// inlineBlock returns the name of the block a value's name opens on the
// same line: 'crypt' => ['key' => '…'] gives crypt.
func inlineBlock(line []byte, n naming) string {
	i := n.start - 1
	for i >= 0 && (isQuote(line[i]) || isSpace(line[i])) {
		i--
	}
	if i < 0 || line[i] != '[' && line[i] != '{' && line[i] != '(' {
		return ""
	}
	outer := nameBefore(line, i)
	if len(outer.segments) == 0 {
		return ""
	}
	return outer.segments[len(outer.segments)-1]
}
