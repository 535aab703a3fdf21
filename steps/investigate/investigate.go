// Package investigate finds where Mailjet credentials leaked: key/secret
// pairs in application code and configuration, files a web server would
// hand to anyone (.env, wp-config.php backups, phpinfo pages, .git), and
// outdated WordPress.
//
// CONTRACT STUB: signatures are fixed; bodies are being implemented.
package investigate

import (
	"context"
	"errors"
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
func (s Severity) String() string { return "" }

// Category groups findings.
type Category string

const (
	CategoryCredential Category = "credential"
	CategoryExposure   Category = "exposure"
	CategoryOutdated   Category = "outdated-software"
)

// Finding is one leak or exposure.
type Finding struct {
	Rule     string // stable id, e.g. "mailjet-env-pair"
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

// Scan walks the roots and returns what it found. It stops early, with
// ctx.Err(), when ctx is cancelled. Unreadable files are skipped, not fatal.
func Scan(ctx context.Context, opts Options) (Result, error) {
	return Result{}, errors.New("not implemented")
}

// MarkOwned sets Owned on findings whose APIKey is one of accountKeys.
func MarkOwned(findings []Finding, accountKeys []string) {}

// LeakedKeys returns the public keys that appear in credential findings.
func LeakedKeys(findings []Finding) map[string]bool { return nil }
