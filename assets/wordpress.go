package assets

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// WordPressTable is what the scanner needs to judge a WordPress version.
// The file states where the numbers come from and when they were checked,
// because they go stale: update data/wordpress.json with each major
// WordPress release.
type WordPressTable struct {
	Source                string `json:"source"`
	Checked               string `json:"checked"`         // date the numbers were checked, YYYY-MM-DD
	Latest                string `json:"latest"`          // latest release, e.g. "7.0"
	LatestReleased        string `json:"latest_released"` // its release date
	OldestSupportedBranch string `json:"oldest_supported_branch"`
	Notes                 string `json:"notes"`
}

//go:embed data/wordpress.json
var wordPressJSON []byte

var wordPressTable = sync.OnceValues(func() (WordPressTable, error) {
	return parseWordPressTable(wordPressJSON)
})

// WordPressReleases returns the bundled table of WordPress releases.
func WordPressReleases() (WordPressTable, error) {
	return wordPressTable()
}

func parseWordPressTable(data []byte) (WordPressTable, error) {
	var t WordPressTable
	if err := json.Unmarshal(data, &t); err != nil {
		return WordPressTable{}, fmt.Errorf("wordpress release table: %w", err)
	}
	if !isVersion(t.Latest) || !isVersion(t.OldestSupportedBranch) {
		return WordPressTable{}, errors.New("wordpress release table: latest and oldest_supported_branch must be versions like 6.9")
	}
	if t.Source == "" || t.Checked == "" {
		return WordPressTable{}, errors.New("wordpress release table: source and checked date are required")
	}
	return t, nil
}

// isVersion accepts dotted decimal versions ("6.9", "4.7.1").
func isVersion(s string) bool {
	if s == "" {
		return false
	}
	for part := range strings.SplitSeq(s, ".") {
		if part == "" || strings.Trim(part, "0123456789") != "" {
			return false
		}
	}
	return true
}
