package investigate

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate/accesslog"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Categories of what the access logs tell.
const (
	CategoryDownload Category = "download" // an exposed file was fetched
	CategoryProbe    Category = "probe"    // someone tried well-known secret paths and failed
)

// Rules of the access-log findings.
//
//	exposed-file-downloaded  download  critical  a file the scan found exposed was fetched (2xx with a body)
//	probe-path-downloaded    download  medium    a well-known secret path answered with a body, though the scan did not find that file (maybe a catch-all page)
//	probing                  probe     low       a client tried well-known secret paths and got errors
const (
	RuleDownloaded      = "exposed-file-downloaded"
	RuleProbeDownloaded = "probe-path-downloaded"
	RuleProbing         = "probing"
)

func accessRuleFor(id string) ruleInfo {
	switch id {
	case RuleDownloaded:
		return ruleInfo{CategoryDownload, Critical, lang.Mark("Exposed file downloaded"),
			lang.Mark("The web server's log shows this file was downloaded: whoever did it has what the file holds.")}
	case RuleProbeDownloaded:
		return ruleInfo{CategoryDownload, Medium, lang.Mark("Well-known secret address answered"),
			lang.Mark("Someone asked the website for an address where secrets are often left, and got a page back. It may be the site's usual page for unknown addresses: check what the address shows.")}
	case RuleProbing:
		return ruleInfo{CategoryProbe, Low, lang.Mark("Someone looked for secret files"),
			lang.Mark("This address asked the website for files where secrets are often left, and got nothing. It shows the site was searched; nothing was taken this way.")}
	}
	return ruleInfo{}
}

// Access is what the access logs say about one finding: a client's
// downloads of one path, or a client's failed attempts.
type Access struct {
	URLPath   string    `json:"url_path,omitempty"` // downloads: the address fetched
	Client    string    `json:"client_ip"`
	UserAgent string    `json:"user_agent,omitempty"`
	First     time.Time `json:"first_seen"` // UTC
	Last      time.Time `json:"last_seen"`
	Count     int64     `json:"count"`
	Paths     []string  `json:"paths,omitempty"` // probes: the addresses tried
	Statuses  []int     `json:"statuses,omitempty"`
	Log       string    `json:"log"` // the log file of the first one
	LogLine   int64     `json:"log_line"`
}

// LogSources says where the scan reads access logs.
type LogSources struct {
	// Files are logs or folders of logs named by the user (--logs). When
	// set, only these are read (and the scanned trees' own logs).
	Files []string
	// SystemRoots are where the usual system places (var/log/nginx ...)
	// are looked for: "/" for the real system; none in tests.
	SystemRoots []string
}

// readLogs reads the access logs for the exposed paths among findings and
// returns the download and probe findings, how each log was read, and the
// logs skipped.
func (s *scanner) readLogs(ctx context.Context, findings []Finding, report func(Progress)) ([]Finding, []accesslog.FileReport, []Skip, error) {
	src := s.opts.AccessLogs
	loc := accesslog.Locations{Logs: src.Files, Trees: s.opts.Roots}
	if len(src.Files) == 0 {
		loc.Roots = src.SystemRoots
	}
	logs, skipped := accesslog.Find(ctx, loc)
	var skips []Skip
	for _, sk := range skipped {
		skips = append(skips, Skip{Path: untrusted.Clean(sk.Path), Reason: untrusted.Clean(sk.Reason)})
	}
	if len(logs) == 0 {
		return nil, nil, skips, ctx.Err()
	}
	res, err := accesslog.Analyze(ctx, logs, exposedPaths(findings, s.opts.Roots), accesslog.Options{
		Progress: func(p accesslog.Progress) {
			report(Progress{Current: untrusted.Clean(p.File), LogRead: p.Read, LogTotal: p.Total})
		},
	})
	if err != nil {
		return nil, nil, nil, err
	}
	var out []Finding
	for _, d := range res.Downloads {
		out = append(out, downloadFinding(d))
	}
	for _, p := range res.Probes {
		out = append(out, probeFinding(p))
	}
	return out, res.Files, skips, nil
}

// exposedPaths are the files the scan found web-served, with the address
// a web server gives them.
func exposedPaths(findings []Finding, roots []string) []accesslog.Exposed {
	var out []accesslog.Exposed
	seen := map[string]bool{}
	for _, f := range findings {
		if f.Category != CategoryExposure || seen[f.Path] {
			continue
		}
		u := f.URLPath
		if u == "" {
			u = guessURLPath(f.Path, roots)
		}
		if u == "" {
			continue
		}
		seen[f.Path] = true
		out = append(out, accesslog.Exposed{Path: f.Path, URLPath: u})
	}
	return out
}

