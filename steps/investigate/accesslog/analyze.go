// Package accesslog reads web-server access logs (Apache and nginx, common
// and combined formats, rotated and gzipped) to answer "who downloaded the
// exposed files, and when": successful downloads of the paths the scan
// found exposed (and of well-known probe paths), and the failed attempts
// that show someone was probing. Logs are streamed, one bounded buffer per
// file; nothing is read whole.
package accesslog

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"
)

// Exposed is a file the scan found served by the web server.
type Exposed struct {
	Path    string // in the scanned tree, e.g. "public_html/.env.bak"
	URLPath string // as requested, e.g. "/.env.bak"
}

// ProbePaths are well-known paths scanners try for secrets; a request for
// one is matched even when the scan did not find the file.
var ProbePaths = []string{
	"/.env", "/.env.bak", "/.env.old", "/.env.save", "/.env.backup", "/.env.local",
	"/.env.production", "/.env.prod", "/.env.dev", "/.env.example", "/.env~",
	"/.git/config", "/.git/HEAD", "/.git/index", "/.git/logs/HEAD", "/.gitconfig",
	"/.svn/entries", "/.hg/hgrc", "/.DS_Store",
	"/wp-config.php.bak", "/wp-config.php~", "/wp-config.php.old", "/wp-config.php.save",
	"/wp-config.php.swp", "/wp-config.bak", "/wp-config.txt", "/.wp-config.php.swp",
	"/config.php.bak", "/configuration.php.bak", "/config.json", "/config.yml",
	"/phpinfo.php", "/info.php", "/php_info.php", "/test.php", "/i.php",
	"/backup.zip", "/backup.tar.gz", "/backup.sql", "/site.zip", "/www.zip", "/public_html.zip",
	"/db.sql", "/dump.sql", "/database.sql",
	"/.aws/credentials", "/.aws/config", "/.ssh/id_rsa", "/.npmrc", "/.htpasswd",
	"/docker-compose.yml", "/.docker/config.json", "/sendgrid.env", "/mailjet.env",
	"/storage/logs/laravel.log", "/server-status",
}

// Download is a successful fetch (2xx with a body, or a size the log did
// not give) of a watched path, grouped per path and client.
type Download struct {
	Category   string    `json:"category"`       // "download"
	Path       string    `json:"path,omitempty"` // in the scanned tree; empty for a well-known path the scan did not find
	URLPath    string    `json:"url_path"`
	Exposed    bool      `json:"exposed"` // the scan found this path exposed
	ClientIP   string    `json:"client_ip"`
	UserAgent  string    `json:"user_agent"`            // of the first download
	UserAgents []string  `json:"user_agents,omitempty"` // all seen, at most maxAgents
	FirstSeen  time.Time `json:"first_seen"`
	LastSeen   time.Time `json:"last_seen"`
	Count      int64     `json:"count"`
	Bytes      int64     `json:"bytes"` // total logged body bytes (sizes "-" count as 0)
	Statuses   []int     `json:"statuses"`
	Log        string    `json:"log"`  // the file of the first download
	Line       int64     `json:"line"` // and its line
}

// Probe is a client's failed attempts (4xx, or a 2xx without a body: HEAD
// or an empty reply) at watched paths.
type Probe struct {
	Category   string    `json:"category"` // "probe"
	ClientIP   string    `json:"client_ip"`
	UserAgent  string    `json:"user_agent"`
	UserAgents []string  `json:"user_agents,omitempty"`
	Paths      []string  `json:"paths"` // URL paths tried, sorted
	Statuses   []int     `json:"statuses"`
	FirstSeen  time.Time `json:"first_seen"`
	LastSeen   time.Time `json:"last_seen"`
	Count      int64     `json:"count"`
	Downloaded bool      `json:"downloaded"` // the same client also downloaded a watched path
	Log        string    `json:"log"`
	Line       int64     `json:"line"`
}

