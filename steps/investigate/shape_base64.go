package investigate

import (
	"bytes"
	"encoding/base64"
)

// Base64 values: a Kubernetes Secret's data: fields, and any YAML or JSON
// value, hold a key or secret base64-encoded (44 characters for 32 hex)
// or the pair as base64("KEY:SECRET") (88 characters), which is also what
// HTTP basic authentication sends. The naming before the encoded value
// says what it is, as for a plain one.

const (
	encodedValueLen = 44 // base64 of 32 bytes
)

// encodedTokens finds base64 runs of a key, a secret or KEY:SECRET on a
// line. It looks only at runs ending in the one "=" such values end with,
// so most lines cost one vectorised search.
func encodedTokens(line []byte) []token {
	var toks []token
	for off := 0; off < len(line); {
		i := bytes.IndexByte(line[off:], '=')
		if i < 0 {
			break
		}
		eq := off + i
		off = eq + 1
		if eq+1 < len(line) && (line[eq+1] == '=' || isBase64Char(line[eq+1])) {
			continue
		}
		start := eq
		for start > 0 && eq-start < basicTokenLen && isBase64Char(line[start-1]) {
			start--
		}
		n := eq + 1 - start
		if n != encodedValueLen && n != basicTokenLen || start > 0 && isBase64Char(line[start-1]) {
			continue
		}
		if n == basicTokenLen && afterBasic(line, start) {
			continue // an Authorization header: basicHeaderValues reads it
		}
		var dec [basicTokenLen]byte
		m, err := base64.StdEncoding.Decode(dec[:], line[start:eq+1])
		switch {
		case err != nil:
		case m == valueLen && isLowerHex(dec[:m]):
			toks = append(toks, token{start: start, end: eq + 1, text: string(dec[:m]), encoded: true})
		case m == 2*valueLen+1 && dec[valueLen] == ':' && isLowerHex(dec[:valueLen]) && isLowerHex(dec[valueLen+1:m]):
			toks = append(toks, token{start: start, end: eq + 1, text: string(dec[:valueLen]), secret: string(dec[valueLen+1 : m]), encoded: true})
		}
	}
	return toks
}

// afterBasic reports "Basic " just before line[start].
func afterBasic(line []byte, start int) bool {
	i := start
	for i > 0 && isSpace(line[i-1]) {
		i--
	}
	return i >= 5 && i < start && equalFoldASCII(line[i-5:i], "basic")
}
