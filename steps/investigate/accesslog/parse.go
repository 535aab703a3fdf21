package accesslog

import (
	"bytes"
	"errors"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// Entry is one parsed access-log line, every text field cleaned of
// control characters and escape sequences (api/untrusted.Clean) after the
// server's own escapes (\" \\ \xHH) are undone.
type Entry struct {
	Client    string    // %h / $remote_addr: IPv4, IPv6 or a host name
	Time      time.Time // in UTC, the line's own offset honoured
	Method    string    // empty when the request line was not a request
	Target    string    // the request target as sent (query included)
	Proto     string
	Status    int
	Bytes     int64 // -1 when the log says "-"
	Referer   string
	UserAgent string
	Combined  bool // the line had referer and user agent (combined format)
}

// ErrFormat is returned by ParseLine for a line in no format it knows.
var ErrFormat = errors.New("not a common or combined access-log line")

// maxKept bounds any one text field kept from a line.
const maxKept = 512

// ParseLine parses one line of the Apache/nginx common or combined format
// (with an optional leading "vhost:port" field, and any extra fields after
// the user agent, quoted or not).
func ParseLine(line string) (Entry, error) {
	var r raw
	if !parseRaw([]byte(line), &r) {
		return Entry{}, ErrFormat
	}
	t, ok := parseTime(r.ts)
	if !ok {
		return Entry{}, ErrFormat
	}
	e := Entry{
		Client:    keep(r.client),
		Time:      t,
		Method:    keep(r.method),
		Target:    keep(r.target),
		Proto:     keep(r.proto),
		Status:    r.status,
		Bytes:     r.bytes,
		Referer:   keep(r.referer),
		UserAgent: keep(r.ua),
		Combined:  r.combined,
	}
	return e, nil
}

// raw is a parsed line as slices of the line: nothing copied, nothing
// cleaned, so the common case (a line that matches nothing) costs no
// allocation.
type raw struct {
	client, ts            []byte
	method, target, proto []byte
	referer, ua           []byte
	status                int
	bytes                 int64
	combined              bool
}

// parseRaw splits line into its fields; false when it is no access-log
// line. The time is only checked for shape here (parseTime is run for the
// lines that matter).
func parseRaw(line []byte, r *raw) bool {
	*r = raw{}
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	i := bytes.IndexByte(line, '[')
	if i < 5 || line[i-1] != ' ' {
		return false
	}
	if !splitPrefix(line[:i-1], r) {
		return false
	}
	rest := line[i+1:]
	j := bytes.IndexByte(rest, ']')
	if j != 26 || !timeShape(rest[:j]) {
		return false
	}
	r.ts = rest[:j]
	rest = rest[j+1:]
	if len(rest) < 2 || rest[0] != ' ' || rest[1] != '"' {
		return false
	}
	req, rest, ok := quoted(rest[2:])
	if !ok {
		return false
	}
	splitRequest(req, r)
	// " 200 1234"
	if len(rest) < 5 || rest[0] != ' ' || !digit(rest[1]) || !digit(rest[2]) || !digit(rest[3]) {
		return false
	}
	r.status = int(rest[1]-'0')*100 + int(rest[2]-'0')*10 + int(rest[3]-'0')
	rest = rest[4:]
	if len(rest) < 2 || rest[0] != ' ' {
		return false
	}
	rest = rest[1:]
	if rest[0] == '-' {
		r.bytes = -1
		rest = rest[1:]
	} else {
		var n int64
		k := 0
		for k < len(rest) && digit(rest[k]) {
			if n < 1<<50 {
				n = n*10 + int64(rest[k]-'0')
			}
			k++
		}
		if k == 0 {
			return false
		}
		r.bytes = n
		rest = rest[k:]
	}
	if len(rest) == 0 {
		return true // common
	}
	if rest[0] != ' ' {
		return false
	}
	if len(rest) < 2 || rest[1] != '"' {
		return true // common with extra unquoted fields
	}
	ref, rest, ok := quoted(rest[2:])
	if !ok {
		return false
	}
	if len(rest) < 2 || rest[0] != ' ' || rest[1] != '"' {
		// A quoted field after the size that is not followed by another:
		// common plus one extra field.
		return true
	}
	ua, _, ok := quoted(rest[2:])
	if !ok {
		return false
	}
	r.referer, r.ua, r.combined = ref, ua, true
	return true
}

// splitPrefix reads "host ident user" or "vhost:port host ident user".
func splitPrefix(p []byte, r *raw) bool {
	var f [4][]byte
	n := 0
	for len(p) > 0 {
		k := bytes.IndexByte(p, ' ')
		var tok []byte
		if k < 0 {
			tok, p = p, nil
		} else {
			tok, p = p[:k], p[k+1:]
		}
		if len(tok) == 0 {
			continue
		}
		if n < len(f) {
			f[n] = tok
		}
		n++
	}
	if n < 3 {
		return false
	}
	client := f[0]
	// Apache's vhost_combined starts with "%v:%p": one colon, where an
	// IPv6 client has at least two.
	if n == 4 && bytes.Count(f[0], []byte{':'}) == 1 {
		client = f[1]
	}
	if !clientShape(client) {
		return false
	}
	r.client = client
	return true
}

// clientShape accepts IPv4, IPv6 (with zone) and host names.
func clientShape(b []byte) bool {
	if len(b) == 0 || len(b) > 255 {
		return false
	}
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c == '.', c == ':', c == '-', c == '_', c == '%', c == '[', c == ']':
		default:
			return false
		}
	}
	return true
}