// FileReport says how one log file was read.
type FileReport struct {
	Path   string `json:"path"`
	Gzip   bool   `json:"gzip,omitempty"`
	Lines  int64  `json:"lines"` // not counting blank ones; line numbers are the file's own
	Parsed int64  `json:"parsed"`
	// Unreadable counts lines in no known format or longer than the limit
	// (a time is checked for shape on every line, and fully only on the
	// lines for a watched path, which keeps the pass fast).
	Unreadable int64   `json:"unreadable"`
	TooLong    int64   `json:"too_long,omitempty"`  // of which longer than the limit
	BadLines   []int64 `json:"bad_lines,omitempty"` // the first few unreadable line numbers
	Matched    int64   `json:"matched"`             // lines for a watched path
	Bytes      int64   `json:"bytes"`               // of the file read (compressed size for gzip)
	Truncated  bool    `json:"truncated,omitempty"` // a gzip stream that ended early: what was read is kept
	Error      string  `json:"error,omitempty"`     // why reading stopped early (or never started)
	Skipped    string  `json:"skipped,omitempty"`   // why the file was not read at all
}

// Result is what the logs say.
type Result struct {
	Downloads []Download   `json:"downloads"`
	Probes    []Probe      `json:"probes"`
	Files     []FileReport `json:"files"`
	// DroppedGroups counts (path, client) or client groups not kept once
	// MaxGroups was reached.
	DroppedGroups int64 `json:"dropped_groups,omitempty"`
}

// Progress is reported while reading.
type Progress struct {
	File     string
	FileRead int64 // bytes of File read so far
	FileSize int64
	Read     int64 // bytes of all files read so far
	Total    int64 // sizes of all files, as listed before reading
}

// Options tune Analyze; the zero value is usable.
type Options struct {
	MaxLine       int            // longest line read (default 64 KiB); longer ones are unreadable
	Progress      func(Progress) // called every ProgressEvery bytes and at each file's end
	ProgressEvery int64          // default 4 MiB
	MaxGroups     int            // groups kept of each kind (default 10000)
	NoProbePaths  bool           // match only the exposed paths, not ProbePaths
}

const (
	defaultMaxLine   = 64 << 10
	defaultProgress  = 4 << 20
	defaultMaxGroups = 10000
	maxAgents        = 8
	maxBadLines      = 5
	maxPathsTried    = 64
	readBuffer       = 256 << 10 // per file: the whole memory a read needs, bar MaxLine for a long line
)

type watched struct {
	urlPath string
	path    string
	exposed bool
}

type dlKey struct{ path, client string }

type firstAt struct {
	t    time.Time
	log  string
	line int64
}

type analyzer struct {
	opt       Options
	watch     map[string]*watched
	downloads map[dlKey]*Download
	probes    map[string]*Probe
	probePath map[string]map[string]bool
	res       *Result
	scratch   []byte
	read      int64
	total     int64
}

// Analyze reads the log files (in the order SortRotated gives: oldest
// first) and returns the downloads of and probes at the exposed paths (and
// ProbePaths). An unreadable file is reported in Result.Files, not
// returned as an error; the error is only ctx's, with what was read so far.
func Analyze(ctx context.Context, logs []string, exposed []Exposed, opt Options) (*Result, error) {
	if opt.MaxLine <= 0 {
		opt.MaxLine = defaultMaxLine
	}
	if opt.ProgressEvery <= 0 {
		opt.ProgressEvery = defaultProgress
	}
	if opt.MaxGroups <= 0 {
		opt.MaxGroups = defaultMaxGroups
	}
	a := &analyzer{
		opt:       opt,
		watch:     map[string]*watched{},
		downloads: map[dlKey]*Download{},
		probes:    map[string]*Probe{},
		probePath: map[string]map[string]bool{},
		res:       &Result{Downloads: []Download{}, Probes: []Probe{}, Files: []FileReport{}},
	}
	if !opt.NoProbePaths {
		for _, p := range ProbePaths {
			a.watch[p] = &watched{urlPath: p}
		}
	}
	for _, e := range exposed {
		u := NormalizePath(e.URLPath)
		if u == "" {
			continue
		}
		a.watch[u] = &watched{urlPath: u, path: e.Path, exposed: true}
	}
	logs = SortRotated(logs)
	for _, p := range logs {
		if info, err := statSize(p); err == nil {
			a.total += info
		}
	}
	var err error
	for _, p := range logs {
		if err = ctx.Err(); err != nil {
			break
		}
		rep := a.file(ctx, p)
		a.res.Files = append(a.res.Files, rep)
		if err = ctx.Err(); err != nil {
			break
		}
	}
	a.finish()
	return a.res, err
}

