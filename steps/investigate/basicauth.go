package investigate

import (
	"bytes"
	"encoding/base64"
)

// basicTokenLen is the length of base64("KEY:SECRET") for Mailjet's
// 32+1+32 characters: 88, ending in one "=".
const basicTokenLen = 88

// basicHeaderValues decodes the values after "Basic " (offsets from the
// pre-search, only made in files that name Mailjet) and keeps those that
// are a Mailjet key and secret joined by a colon.
func basicHeaderValues(content []byte, at []int) []value {
	var out []value
	for _, off := range at {
		key, sec, ok := decodeBasic(content[off:])
		if !ok {
			continue
		}
		line := 1 + bytes.Count(content[:off], []byte{'\n'})
		out = append(out,
			value{text: key, role: roleKey, how: howBasic, line: line},
			value{text: sec, role: roleSecret, how: howBasic, line: line})
	}
	return out
}

// decodeBasic reads one base64 token at the start of b and splits it into
// a Mailjet key and secret.
func decodeBasic(b []byte) (key, sec string, ok bool) {
	n := 0
	for n < len(b) && n <= basicTokenLen && isBase64Byte(b[n]) {
		n++
	}
	if n != basicTokenLen {
		return "", "", false
	}
	var dec [basicTokenLen]byte
	m, err := base64.StdEncoding.Decode(dec[:], b[:n])
	if err != nil || m != 2*valueLen+1 || dec[valueLen] != ':' {
		return "", "", false
	}
	k, s := dec[:valueLen], dec[valueLen+1:m]
	if !isLowerHex(k) || !isLowerHex(s) || isPlaceholder(string(k)) || isPlaceholder(string(s)) {
		return "", "", false
	}
	return string(k), string(s), true
}

func isBase64Byte(c byte) bool {
	return isAlnum(c) || c == '+' || c == '/' || c == '='
}

// isCurlUser reports a KEY:SECRET value given to curl's -u or --user
// option (also --user=), which curl sends as basic authentication.
func isCurlUser(line []byte, start int) bool {
	i := start - 1
	for i >= 0 && (isQuote(line[i]) || isSpace(line[i]) || line[i] == '=') {
		i--
	}
	end := i + 1
	for i >= 0 && (isAlnum(line[i]) || line[i] == '-') {
		i--
	}
	opt := string(line[i+1 : end])
	return opt == "-u" || opt == "--user"
}
