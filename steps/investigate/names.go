package investigate

import "strings"

// maxLookBehind bounds how far before a value its name is looked for, so
// a long minified line costs linear time however many values it holds.
const maxLookBehind = 256

// naming is the text just before a value, split into its parts:
//
//	MJ_APIKEY_PUBLIC='v'              name MJ_APIKEY_PUBLIC, seps "="
//	define( 'WPMS_MAILJET_API_KEY', "v"  name WPMS_MAILJET_API_KEY, quoted, seps ","
//	$mail->Username = 'v'             name $mail, Username
//	apiConnect('k', 'v')              name k (the value before), quoted, seps ","
type naming struct {
	segments []string // outermost first: "$cfg", "smtp", "pass"
	quoted   bool     // the name was a quoted string ('KEY', 'v')
	seps     string   // the bytes between name and value, quotes and spaces excluded
	start    int      // offset of the name's first byte in the line
	fallback bool     // the value follows a fallback operator (|| ?? ?: or) with no name before it on the line
}

// nameBefore reads the naming of the value starting at line[start].
func nameBefore(line []byte, start int) naming {
	lo := max(0, start-maxLookBehind)
	i := start - 1
	// A backslash before a quote is JSON inside a string (\"apiKey\":\"v\").
	for i >= lo && (isQuote(line[i]) || isSpace(line[i]) || line[i] == '\\') {
		i--
	}
	if ref, ok := fallbackReference(line, i, lo); ok {
		return ref
	}
	sepEnd := i
	for i >= lo && isSeparator(line[i]) {
		i--
	}
	n := naming{start: start}
	n.seps = strings.Map(dropSpace, string(line[i+1:sepEnd+1]))
	if i >= lo && isQuote(line[i]) {
		n.quoted = true
		i--
		if i >= lo && line[i] == '\\' {
			i--
		}
	}
	var segs []string
	for i >= lo {
		if line[i] == ']' { // ['smtp'] or [smtp]
			j := i - 1
			for j >= lo && isQuote(line[j]) {
				j--
			}
			end := j
			for j >= lo && isNameByte(line[j]) {
				j--
			}
			word := string(line[j+1 : end+1])
			for j >= lo && isQuote(line[j]) {
				j--
			}
			if word == "" || j < lo || line[j] != '[' {
				break
			}
			segs = append(segs, word)
			n.start = j
			i = j - 1
			continue
		}
		j := i
		for j >= lo && isNameByte(line[j]) {
			j--
		}
		if j == i {
			break
		}
		segs = append(segs, string(line[j+1:i+1]))
		n.start = j + 1
		i = j
		switch {
		case i >= lo+1 && line[i] == '>' && line[i-1] == '-', // $mail->Username
			i >= lo+1 && line[i] == ':' && line[i-1] == ':': // Config::KEY
			i -= 2
		case i >= lo && line[i] == '\\': // \Mailjet\Client
			i--
		case i >= lo && line[i] == ']':
		default:
			i = lo - 1 // stop
		}
	}
	// Collected nearest first; store outermost first.
	for a, b := 0, len(segs)-1; a < b; a, b = a+1, b-1 {
		segs[a], segs[b] = segs[b], segs[a]
	}
	n.segments = segs
	if n2, ok := throughLookup(line, n); ok {
		return n2
	}
	return n
}

// attributeName handles markup that names a value in another attribute:
// <add key="MailjetApiKey" value="v" />. When the name is just "value",
// the name before that name is the real one.
func attributeName(line []byte, n naming) naming {
	if len(n.segments) != 1 || !strings.EqualFold(n.segments[0], "value") || n.start <= 0 {
		return n
	}
	if outer := nameBefore(line, n.start); len(outer.segments) > 0 {
		return outer
	}
	return n
}

func isQuote(c byte) bool { return c == '\'' || c == '"' || c == '`' }
func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// isSeparator covers assignment and argument syntax: = : => , ( [ { >
// (XML <Key>v), and spaces between them.
func isSeparator(c byte) bool {
	switch c {
	case '=', ':', '>', ',', '(', '[', '{', ' ', '\t':
		return true
	}
	return false
}

func isNameByte(c byte) bool {
	return isAlnum(c) || c == '_' || c == '$' || c == '-' || c == '.'
}

func dropSpace(r rune) rune {
	if r == ' ' || r == '\t' {
		return -1
	}
	return r
}

// words splits a name into lower-case words at punctuation and case
// changes: "WPMS_MAILJET_API_KEY" → wpms mailjet api key, "apiKey" → api
// key, "MessageUUID" → message uuid, "APIKey" → api key.
func words(name string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			out = append(out, strings.ToLower(name[start:end]))
		}
		start = -1
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isAlnum(c) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := name[i-1]
		lowerToUpper := isLowerAlpha(prev) && isUpperAlpha(c)
		acronymEnd := isUpperAlpha(prev) && isUpperAlpha(c) && i+1 < len(name) && isLowerAlpha(name[i+1])
		if lowerToUpper || acronymEnd {
			flush(i)
			start = i
		}
	}
	flush(len(name))
	return out
}

func isLowerAlpha(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpperAlpha(c byte) bool { return c >= 'A' && c <= 'Z' }
