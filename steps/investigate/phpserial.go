package investigate

import (
	"bytes"
	"strings"
)

// serializedValues finds Mailjet credentials in PHP-serialized options,
// as WordPress stores them (WP Mail SMTP's wp_mail_smtp option:
// s:7:"mailjet";a:2:{s:7:"api_key";s:32:"KEY";s:10:"secret_key";s:32:"SECRET";})
// also inside SQL dumps, which escape the quotes (\"). The name of each
// value is the array key before it, which the line scanner cannot see.
// mailjetAt are the offsets of "mailjet" from the pre-search: parsing
// starts only at a serialized string holding that word.
func serializedValues(content []byte, mailjetAt []int) []value {
	var out []value
	lastEnd := -1
	for _, o := range mailjetAt {
		start, esc, ok := serialStringStart(content, o)
		if !ok || start < lastEnd {
			continue
		}
		p := phpReader{b: content, i: start, esc: esc}
		name, ok := p.str()
		if !ok {
			continue
		}
		p.value(0, name, func(key, val string, off int) {
			if v, ok := serializedValue(key, val); ok {
				v.line = 1 + bytes.Count(content[:off], []byte{'\n'})
				out = append(out, v)
			}
		})
		lastEnd = p.i
	}
	return out
}

// serializedValue classifies one string value by its array key.
func serializedValue(key, val string) (value, bool) {
	if !IsMailjetValue(val) || isPlaceholder(val) || isNotCredential(key, words(key)) {
		return value{}, false
	}
	r := roleFromName(key)
	if r == roleNone {
		return value{}, false
	}
	return value{text: val, role: r, how: howNamed}, true
}

// serialStringStart finds the start of the serialized string s:N:"…
// whose text begins at b[o], and whether its quotes are escaped.
func serialStringStart(b []byte, o int) (start int, esc bool, ok bool) {
	i := o - 1
	if i < 0 || b[i] != '"' {
		return 0, false, false
	}
	if i > 0 && b[i-1] == '\\' {
		esc = true
		i--
	}
	i-- // the ':' after the length
	if i < 0 || b[i] != ':' {
		return 0, false, false
	}
	j := i - 1
	for j >= 0 && i-j <= 6 && b[j] >= '0' && b[j] <= '9' {
		j--
	}
	if j == i-1 || j < 1 || b[j] != ':' || b[j-1] != 's' {
		return 0, false, false
	}
	return j - 1, esc, true
}

// phpReader reads PHP's serialize() format. It is tolerant (it stops at
// the first surprise) and bounded: nesting depth, entries per array and
// total values are capped, so hostile input costs little.
type phpReader struct {
	b     []byte
	i     int
	esc   bool // quotes written \" (inside a SQL string)
	steps int
}

const (
	maxSerialDepth   = 8
	maxSerialEntries = 4096
	maxSerialSteps   = 100_000
)

// value reads one value; strings are passed to emit with the name of the
// array key they sit under.
func (p *phpReader) value(depth int, name string, emit func(key, val string, off int)) bool {
	p.steps++
	if p.steps > maxSerialSteps || depth > maxSerialDepth || p.i+1 >= len(p.b) {
		return false
	}
	switch p.b[p.i] {
	case 's':
		off := p.i
		s, ok := p.str()
		if ok {
			emit(name, s, off)
		}
		return ok
	case 'i', 'b', 'd':
		end := bytes.IndexByte(p.b[p.i:min(len(p.b), p.i+32)], ';')
		if end < 0 {
			return false
		}
		p.i += end + 1
		return true
	case 'N':
		if p.b[p.i+1] != ';' {
			return false
		}
		p.i += 2
		return true
	case 'a':
		p.i++
		return p.array(depth, emit)
	case 'O':
		p.i++
		if _, ok := p.lengthString(); !ok { // the class name
			return false
		}
		return p.array(depth, emit)
	}
	return false
}

// array reads :N:{key value …}.
func (p *phpReader) array(depth int, emit func(key, val string, off int)) bool {
	n, ok := p.number(':', ':')
	if !ok || n > maxSerialEntries || !p.expect("{") {
		return false
	}
	for range n {
		var key string
		switch {
		case p.i < len(p.b) && p.b[p.i] == 's':
			if key, ok = p.str(); !ok {
				return false
			}
		case p.i < len(p.b) && p.b[p.i] == 'i':
			if !p.value(depth+1, "", emit) {
				return false
			}
		default:
			return false
		}
		if !p.value(depth+1, key, emit) {
			return false
		}
	}
	return p.expect("}")
}

// str reads s:N:"…"; and returns the text.
func (p *phpReader) str() (string, bool) {
	if p.i >= len(p.b) || p.b[p.i] != 's' {
		return "", false
	}
	p.i++
	s, ok := p.lengthString()
	return s, ok && p.expect(";")
}

// lengthString reads :N:"…" (N bytes of text, unescaped).
func (p *phpReader) lengthString() (string, bool) {
	n, ok := p.number(':', ':')
	if !ok || n > len(p.b) || !p.quote() {
		return "", false
	}
	var sb strings.Builder
	for sb.Len() < n && p.i < len(p.b) {
		c := p.b[p.i]
		if p.esc && c == '\\' && p.i+1 < len(p.b) {
			p.i++
			c = p.b[p.i]
		}
		sb.WriteByte(c)
		p.i++
	}
	return sb.String(), sb.Len() == n && p.quote()
}

// number reads open, digits, close: ":32:".
func (p *phpReader) number(open, close byte) (int, bool) {
	if p.i >= len(p.b) || p.b[p.i] != open {
		return 0, false
	}
	p.i++
	n, digits := 0, 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' && digits < 9 {
		n = n*10 + int(p.b[p.i]-'0')
		p.i++
		digits++
	}
	if digits == 0 || p.i >= len(p.b) || p.b[p.i] != close {
		return 0, false
	}
	p.i++
	return n, true
}

func (p *phpReader) quote() bool {
	if p.esc {
		return p.expect(`\"`)
	}
	return p.expect(`"`)
}

func (p *phpReader) expect(s string) bool {
	if p.i > len(p.b) || !bytes.HasPrefix(p.b[p.i:], []byte(s)) {
		return false
	}
	p.i += len(s)
	return true
}
