package pwned

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

const suffixLen = 35 // 40 hex characters of SHA-1 minus the 5 sent

// countSuffix finds suffix in a range answer: one "SUFFIX:COUNT" per line.
// It compares case-insensitively, accepts CRLF line ends and counts written
// with thousands separators ("1,352"), and skips count-0 padding lines and
// lines it cannot read. It fails only when no line at all is readable,
// which means the answer is not a range answer.
func countSuffix(body []byte, suffix string) (int, error) {
	readable := 0
	for line := range bytes.SplitSeq(body, []byte("\n")) {
		hashPart, countPart, ok := bytes.Cut(bytes.TrimSpace(line), []byte(":"))
		if !ok || len(hashPart) != suffixLen {
			continue
		}
		count, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(string(countPart)), ",", ""))
		if err != nil || count < 0 {
			continue
		}
		readable++
		if count > 0 && strings.EqualFold(string(hashPart), suffix) {
			return count, nil
		}
	}
	if readable == 0 && len(bytes.TrimSpace(body)) > 0 {
		return 0, errors.New("the answer is not a list of SUFFIX:COUNT lines")
	}
	return 0, nil
}