// quoted reads a quoted field whose opening quote is already consumed,
// honouring backslash escapes; it returns the field (still escaped) and
// what follows the closing quote.
func quoted(b []byte) (field, rest []byte, ok bool) {
	from := 0
	for {
		i := bytes.IndexByte(b[from:], '"')
		if i < 0 {
			return nil, nil, false
		}
		i += from
		// Escaped when preceded by an odd number of backslashes (\" is an
		// escaped backslash, then the closing quote).
		n := 0
		for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return b[:i], b[i+1:], true
		}
		from = i + 1
	}
}

// splitRequest splits "GET /path HTTP/1.1"; a request line that is not one
// (a TLS handshake on port 80, "-") leaves method and target empty.
func splitRequest(req []byte, r *raw) {
	sp := bytes.IndexByte(req, ' ')
	if sp <= 0 {
		return
	}
	method := req[:sp]
	for _, c := range method {
		if c < 'A' || c > 'Z' {
			return
		}
	}
	rest := req[sp+1:]
	target := rest
	var proto []byte
	if sp2 := bytes.LastIndexByte(rest, ' '); sp2 >= 0 {
		target, proto = rest[:sp2], rest[sp2+1:]
	}
	if len(target) == 0 {
		return
	}
	r.method, r.target, r.proto = method, target, proto
}

func digit(c byte) bool { return c >= '0' && c <= '9' }

// timeShape checks "02/Jan/2006:15:04:05 -0700" by position.
func timeShape(t []byte) bool {
	return len(t) == 26 && t[2] == '/' && t[6] == '/' && t[11] == ':' && t[14] == ':' &&
		t[17] == ':' && t[20] == ' ' && (t[21] == '+' || t[21] == '-')
}

func num(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if !digit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(b) > 0
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// parseTime parses "02/Jan/2006:15:04:05 -0700" into UTC, faster than
// time.Parse and without allocating.
func parseTime(t []byte) (time.Time, bool) {
	if !timeShape(t) {
		return time.Time{}, false
	}
	day, ok1 := num(t[0:2])
	year, ok2 := num(t[7:11])
	hour, ok3 := num(t[12:14])
	minute, ok4 := num(t[15:17])
	sec, ok5 := num(t[18:20])
	zh, ok6 := num(t[22:24])
	zm, ok7 := num(t[24:26])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) {
		return time.Time{}, false
	}
	month := 0
	for i, m := range months {
		if string(t[3:6]) == m {
			month = i + 1
			break
		}
	}
	if month == 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 || zh > 14 || zm > 59 {
		return time.Time{}, false
	}
	off := time.Duration(zh)*time.Hour + time.Duration(zm)*time.Minute
	if t[21] == '-' {
		off = -off
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC).Add(-off), true
}

// unescape undoes the escapes Apache and nginx write in quoted fields
// (\" \\ \xHH); anything else is kept as written.
func unescape(b []byte) []byte {
	if bytes.IndexByte(b, '\\') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			out = append(out, c)
			continue
		}
		switch n := b[i+1]; {
		case n == '"' || n == '\\':
			out = append(out, n)
			i++
		case n == 'x' && i+3 < len(b) && unhex(b[i+2]) >= 0 && unhex(b[i+3]) >= 0:
			out = append(out, byte(unhex(b[i+2])<<4|unhex(b[i+3])))
			i += 3
		case n == 'n':
			out = append(out, '\n')
			i++
		case n == 't':
			out = append(out, '\t')
			i++
		default:
			out = append(out, c)
		}
	}
	return out
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// keep turns a raw field into text safe to keep and show: the server's
// escapes undone, then control characters and escape sequences removed,
// then bounded in length.
func keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	s := untrusted.Clean(string(unescape(b)))
	if len(s) > maxKept {
		s = untrusted.Clean(s[:maxKept]) // re-clean: the cut may split a rune
	}
	return s
}
