package sandbox

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
)

// builtinBreaches is the breach data every sandbox serves: passwords that
// pass a 15-character minimum yet are well known, plus classics.
func builtinBreaches() map[string]int {
	return map[string]int{
		"password12345678":  1_462,
		"password123456789": 988,
		"qwertyuiop123456":  2_117,
		"123456789012345":   3_905,
		"iloveyou12345678":  431,
		"Password12345678!": 2_048, // long, with a number and a symbol, and still well known
		"password":          9_545_824,
		"123456":            209_972_844,
		"qwerty":            21_810_349,
		"P@ssw0rd":          52_579,
	}
}

// rangeEntry is one line of a range answer.
type rangeEntry struct {
	suffix string // 35 upper-case hex
	count  int
}

// breachIndex maps a 5-character upper-case SHA-1 prefix to its entries.
// It is built by New and only read afterwards.
type breachIndex map[string][]rangeEntry

// Breaches is breach data built once (NewBreaches) and shared, read-only,
// by many sandboxes (WithBreaches): hashing the common-password list costs
// each sandbox about 6 MB and 60 ms of CPU otherwise.
type Breaches struct{ idx breachIndex }

// NewBreaches hashes the built-in set and passwords, as
// WithBreachedPasswords does for one sandbox.
func NewBreaches(passwords []string) *Breaches { return &Breaches{idx: newBreachIndex(passwords)} }

// newBreachIndex hashes the built-in set and extra. An extra password gets
// a count that falls with its rank, as in a list sorted by popularity.
func newBreachIndex(extra []string) breachIndex {
	counts := builtinBreaches()
	for i, p := range extra {
		if p == "" {
			continue
		}
		counts[p] = max(counts[p], 12, 2_000_000/(i+1))
	}
	idx := make(breachIndex)
	for p, c := range counts {
		sum := sha1.Sum([]byte(p))
		h := strings.ToUpper(hex.EncodeToString(sum[:]))
		idx[h[:5]] = append(idx[h[:5]], rangeEntry{suffix: h[5:], count: c})
	}
	return idx
}

// serveRange answers GET /range/{prefix} as api.pwnedpasswords.com does:
// text/plain "SUFFIX:COUNT" lines with CRLF ends, sorted; with
// "Add-Padding: true", count-0 lines pad the answer to 800-1000 lines.
func (s *Server) serveRange(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		setAllow(w, http.MethodGet)
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
		return
	}
	prefix := strings.TrimPrefix(r.URL.Path, "/range/")
	if !isHexPrefix(prefix) {
		http.Error(w, "The hash prefix was not in a valid format", http.StatusBadRequest)
		return
	}
	lines := make(map[string]int)
	for _, e := range s.breaches[strings.ToUpper(prefix)] {
		lines[e.suffix] = e.count
	}
	if strings.EqualFold(r.Header.Get("Add-Padding"), "true") {
		for target := 800 + rand.IntN(201); len(lines) < target; {
			if suffix := randomSuffix(); !hasKey(lines, suffix) {
				lines[suffix] = 0
			}
		}
	}
	suffixes := make([]string, 0, len(lines))
	for suffix := range lines {
		suffixes = append(suffixes, suffix)
	}
	slices.Sort(suffixes)
	var b strings.Builder
	for _, suffix := range suffixes {
		fmt.Fprintf(&b, "%s:%d\r\n", suffix, lines[suffix])
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte(b.String()))
}

func isHexPrefix(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// randomSuffix is a random 35-character upper-case hex suffix. Padding
// need not be unpredictable, only look like the real lines.
func randomSuffix() string {
	return strings.ToUpper(fmt.Sprintf("%016x%016x%03x", rand.Uint64(), rand.Uint64(), rand.IntN(1<<12)))
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}