// file reads one log.
func (a *analyzer) file(ctx context.Context, path string) (rep FileReport) {
	rep.Path = path
	f, info, reason := openLog(path)
	if reason != "" {
		rep.Skipped = reason
		return rep
	}
	defer f.Close()
	cr := &countingReader{r: f, ctx: ctx, a: a, file: path, size: info.Size(), every: a.opt.ProgressEvery}
	defer func() {
		rep.Bytes = cr.n
		cr.report()
	}()
	br := bufio.NewReaderSize(cr, readBuffer)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			rep.Error = "not a readable gzip file: " + err.Error()
			return rep
		}
		defer gz.Close()
		rep.Gzip = true
		src = gz
	}
	lr := src
	if rep.Gzip {
		lr = bufio.NewReaderSize(src, readBuffer)
	}
	a.lines(lr.(*bufio.Reader), &rep, path)
	return rep
}

// lines reads br line by line with a buffer of at most MaxLine bytes.
func (a *analyzer) lines(br *bufio.Reader, rep *FileReport, path string) {
	var line int64
	var long []byte // a line longer than the bufio buffer, assembled up to MaxLine
	tooLong := false
	var r raw
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if !tooLong {
				if len(long)+len(chunk) <= a.opt.MaxLine {
					long = append(long, chunk...)
				} else {
					tooLong = true
					long = long[:0]
				}
			}
			continue
		}
		if len(chunk) == 0 && err != nil {
			if tooLong || len(long) > 0 {
				chunk = nil // handled below as a last line
			} else {
				a.endErr(err, rep)
				return
			}
		}
		data := chunk
		if len(long) > 0 {
			if len(long)+len(chunk) > a.opt.MaxLine {
				tooLong = true
			} else {
				long = append(long, chunk...)
				data = long
			}
		}
		line++
		rep.Lines++
		switch {
		case tooLong || len(data) > a.opt.MaxLine:
			rep.TooLong++
			a.bad(rep, line)
		case len(bytes.TrimSpace(data)) == 0:
			rep.Lines-- // blank lines are not counted
		case !parseRaw(data, &r):
			a.bad(rep, line)
		default:
			if !a.entry(&r, rep, path, line) {
				a.bad(rep, line)
			} else {
				rep.Parsed++
			}
		}
		tooLong = false
		long = long[:0]
		if cap(long) > 1<<20 {
			long = nil
		}
		if err != nil {
			a.endErr(err, rep)
			return
		}
	}
}

func (a *analyzer) endErr(err error, rep *FileReport) {
	switch {
	case errors.Is(err, io.EOF):
	case errors.Is(err, io.ErrUnexpectedEOF) && rep.Gzip:
		rep.Truncated = true
		rep.Error = fmt.Sprintf("gzip file truncated: kept the %d lines read", rep.Lines)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		rep.Error = "stopped: " + err.Error()
	default:
		if rep.Gzip {
			rep.Truncated = true
		}
		rep.Error = fmt.Sprintf("read error after %d lines: %v", rep.Lines, err)
	}
}

func (a *analyzer) bad(rep *FileReport, line int64) {
	rep.Unreadable++
	if len(rep.BadLines) < maxBadLines {
		rep.BadLines = append(rep.BadLines, line)
	}
}

// entry matches one parsed line; false when its time does not parse.
func (a *analyzer) entry(r *raw, rep *FileReport, path string, line int64) bool {
	if len(r.target) == 0 {
		return true
	}
	np := a.normalize(r.target)
	w := a.watch[string(np)]
	if w == nil {
		return true
	}
	t, ok := parseTime(r.ts)
	if !ok {
		return false
	}
	rep.Matched++
	client := keep(r.client)
	ua := keep(r.ua)
	body := r.bytes != 0 && string(r.method) != "HEAD"
	switch {
	case r.status >= 200 && r.status < 300 && body:
		a.download(w, client, ua, t, r, path, line)
	case r.status >= 400 && r.status < 500, r.status >= 200 && r.status < 300:
		a.probe(w, client, ua, t, r.status, path, line)
	}
	return true
}

