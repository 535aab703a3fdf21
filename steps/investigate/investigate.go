// Package investigate finds where Mailjet credentials leaked: key/secret
// pairs in application code and configuration, files a web server would
// hand to anyone (.env, wp-config.php backups, phpinfo pages, .git), and
// outdated WordPress.
//
// The scan has four parts, each in its own file: a walker (walk.go) that
// lists files without following symbolic links, a content detector
// (credentials.go and friends) that finds Mailjet key and secret values
// and pairs them, path rules for web-served files (exposure.go,
// webroot.go), and a WordPress version check (wordpress.go). scan.go runs
// them with a small worker pool. Rule ids are listed in rules.go.
//
// Secrets are held as secret.Secret; only their last four characters are
// ever shown. All text taken from scanned files or file names passes
// through Sanitize before it reaches a Finding, Skip or Progress.
package investigate

import (
	"context"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
)

// Severity orders findings; Critical first.
type Severity int

const (
	Critical Severity = iota
	High
	Medium
	Low
)

// String returns "critical", "high", "medium" or "low".
func (s Severity) String() string {
	switch s {
	case Critical:
		return "critical"
	case High:
		return "high"
	case Medium:
		return "medium"
	case Low:
		return "low"
	}
	return "unknown"
}

// Category groups findings.
type Category string

const (
	CategoryCredential Category = "credential"
	CategoryExposure   Category = "exposure"
	CategoryOutdated   Category = "outdated-software"
)

// Finding is one leak or exposure.
type Finding struct {
	Rule     string // stable id, e.g. "mailjet-pair" (table in rules.go)
	Category Category
	Severity Severity
	Path     string // the root as given joined with the path inside it
	Line     int    // 1-based; 0 when the finding is a file or folder as a whole
	Kind     string // plain words: "Mailjet API key and secret"
	APIKey   string // public API key in full when known (not a secret alone)
	Secret   secret.Secret
	Message  string // one plain sentence: why it matters, what to do
	Owned    bool   // APIKey belongs to the account being recovered
}

// Progress is streamed while scanning.
type Progress struct {
	Files   int
	Bytes   int64
	Elapsed time.Duration
	Current string // path being read, sanitized
}

// Skip is a path the scan could not or would not read.
type Skip struct {
	Path   string
	Reason string
}

// Stats summarises a scan.
type Stats struct {
	Files    int
	Bytes    int64
	Skipped  []Skip
	Duration time.Duration
}

// Result is what a scan found.
type Result struct {
	Findings []Finding // sorted: severity, path, line
	Stats    Stats
}

// Options configure a scan.
type Options struct {
	Roots       []string
	MaxFileSize int64          // 0 means the default (10 MiB)
	Progress    func(Progress) // optional; called from the scan goroutine, at most every 100 ms and once at the end
}

// DefaultMaxFileSize is the size above which a file is skipped, with a
// reason: leaked configuration is small, and a limit bounds memory (each
// worker holds one whole file).
const DefaultMaxFileSize int64 = 10 << 20

// Scan walks the roots and returns what it found. It stops early, with
// ctx.Err(), when ctx is cancelled. Unreadable files are skipped, not fatal.
//
// A root that does not exist or cannot be opened is an error: reporting
// "nothing found" for a mistyped folder would give false comfort. A root
// given as a symbolic link is followed (the user named it); links inside
// the roots never are. A root may be a single file; path-based exposure
// rules then do not apply, since the file's surroundings are unknown.
func Scan(ctx context.Context, opts Options) (Result, error) {
	return newScanner(opts).run(ctx)
}

// MarkOwned sets Owned on findings whose APIKey is one of accountKeys.
// Keys compare case-insensitively, ignoring surrounding spaces.
func MarkOwned(findings []Finding, accountKeys []string) {
	owned := make(map[string]bool, len(accountKeys))
	for _, k := range accountKeys {
		owned[normalizeKey(k)] = true
	}
	for i := range findings {
		if findings[i].APIKey != "" && owned[normalizeKey(findings[i].APIKey)] {
			findings[i].Owned = true
		}
	}
}

// LeakedKeys returns the public keys that appear in credential findings.
func LeakedKeys(findings []Finding) map[string]bool {
	keys := make(map[string]bool)
	for _, f := range findings {
		if f.Category == CategoryCredential && f.APIKey != "" {
			keys[f.APIKey] = true
		}
	}
	return keys
}

func normalizeKey(k string) string { return strings.ToLower(strings.TrimSpace(k)) }
