package investigate

// valueLen is the length of a Mailjet API key and of a secret: 32
// lower-case hex characters each.
const valueLen = 32

// token is one candidate value on a line: a run of exactly 32 lower-case
// hex characters with no letter or digit on either side.
type token struct {
	start, end int // byte offsets in the line
	text       string
	encoded    bool   // text was decoded from base64 written at start:end
	secret     string // for base64 of KEY:SECRET, the secret (text is the key)
}

// hexTokens finds the candidate values on a line. A 32-hex run inside a
// longer run of letters and digits (a SHA-256, a base64 blob) is not one.
func hexTokens(line []byte) []token {
	var toks []token
	for i := 0; i < len(line); {
		if !isAlnum(line[i]) {
			i++
			continue
		}
		j := i
		for j < len(line) && isAlnum(line[j]) {
			j++
		}
		if j-i == valueLen && isLowerHex(line[i:j]) {
			toks = append(toks, token{start: i, end: j, text: string(line[i:j])})
		}
		i = j
	}
	return toks
}

// isPlaceholder rejects values no real key has: a pattern repeating with
// a period of 16 or less ("0000…", "0123456789abcdef0123…", "deadbeef…")
// or fewer than six distinct characters. For a random 32-hex value both
// are far less likely than one in a billion.
func isPlaceholder(v string) bool {
	for p := 1; p <= valueLen/2; p++ {
		if isPeriodic(v, p) {
			return true
		}
	}
	var seen [256]bool
	distinct := 0
	for i := 0; i < len(v); i++ {
		if !seen[v[i]] {
			seen[v[i]] = true
			distinct++
		}
	}
	return distinct < 6
}

func isPeriodic(v string, p int) bool {
	for i := p; i < len(v); i++ {
		if v[i] != v[i-p] {
			return false
		}
	}
	return true
}

// IsMailjetValue reports whether s has the shape of a Mailjet API key or
// secret (32 lower-case hex characters).
func IsMailjetValue(s string) bool {
	return len(s) == valueLen && isLowerHex([]byte(s))
}

func isLowerHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// containsFold reports whether b contains needle, ignoring ASCII case.
// needle must be lower-case ASCII.
func containsFold(b []byte, needle string) bool {
	n := len(needle)
	if n == 0 {
		return true
	}
	first := needle[0]
	for i := 0; i+n <= len(b); i++ {
		if toLower(b[i]) != first {
			continue
		}
		j := 1
		for j < n && toLower(b[i+j]) == needle[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

func toLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}