// guessURLPath is the address of a file under the nearest folder named
// like a web root (public_html, www ...), or under the scanned root; ""
// for a file in an archive or a history.
func guessURLPath(p string, roots []string) string {
	if strings.Contains(p, "!") || strings.Contains(p, "@") {
		return "" // inside an archive or a commit: not served as is
	}
	for _, root := range roots {
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		for i := len(parts) - 2; i >= 0; i-- {
			if isWebRootName(parts[i]) {
				return "/" + path.Join(parts[i+1:]...)
			}
		}
		return "/" + path.Join(parts...)
	}
	return ""
}

func downloadFinding(d accesslog.Download) Finding {
	rule, where := RuleDownloaded, d.Path
	if !d.Exposed {
		rule, where = RuleProbeDownloaded, d.URLPath
	}
	f := newFinding(rule, where, 0)
	f.Access = &Access{URLPath: d.URLPath, Client: d.ClientIP, UserAgent: d.UserAgent,
		First: d.FirstSeen, Last: d.LastSeen, Count: d.Count, Statuses: slices.Clone(d.Statuses),
		Log: untrusted.Clean(d.Log), LogLine: d.Line}
	f.Message = f.Access.say(nil, f.Rule, time.UTC)
	return f
}

func probeFinding(p accesslog.Probe) Finding {
	f := newFinding(RuleProbing, p.Log, int(p.Line))
	f.Access = &Access{Client: p.ClientIP, UserAgent: p.UserAgent, First: p.FirstSeen, Last: p.LastSeen,
		Count: p.Count, Paths: slices.Clone(p.Paths), Statuses: slices.Clone(p.Statuses),
		Log: untrusted.Clean(p.Log), LogLine: p.Line}
	f.Message = f.Access.say(nil, f.Rule, time.UTC)
	return f
}

// say is the finding's message from the log facts, with times in loc:
// UTC for reports, the local zone on screens.
func (a *Access) say(p *lang.Printer, rule string, loc *time.Location) string {
	who := a.Client
	if a.UserAgent != "" {
		who = p.T("%[1]s (%[2]s)", a.Client, AgentName(a.UserAgent))
	}
	first := p.Moment(a.First.In(loc))
	if rule == RuleProbing {
		tried := strings.Join(a.Paths, ", ")
		return p.T("%[1]d request for secret files (%[2]s) by %[3]s, first on %[4]s; it got no file: the site was searched, but nothing was taken this way.", a.Count, tried, who, first)
	}
	s := p.T("Downloaded %[1]d time from %[2]s by %[3]s, first on %[4]s.", a.Count, a.URLPath, who, first)
	if a.Count > 1 {
		s += " " + p.T("Last time: %s.", p.Moment(a.Last.In(loc)))
	}
	return s + " " + p.Text(ruleFor(rule).message)
}

// SayIn is the message of a download or probe finding with its times in
// loc (the screens give local times); other findings as Say says them.
func (f Finding) SayIn(p *lang.Printer, loc *time.Location) string {
	if f.Access == nil {
		return f.Say(p)
	}
	return f.Access.say(p, f.Rule, loc)
}

// AgentName shortens a user agent to the program's name as people know
// it: a known tool named anywhere in it ("zgrab", "python-requests"),
// else its last product ("Firefox" of "Mozilla/5.0 (...) Firefox/132.0").
func AgentName(ua string) string {
	ua = strings.TrimSpace(ua)
	if ua == "" || ua == "-" {
		return "-"
	}
	fields := strings.Fields(ua)
	for _, f := range fields {
		name, _, _ := strings.Cut(strings.Trim(f, "();,"), "/")
		if slices.Contains(knownTools, strings.ToLower(name)) {
			return name
		}
	}
	for i := len(fields) - 1; i >= 0; i-- {
		if name, _, ok := strings.Cut(fields[i], "/"); ok && name != "" && !strings.ContainsAny(name, "();") {
			return name
		}
	}
	return fields[0]
}

// knownTools are programs that fetch files for scripts and scanners.
var knownTools = []string{"python-requests", "python-urllib", "curl", "wget", "go-http-client", "zgrab", "nuclei",
	"sqlmap", "nmap", "masscan", "httpx", "libwww-perl", "okhttp", "axios", "node-fetch", "java", "scrapy", "aiohttp"}

// fileTime is when the file at p last changed, or zero; p is one of the
// scanned paths (never followed if a link).
func fileTime(p string) time.Time {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() && !fi.IsDir() {
		return time.Time{}
	}
	return fi.ModTime().UTC()
}
