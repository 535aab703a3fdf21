package investigate

import (
	"bytes"
	"strings"
)

// Logins built from parts written elsewhere in the file: a program that
// base64-encodes "KEY:SECRET" for basic authentication, or passes two
// variables to Mailjet's client, names neither value where it is used.
// The parts are followed back to their definitions in the same file.

// encodingCalls are the functions that base64-encode a login for basic
// authentication: btoa (browsers), Buffer.from(...).toString("base64")
// (Node), base64_encode (PHP), b64encode (Python), encode64 and
// strict_encode64 (Ruby), GetBytes (C#'s Convert.ToBase64String).
var encodingCalls = []string{"btoa(", "Buffer.from(", "base64_encode(", "b64encode(", "encode64(", "GetBytes("}

// inEncodingCall reports a KEY:SECRET literal that is the argument of an
// encoding call: btoa("KEY:SECRET"), Buffer.from(`KEY:SECRET`).
func inEncodingCall(line []byte, start int) bool {
	i := start - 1
	for i >= 0 && (isQuote(line[i]) || isSpace(line[i])) {
		i--
	}
	if i >= 0 && line[i] == 'b' { // Python's b"…"
		i--
	}
	if i < 0 || line[i] != '(' {
		return false
	}
	for _, fn := range encodingCalls {
		if s := i + 1 - len(fn); s >= 0 && string(line[s:i+1]) == fn {
			return true
		}
	}
	return false
}

// maxResolvedCalls bounds the calls read in one file.
const maxResolvedCalls = 64

// clientCalls are Mailjet's client constructors, whose two first
// arguments are the key and the secret: apiConnect(PUB, PVT) with
// const PUB = "…" elsewhere in the file.
var clientCalls = []string{"apiConnect(", "MailjetClient(", "Mailjet\\Client(", "Client(auth=("}

// resolvedCalls reads the logins a program builds from two parts it
// names elsewhere in the file: btoa(key + ":" + secret),
// Buffer.from(`${key}:${secret}`), base64_encode($key . ':' . $secret)
// (basic authentication), and Mailjet's client constructors called with
// two variables, apiConnect(PUB, PVT). Each part is a 32-hex literal or a
// variable given one in the same file. vals are the values already
// found; a part already found under a name keeps its name's role (one
// found only by its position, the first argument of btoa("K" + ":" +
// "S"), is found again here with the role the login gives it).
func resolvedCalls(content []byte, vals []value) []value {
	var out []value
	known := map[string]bool{} // values whose role a name or the syntax fixed
	for _, v := range vals {
		if v.how != howPositional {
			known[v.text] = true
		}
	}
	calls := 0
	// One pass over the calls' opening parentheses, however many
	// functions are looked for: a SQL dump naming Mailjet can be large.
	eachByte(content, '(', func(i int) {
		if calls >= maxResolvedCalls {
			return
		}
		sep, h, ok := resolvableCall(content[:i+1])
		if !ok {
			return
		}
		calls++
		parts, ok := callParts(content, i+1, sep)
		if !ok || known[parts[0].text] || known[parts[1].text] {
			return
		}
		for r, p := range parts {
			known[p.text] = true
			out = append(out, value{text: p.text, role: []role{roleKey, roleSecret}[r], how: h, line: lineOf(content, p.at)})
		}
	})
	return out
}

// resolvableCall reports b ending with an encoding call or a client
// constructor, and how its two parts are split and found.
func resolvableCall(b []byte) (sep byte, h how, ok bool) {
	for _, fn := range encodingCalls {
		if bytes.HasSuffix(b, []byte(fn)) {
			return ':', howBasic, true
		}
	}
	for _, fn := range clientCalls {
		if bytes.HasSuffix(b, []byte(fn)) {
			return ',', howPositional, true
		}
	}
	return 0, 0, false
}

// loginPart is one resolved half of a login: its value and where it is
// written.
type loginPart struct {
	text string
	at   int
}

// maxLoginArg bounds how far an encoding call's argument is read.
const maxLoginArg = 256

// callParts reads the argument list of a call starting at content[at]
// as two parts split by sep (":" inside a login, "," between arguments)
// and resolves both.
func callParts(content []byte, at int, sep byte) ([2]loginPart, bool) {
	var parts [2]loginPart
	end := min(len(content), at+maxLoginArg)
	pieces, ok := argPieces(content[at:end], at, sep)
	if !ok {
		return parts, false
	}
	// pieces alternate literal text and variables; find the one sep.
	var sides [2][]piece
	side := 0
	for _, p := range pieces {
		if p.sep {
			if side == 1 {
				break // a third argument: the client's options
			}
			side = 1
			continue
		}
		if p.ident == "" && sep == ':' {
			l, r, found := strings.Cut(p.lit, ":")
			if found {
				if side == 1 || strings.Contains(r, ":") {
					return parts, false
				}
				if l != "" {
					sides[0] = append(sides[0], piece{lit: l, at: p.at})
				}
				side = 1
				if r != "" {
					sides[1] = append(sides[1], piece{lit: r, at: p.at + len(l) + 1})
				}
				continue
			}
		}
		sides[side] = append(sides[side], p)
	}
	if side != 1 {
		return parts, false
	}
	for s, ps := range sides {
		if len(ps) != 1 {
			return parts, false
		}
		p := ps[0]
		switch {
		case p.ident != "":
			v, off, ok := definedValue(content, p.ident)
			if !ok {
				return parts, false
			}
			parts[s] = loginPart{v, off}
		case IsMailjetValue(p.lit) && !isPlaceholder(p.lit):
			parts[s] = loginPart{p.lit, p.at}
		default:
			return parts, false
		}
	}
	return parts, true
}