func (a *analyzer) download(w *watched, client, ua string, t time.Time, r *raw, path string, line int64) {
	k := dlKey{w.urlPath, client}
	d := a.downloads[k]
	if d == nil {
		if len(a.downloads) >= a.opt.MaxGroups {
			a.res.DroppedGroups++
			return
		}
		d = &Download{Category: "download", Path: w.path, URLPath: w.urlPath, Exposed: w.exposed,
			ClientIP: client, UserAgent: ua, FirstSeen: t, LastSeen: t, Log: path, Line: line}
		a.downloads[k] = d
	}
	d.Count++
	if r.bytes > 0 {
		d.Bytes += r.bytes
	}
	if t.Before(d.FirstSeen) {
		d.FirstSeen, d.UserAgent, d.Log, d.Line = t, ua, path, line
	}
	if t.After(d.LastSeen) {
		d.LastSeen = t
	}
	d.UserAgents = addAgent(d.UserAgents, ua)
	d.Statuses = addStatus(d.Statuses, r.status)
}

func (a *analyzer) probe(w *watched, client, ua string, t time.Time, status int, path string, line int64) {
	p := a.probes[client]
	if p == nil {
		if len(a.probes) >= a.opt.MaxGroups {
			a.res.DroppedGroups++
			return
		}
		p = &Probe{Category: "probe", ClientIP: client, UserAgent: ua, FirstSeen: t, LastSeen: t, Log: path, Line: line}
		a.probes[client] = p
		a.probePath[client] = map[string]bool{}
	}
	p.Count++
	if t.Before(p.FirstSeen) {
		p.FirstSeen, p.UserAgent, p.Log, p.Line = t, ua, path, line
	}
	if t.After(p.LastSeen) {
		p.LastSeen = t
	}
	if tried := a.probePath[client]; !tried[w.urlPath] && len(tried) < maxPathsTried {
		tried[w.urlPath] = true
	}
	p.UserAgents = addAgent(p.UserAgents, ua)
	p.Statuses = addStatus(p.Statuses, status)
}

func addAgent(list []string, ua string) []string {
	if ua == "" || ua == "-" || len(list) >= maxAgents {
		return list
	}
	for _, s := range list {
		if s == ua {
			return list
		}
	}
	return append(list, ua)
}

func addStatus(list []int, s int) []int {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	list = append(list, s)
	sort.Ints(list)
	return list
}

// finish turns the groups into sorted findings.
func (a *analyzer) finish() {
	clients := map[string]bool{}
	for _, d := range a.downloads {
		a.res.Downloads = append(a.res.Downloads, *d)
		clients[d.ClientIP] = true
	}
	for c, p := range a.probes {
		for u := range a.probePath[c] {
			p.Paths = append(p.Paths, u)
		}
		sort.Strings(p.Paths)
		p.Downloaded = clients[c]
		a.res.Probes = append(a.res.Probes, *p)
	}
	sort.Slice(a.res.Downloads, func(i, j int) bool {
		x, y := a.res.Downloads[i], a.res.Downloads[j]
		if !x.FirstSeen.Equal(y.FirstSeen) {
			return x.FirstSeen.Before(y.FirstSeen)
		}
		if x.URLPath != y.URLPath {
			return x.URLPath < y.URLPath
		}
		return x.ClientIP < y.ClientIP
	})
	sort.Slice(a.res.Probes, func(i, j int) bool {
		x, y := a.res.Probes[i], a.res.Probes[j]
		if !x.FirstSeen.Equal(y.FirstSeen) {
			return x.FirstSeen.Before(y.FirstSeen)
		}
		return x.ClientIP < y.ClientIP
	})
}

// countingReader counts bytes, reports progress and stops on ctx.
type countingReader struct {
	r     io.Reader
	ctx   context.Context
	a     *analyzer
	file  string
	size  int64
	n     int64
	last  int64
	every int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.a.read += int64(n)
	if c.n-c.last >= c.every {
		c.report()
	}
	return n, err
}

func (c *countingReader) report() {
	c.last = c.n
	if c.a.opt.Progress != nil {
		c.a.opt.Progress(Progress{File: c.file, FileRead: c.n, FileSize: c.size, Read: c.a.read, Total: c.a.total})
	}
}
