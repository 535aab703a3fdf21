package wpdata

import (
	"strconv"
	"strings"
)

// Compare compares dotted versions number by number, so 6.10 is newer than
// 6.9 and 6.9 equals 6.9.0. Text after the numbers ("6.9-RC1") is
// ignored. ok is false when either has no number.
func Compare(a, b string) (int, bool) {
	pa, okA := parse(a)
	pb, okB := parse(b)
	if !okA || !okB {
		return 0, false
	}
	for i := range max(len(pa), len(pb)) {
		x, y := at(pa, i), at(pb, i)
		if x != y {
			if x < y {
				return -1, true
			}
			return 1, true
		}
	}
	return 0, true
}

// IsVersion reports whether v starts with a dotted number and holds only
// letters, digits and . - _ + (as "6.4-RC1" or "2.0.1+build" do).
func IsVersion(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-' || c == '_' || c == '+') {
			return false
		}
	}
	_, ok := parse(v)
	return ok
}

// Branch returns the major.minor branch of a version: "4.6.1" → "4.6".
func Branch(v string) string {
	parts, ok := parse(v)
	if !ok {
		return v
	}
	parts = append(parts, 0)[:2]
	return strconv.Itoa(parts[0]) + "." + strconv.Itoa(parts[1])
}

// maxParts bounds the numbers read from a version, so a hostile
// "1.1.1.1…" of a megabyte costs nothing.
const maxParts = 8

// parse reads the leading dotted numbers of v.
func parse(v string) ([]int, bool) {
	end := 0
	for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] == '.') {
		end++
	}
	var parts []int
	for p := range strings.SplitSeq(strings.TrimRight(v[:end], "."), ".") {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || len(parts) == maxParts {
			return nil, false
		}
		parts = append(parts, n)
	}
	return parts, len(parts) > 0
}

func at(p []int, i int) int {
	if i < len(p) {
		return p[i]
	}
	return 0
}