// piece is a literal, a variable or the separator in a call's argument.
type piece struct {
	lit   string
	ident string
	sep   bool
	at    int // offset of the piece in the file
}

// argPieces splits an argument list into literals, variables and
// separators: "a" + b, 'a' . $b (PHP), `${a}:${b}` (template); with sep
// ',', commas split arguments. It stops at the closing ")".
func argPieces(b []byte, base int, sep byte) ([]piece, bool) {
	var out []piece
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == ')':
			return out, len(out) > 0
		case c == sep && sep == ',':
			out = append(out, piece{sep: true, at: base + i})
			i++
		case isSpace(c) || c == '\n' || c == '\r' || c == '+' || c == '.' || c == 'b' && i+1 < len(b) && isQuote(b[i+1]) && (i == 0 || !isNameByte(b[i-1])):
			i++
		case c == '`':
			j := bytes.IndexByte(b[i+1:], '`')
			if j < 0 {
				return nil, false
			}
			out = append(out, templatePieces(b[i+1:i+1+j], base+i+1, "${")...)
			i += j + 2
		case c == 'f' && i+1 < len(b) && isQuote(b[i+1]) && (i == 0 || !isNameByte(b[i-1])):
			// Python's f"{key}:{secret}".
			q := b[i+1]
			j := bytes.IndexByte(b[i+2:], q)
			if j < 0 {
				return nil, false
			}
			out = append(out, templatePieces(b[i+2:i+2+j], base+i+2, "{")...)
			i += j + 3
		case isQuote(c):
			j := bytes.IndexByte(b[i+1:], c)
			if j < 0 {
				return nil, false
			}
			out = append(out, piece{lit: string(b[i+1 : i+1+j]), at: base + i + 1})
			i += j + 2
		case isNameByte(c):
			j := i
			for j < len(b) && isNameByte(b[j]) {
				j++
			}
			if j < len(b) && b[j] == '(' {
				// A call (f"…".encode(), getKey()): the login ends before it.
				return out, len(out) > 0
			}
			// PHP's $key.':' joins with a dot, which names may hold too.
			out = append(out, piece{ident: strings.TrimRight(string(b[i:j]), "."), at: base + i})
			i = j
		default:
			// Anything else (a call, an operator): not a plain login.
			if sep == ',' && hasSep(out) {
				return out, true // what follows the second argument: the client's options
			}
			return nil, false
		}
	}
	return nil, false
}

// hasSep reports a separator among pieces.
func hasSep(ps []piece) bool {
	for _, p := range ps {
		if p.sep {
			return true
		}
	}
	return false
}

// templatePieces splits a template's text: "${a}:${b}" (JavaScript,
// open "${"), "{a}:{b}" (Python f-string, open "{").
func templatePieces(t []byte, base int, open string) []piece {
	var out []piece
	for i := 0; i < len(t); {
		j := bytes.Index(t[i:], []byte(open))
		if j < 0 {
			out = append(out, piece{lit: string(t[i:]), at: base + i})
			break
		}
		if j > 0 {
			out = append(out, piece{lit: string(t[i : i+j]), at: base + i})
		}
		k := bytes.IndexByte(t[i+j:], '}')
		if k < 0 {
			break
		}
		out = append(out, piece{ident: strings.TrimSpace(string(t[i+j+len(open) : i+j+k])), at: base + i + j + len(open)})
		i += j + k + 1
	}
	return out
}

// maxDefinitions bounds the occurrences of a variable looked at.
const maxDefinitions = 64

// definedValue finds a variable's 32-hex value in the same file: the
// first quoted 32-hex value on a line assigning the variable (const key =
// "…", $key = '…', key: "…", KEY = os.getenv("X", "…")). For a dotted
// name (config.apiKey), its last part is looked for.
func definedValue(content []byte, ident string) (string, int, bool) {
	if i := strings.LastIndexAny(ident, ".>"); i >= 0 {
		ident = ident[i+1:]
	}
	if ident == "" {
		return "", 0, false
	}
	for off, seen := 0, 0; off < len(content) && seen < maxDefinitions; seen++ {
		i := bytes.Index(content[off:], []byte(ident))
		if i < 0 {
			break
		}
		at := off + i
		off = at + len(ident)
		if at > 0 && isNameByte(content[at-1]) && content[at-1] != '$' || off < len(content) && isNameByte(content[off]) {
			continue
		}
		line, pos := lineAround(content, off)
		rest := line[pos:]
		j := 0
		for j < len(rest) && (isSpace(rest[j]) || isQuote(rest[j])) {
			j++
		}
		if j >= len(rest) || rest[j] != '=' && rest[j] != ':' || j+1 < len(rest) && rest[j+1] == '=' {
			continue
		}
		for _, t := range hexTokens(rest) {
			if t.start > 0 && isQuote(rest[t.start-1]) && !isPlaceholder(t.text) {
				return t.text, off + t.start, true
			}
		}
	}
	return "", 0, false
}

// lineOf returns the 1-based line of content[off].
func lineOf(content []byte, off int) int {
	return 1 + bytes.Count(content[:off], []byte{'\n'})
}
