package investigate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/assets"
)

// scanner runs one scan. Its fields are fixed before run; tests replace
// openTree and now.
type scanner struct {
	opts     Options
	maxSize  int64
	workers  int
	openTree func(string) (*tree, error)
	now      func() time.Time
}

func newScanner(opts Options) *scanner {
	maxSize := opts.MaxFileSize
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	return &scanner{
		opts:     opts,
		maxSize:  maxSize,
		workers:  max(1, runtime.NumCPU()),
		openTree: openTree,
		now:      time.Now,
	}
}

// fileResult is what a worker learnt from one file.
type fileResult struct {
	job     fileJob
	skip    string // why the file was not read; "" when it was
	size    int64
	creds   []credential
	phpinfo bool
	wp      wpVersion
	hasWP   bool
}

// run walks in one goroutine, reads and detects in a pool of workers,
// and collects (and reports progress) in the caller's goroutine.
func (s *scanner) run(ctx context.Context) (Result, error) {
	if len(s.opts.Roots) == 0 {
		return Result{}, errors.New("scan: no folder or file to scan")
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	table, err := assets.WordPressReleases()
	if err != nil {
		return Result{}, fmt.Errorf("scan: %w", err)
	}
	start := s.now()
	trees, err := s.openTrees()
	if err != nil {
		return Result{}, err
	}
	defer closeTrees(trees)

	work, stop := context.WithCancel(ctx)
	defer stop()
	jobs := make(chan fileJob, 2*s.workers)
	results := make(chan fileResult, 2*s.workers)
	walked := make(chan walkReport, 1)
	go func() {
		defer close(jobs)
		walked <- walkTrees(work, trees, s.maxSize, jobs)
	}()
	var wg sync.WaitGroup
	for range s.workers {
		wg.Go(func() { inspectFiles(work, jobs, results, s.maxSize) })
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	c := collector{phpinfo: make([][]string, len(trees))}
	progress := throttle{fn: s.opts.Progress, now: s.now}
	for r := range results {
		c.add(r)
		progress.maybe(func() Progress { return c.progress(s.now().Sub(start), r.job.display) })
	}
	report := <-walked
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}

	findings := c.findings
	for i, t := range trees {
		findings = append(findings, exposures(t, report.layouts[i], c.phpinfo[i])...)
	}
	for _, v := range c.versions {
		if f, ok := outdatedWordPress(v.display, v.wp, table); ok {
			findings = append(findings, f)
		}
	}
	res := Result{
		Findings: sortFindings(findings),
		Stats: Stats{
			Files:    c.files,
			Bytes:    c.bytes,
			Skipped:  sortSkips(append(report.skips, c.skips...)),
			Duration: s.now().Sub(start),
		},
	}
	progress.final(Progress{Files: c.files, Bytes: c.bytes, Elapsed: res.Stats.Duration, Current: c.current})
	return res, nil
}

func (s *scanner) openTrees() ([]*tree, error) {
	trees := make([]*tree, 0, len(s.opts.Roots))
	for _, root := range s.opts.Roots {
		t, err := s.openTree(root)
		if err != nil {
			closeTrees(trees)
			return nil, err
		}
		trees = append(trees, t)
	}
	return trees, nil
}

func closeTrees(trees []*tree) {
	for _, t := range trees {
		if t.close != nil {
			t.close() // read-only: nothing to lose on a close error
		}
	}
}

// inspectFiles is one worker: it reads files and runs the content checks.
func inspectFiles(ctx context.Context, jobs <-chan fileJob, results chan<- fileResult, maxSize int64) {
	for job := range jobs {
		if ctx.Err() != nil {
			return // the walker stops too: it selects on ctx
		}
		select {
		case results <- inspect(job, maxSize):
		case <-ctx.Done():
			return
		}
	}
}

func inspect(job fileJob, maxSize int64) fileResult {
	content, skip := readText(job.fsys, job.rel, maxSize)
	if skip != "" {
		return fileResult{job: job, skip: skip}
	}
	r := fileResult{job: job, size: int64(len(content)), creds: detectCredentials(content)}
	if job.checkPhpinfo {
		r.phpinfo = callsPhpinfo(content)
	}
	if job.wpVersion {
		r.wp, r.hasWP = parseWPVersion(content)
	}
	return r
}

// collector gathers worker results in the scan goroutine.
type collector struct {
	findings []Finding
	skips    []Skip
	phpinfo  [][]string // per tree: slash paths of phpinfo pages
	versions []foundVersion
	files    int
	bytes    int64
	current  string
}

type foundVersion struct {
	display string
	wp      wpVersion
}

func (c *collector) add(r fileResult) {
	c.current = untrusted.Clean(r.job.display)
	if r.skip != "" {
		c.skips = append(c.skips, Skip{Path: c.current, Reason: r.skip})
		return
	}
	c.files++
	c.bytes += r.size
	for _, cr := range r.creds {
		f := newFinding(cr.rule, r.job.display, cr.line)
		f.APIKey = cr.key
		f.Secret = secret.New(cr.secret)
		c.findings = append(c.findings, f)
	}
	if r.phpinfo {
		c.phpinfo[r.job.tree] = append(c.phpinfo[r.job.tree], r.job.rel)
	}
	if r.hasWP {
		c.versions = append(c.versions, foundVersion{r.job.display, r.wp})
	}
}

func (c *collector) progress(elapsed time.Duration, display string) Progress {
	return Progress{Files: c.files, Bytes: c.bytes, Elapsed: elapsed, Current: untrusted.Clean(display)}
}

// sortFindings orders findings by severity, path and line (then rule and
// values, so the order never depends on worker timing) and drops
// duplicates, which overlapping roots produce.
func sortFindings(fs []Finding) []Finding {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.APIKey, b.APIKey),
			cmp.Compare(a.Secret.Reveal(), b.Secret.Reveal()),
		)
	})
	return slices.CompactFunc(fs, func(a, b Finding) bool {
		return a.Rule == b.Rule && a.Path == b.Path && a.Line == b.Line && a.APIKey == b.APIKey && a.Secret.Equal(b.Secret)
	})
}

func sortSkips(skips []Skip) []Skip {
	slices.SortFunc(skips, func(a, b Skip) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Reason, b.Reason))
	})
	return slices.Compact(skips)
}
