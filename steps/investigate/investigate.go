// Package investigate finds where Mailjet credentials leaked: key/secret
// pairs in application code and configuration (also inside zip, tar and
// gzip backups and in git history), files a web server would hand to
// anyone (.env, wp-config.php backups, phpinfo pages, .git, logs, backups;
// on disk and over HTTP), and outdated or vulnerable WordPress.
//
// The parts, each in its own files: a parallel walker (walk.go, queue.go)
// that lists folders without following symbolic links; a one-pass keyword
// pre-search (keywords.go) that lets only files naming Mailjet reach the
// content detector (credentials.go and friends), which finds key and secret
// values and pairs them; path rules for web-served files (exposure.go);
// WordPress core and plugin checks (wordpress.go, plugins.go); archives
// (archive.go, using subpackage archive), git history (history.go, using
// subpackage history), HTTP probes (http.go, using subpackage httpprobe)
// and verification of pairs through a Verifier (verify.go). scan.go runs
// them. Rule ids are listed in rules.go.
//
// Secrets are held as secret.Secret; only their last four characters are
// ever shown. All text taken from scanned files, file names or HTTP
// answers passes through untrusted.Clean before it reaches a Finding,
// Skip or Progress.
package investigate

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate/accesslog"
	"github.com/mjrecover/mjrecover/steps/investigate/wpdata"
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
	Message  string // one plain sentence: why it matters, what to do (English; Say says it in a language)
	Owned    bool   // APIKey belongs to the account being recovered

	// Verified is the outcome of checking the pair with Mailjet (only when
	// Options.Verifier is set); VerifyNote says why when it is not
	// Live or Refused, or names the host that answered.
	Verified   Verdict
	VerifyNote string

	// Facts are what Message was made from, for the rules whose message
	// names versions (WordPress and its plugins); nil for the others.
	Facts *Facts

	// URLPath is, for an exposure under a known document root, the
	// address the web server serves the file at ("/.env.bak"); "" when
	// not known.
	URLPath string

	// Access is what the web server's access logs say (download and
	// probe findings only; see downloads.go).
	Access *Access
	// Modified is when a web-served file last changed (exposure findings
	// on disk): the latest the leak can have been published. Zero when
	// unknown.
	Modified time.Time
}

// Verdict is what checking a key pair with Mailjet's API said.
type Verdict int

const (
	NotChecked    Verdict = iota // no check was made (no verifier, or no pair)
	Live                         // Mailjet accepted the pair: it can send email now
	Refused                      // Mailjet answered 401: the pair no longer works
	CouldNotCheck                // network error, timeout, 429 or 5xx: unknown
)

// String returns "not checked", "live", "refused" or "could not check".
func (v Verdict) String() string {
	switch v {
	case Live:
		return "live"
	case Refused:
		return "refused"
	case CouldNotCheck:
		return "could not check"
	}
	return "not checked"
}

// Verifier checks a key pair with Mailjet. It must make read-only calls
// only, and only to Mailjet's API hosts; see package verify.
type Verifier interface {
	Verify(ctx context.Context, apiKey string, s secret.Secret) (Verdict, string)
}

// Progress is streamed while scanning.
type Progress struct {
	Files   int
	Bytes   int64
	Elapsed time.Duration
	Current string // path being read, sanitized
	// LogRead and LogTotal are the bytes of access logs read and to read,
	// once the scan reads them (after the files).
	LogRead, LogTotal int64
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
	// Logs says how each access log was read (lines, unreadable ones).
	Logs []accesslog.FileReport
	// DocumentRoots are the folders found web-served (by name, by
	// content or by the web server's configuration), as paths joined
	// like Finding.Path, sorted; a root inside another is left out
	// unless the configuration names it.
	DocumentRoots []string
}

// Options configure a scan.
type Options struct {
	Roots       []string
	MaxFileSize int64          // 0 means the default (10 MiB); also caps each file inside an archive and each history blob
	Progress    func(Progress) // optional; called from the scan goroutine, at most every 100 ms and once at the end

	// Workers is how many files are read at once; 0 means one per CPU.
	Workers int
	// History also reads the git history of every repository found in
	// the roots (a root holding .git, and any .git folder below it).
	History bool
	// URLs are web sites to probe for exposed files (http or https). Only
	// their hosts are contacted.
	URLs []string
	// HTTPClient is used for the URL probes; nil means a client with
	// timeouts that follows redirects only within the same host.
	HTTPClient *http.Client
	// Verifier, when set, checks every key pair found with Mailjet.
	Verifier Verifier
	// WordPress replaces the bundled WordPress data (latest releases and
	// known-vulnerable ranges), e.g. with a Wordfence feed merged in; nil
	// means the bundled data.
	WordPress *wpdata.Table
	// NoArchives turns off looking inside zip, tar and gzip files.
	NoArchives bool
	// AllArchives opens every compressed file, also those that rarely
	// hold keys (manual pages, changelogs, rotated logs; see
	// archive_choice.go).
	AllArchives bool
	// AccessLogs, when set, has the scan read the web server's access
	// logs (found in the trees, the usual places, or those named) to tell
	// who downloaded the exposed files, and who probed for them.
	AccessLogs *LogSources
}

// DefaultMaxFileSize is the size above which a file is skipped, with a
// reason: leaked configuration is small, and a limit bounds memory (each
// worker holds one whole file).
const DefaultMaxFileSize int64 = 10 << 20

// Scan walks the roots (and probes the URLs) and returns what it found. It stops early, with
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
