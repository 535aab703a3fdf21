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
	"github.com/mjrecover/mjrecover/steps/investigate/accesslog"
	"github.com/mjrecover/mjrecover/steps/investigate/wpdata"
)

// scanner runs one scan. Its fields are fixed before run; tests replace
// openTree and now.
type scanner struct {
	opts     Options
	maxSize  int64
	workers  int
	openTree func(string) (*tree, error)
	now      func() time.Time
	trees    []*tree // set by run before the workers start
}

func newScanner(opts Options) *scanner {
	maxSize := opts.MaxFileSize
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	return &scanner{
		opts:     opts,
		maxSize:  maxSize,
		workers:  max(1, workers),
		openTree: openTree,
		now:      time.Now,
	}
}

// run walks the trees with a pool of workers and collects (and reports
// progress) in the caller's goroutine; URL probes run alongside; git
// history and verification follow.
func (s *scanner) run(ctx context.Context) (Result, error) {
	if len(s.opts.Roots) == 0 && len(s.opts.URLs) == 0 {
		return Result{}, errors.New("scan: no folder, file or web address to scan")
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	table := s.opts.WordPress
	if table == nil {
		var err error
		if table, err = wpdata.Bundled(); err != nil {
			return Result{}, fmt.Errorf("scan: %w", err)
		}
	}
	targets, err := parseTargets(s.opts.URLs)
	if err != nil {
		return Result{}, err
	}
	start := s.now()
	if s.trees, err = s.openTrees(); err != nil {
		return Result{}, err
	}
	defer closeTrees(s.trees)

	web := s.startProbes(ctx, targets)
	c := newCollector(len(s.trees))
	progress := throttle{fn: s.opts.Progress, now: s.now}
	report := func(current string) {
		if ctx.Err() != nil {
			return // no progress after the user stopped the scan
		}
		progress.maybe(func() Progress { return c.progress(s.now().Sub(start), current) })
	}
	s.walk(ctx, c, report)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}

	exposed, docRoots := siteExposures(ctx, s.trees, c.layouts, c.phpinfo)
	findings := append(c.findings, exposed...)
	for _, v := range c.versions {
		findings = append(findings, judgeWordPress(v.display, v.wp, table)...)
	}
	findings = append(findings, judgePlugins(c.plugins, table)...)
	if s.opts.History {
		found, err := s.readHistory(ctx, c, report)
		if err != nil {
			return Result{}, err
		}
		findings = append(findings, found...)
	}
	webFound := <-web
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	findings = append(findings, webFound.findings...)
	c.skips = append(c.skips, webFound.skips...)
	for i := range findings {
		if findings[i].Category == CategoryExposure {
			findings[i].Modified = fileTime(findings[i].Path)
		}
	}
	var logs []accesslog.FileReport
	if s.opts.AccessLogs != nil {
		logProgress := throttle{fn: s.opts.Progress, now: s.now}
		found, reports, skips, err := s.readLogs(ctx, findings, func(p Progress) {
			if ctx.Err() == nil {
				p.Files, p.Bytes, p.Elapsed = c.files, c.bytes, s.now().Sub(start)
				logProgress.maybe(func() Progress { return p })
			}
		})
		if err != nil {
			return Result{}, err
		}
		findings, logs = append(findings, found...), reports
		c.skips = append(c.skips, skips...)
	}
	findings = sortFindings(findings)
	if s.opts.Verifier != nil {
		report("checking the keys with Mailjet")
		if err := verifyFindings(ctx, s.opts.Verifier, findings); err != nil {
			return Result{}, err
		}
	}
	res := Result{
		Findings:      findings,
		Logs:          logs,
		DocumentRoots: docRoots,
		Stats: Stats{
			Files:    c.files,
			Bytes:    c.bytes,
			Skipped:  sortSkips(c.skips),
			Duration: s.now().Sub(start),
		},
	}
	progress.final(Progress{Files: c.files, Bytes: c.bytes, Elapsed: res.Stats.Duration, Current: c.current})
	return res, nil
}

// walk lists and reads every tree with the worker pool.
func (s *scanner) walk(ctx context.Context, c *collector, report func(string)) {
	q := newQueue()
	stopOnCancel := context.AfterFunc(ctx, q.stop)
	defer stopOnCancel()
	for i := range s.trees {
		q.push(task{tree: i, rel: "."})
	}
	results := make(chan *batch, 4*s.workers)
	var wg sync.WaitGroup
	for range s.workers {
		w := &worker{s: s, q: q}
		wg.Go(func() { w.run(ctx, results) })
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	for b := range results {
		c.add(b)
		if b.current != "" {
			report(b.current)
		}
	}
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
		if t.top != nil {
			t.top.close() // read-only: nothing to lose on a close error
		}
	}
}

// collector gathers the workers' batches in the scan goroutine.
type collector struct {
	layouts  []layout
	phpinfo  [][]string // per tree: slash paths of phpinfo pages
	gitDirs  [][]string // per tree: slash paths of .git folders
	findings []Finding
	skips    []Skip
	versions []foundVersion
	plugins  []foundPlugin
	files    int
	bytes    int64
	current  string
}

func newCollector(trees int) *collector {
	c := &collector{layouts: make([]layout, trees), phpinfo: make([][]string, trees), gitDirs: make([][]string, trees)}
	for i := range c.layouts {
		c.layouts[i].webRoots = map[string]bool{}
	}
	return c
}

func (c *collector) add(b *batch) {
	if b.current != "" {
		c.current = untrusted.Clean(b.current)
	}
	c.files += b.files
	c.bytes += b.bytes
	c.findings = append(c.findings, b.findings...)
	c.skips = append(c.skips, b.skips...)
	c.versions = append(c.versions, b.versions...)
	c.plugins = append(c.plugins, b.plugins...)
	c.layouts[b.tree].merge(b)
	c.phpinfo[b.tree] = append(c.phpinfo[b.tree], b.phpinfo...)
	c.gitDirs[b.tree] = append(c.gitDirs[b.tree], b.gitDirs...)
}

func (c *collector) progress(elapsed time.Duration, current string) Progress {
	return Progress{Files: c.files, Bytes: c.bytes, Elapsed: elapsed, Current: untrusted.Clean(current)}
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
