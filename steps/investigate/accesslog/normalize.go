package accesslog

import (
	"bytes"
	"path"
)

// NormalizePath turns a request target into the path a server would
// serve: the scheme and host of an absolute-form target dropped, the query
// and fragment dropped, the server's log escapes (\xHH) and
// percent-encoding decoded, duplicate slashes merged and dot segments
// resolved. "" when nothing is left.
func NormalizePath(target string) string {
	var a analyzer
	return string(a.normalize([]byte(target)))
}

// normalize is NormalizePath on bytes; the common case (a plain path)
// returns a sub-slice of target without copying.
func (a *analyzer) normalize(t []byte) []byte {
	if len(t) > 7 && (t[0] == 'h' || t[0] == 'H') {
		if i := bytes.Index(t, []byte("://")); i > 0 && i <= 5 {
			rest := t[i+3:]
			if j := bytes.IndexByte(rest, '/'); j >= 0 {
				t = rest[j:]
			} else {
				t = []byte("/")
			}
		}
	}
	for i, c := range t {
		if c == '?' || c == '#' {
			t = t[:i]
			break
		}
	}
	if len(t) == 0 {
		return nil
	}
	for len(t) > 1 && t[len(t)-1] == '/' {
		t = t[:len(t)-1] // as path.Clean would
	}
	if !needsWork(t) {
		return t
	}
	b := unescape(t)
	b = percentDecode(b, a.scratch[:0])
	a.scratch = b
	if len(b) == 0 || b[0] != '/' {
		b = append([]byte{'/'}, b...)
	}
	s := path.Clean(string(b)) // merges slashes, resolves . and ..
	return []byte(s)
}

// needsWork says whether t has escapes, encoding, duplicate slashes or dot
// segments, or does not start with a slash.
func needsWork(t []byte) bool {
	if t[0] != '/' {
		return true
	}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '%', '\\':
			return true
		case '/':
			if i+1 < len(t) {
				switch t[i+1] {
				case '/':
					return true
				case '.':
					// "/." followed by "/", end, or "./" / "." end
					rest := t[i+2:]
					if len(rest) == 0 || rest[0] == '/' || rest[0] == '.' && (len(rest) == 1 || rest[1] == '/') {
						return true
					}
				}
			}
		}
	}
	return false
}

// percentDecode appends b with %XX sequences decoded to out; a malformed
// sequence is kept as written.
func percentDecode(b, out []byte) []byte {
	for i := 0; i < len(b); i++ {
		if b[i] == '%' && i+2 < len(b) && unhex(b[i+1]) >= 0 && unhex(b[i+2]) >= 0 {
			out = append(out, byte(unhex(b[i+1])<<4|unhex(b[i+2])))
			i += 2
			continue
		}
		out = append(out, b[i])
	}
	return out
}
