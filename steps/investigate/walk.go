package investigate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// fileJob is a file the walker hands to the workers.
type fileJob struct {
	tree         int // index of its tree in the scan
	fsys         fs.FS
	rel          string // slash path inside the tree
	display      string // root as given joined with rel (not yet sanitized)
	checkPhpinfo bool   // a small PHP file inside a folder root
	wpVersion    bool   // wp-includes/version.php
}

// layout is what the walk learnt about one tree, for the path rules.
type layout struct {
	webRoots   map[string]bool // slash paths of folders that look web-served
	candidates []pathCandidate // files and folders exposed if inside a web root
}

// pathCandidate is a path that an exposure rule matched by name.
type pathCandidate struct {
	rel  string
	rule string
}

// walkReport is the walker's result, read once the walk is over.
type walkReport struct {
	skips   []Skip
	layouts []layout // one per tree
}

// phpinfoMaxSize: a phpinfo page is a line or two; a large PHP file that
// mentions phpinfo( is an application (an admin screen), not a leak page.
const phpinfoMaxSize = 32 << 10

// walker lists files without following symbolic links, sends the ones to
// read to the workers and records the rest as skipped.
type walker struct {
	ctx     context.Context
	maxSize int64
	jobs    chan<- fileJob
	report  walkReport
}

// walkTrees walks every tree in turn. It stops at the first error, which
// can only be the context's.
func walkTrees(ctx context.Context, trees []*tree, maxSize int64, jobs chan<- fileJob) walkReport {
	w := &walker{ctx: ctx, maxSize: maxSize, jobs: jobs}
	for i, t := range trees {
		l := layout{webRoots: map[string]bool{}}
		err := fs.WalkDir(t.fsys, t.start, func(rel string, d fs.DirEntry, err error) error {
			return w.visit(i, t, &l, rel, d, err)
		})
		w.report.layouts = append(w.report.layouts, l)
		if err != nil {
			break
		}
	}
	return w.report
}

func (w *walker) visit(i int, t *tree, l *layout, rel string, d fs.DirEntry, err error) error {
	if ctxErr := w.ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	display := t.display(rel)
	if err != nil {
		// An unreadable folder is reported here a second time after its
		// first visit; returning nil goes on with its siblings.
		w.skip(display, readFailure(err))
		return nil
	}
	typ := d.Type()
	switch {
	case typ&fs.ModeSymlink != 0:
		// Never followed: no loops, and nothing outside the roots is read.
		w.skip(display, "symbolic link not followed")
		return nil
	case d.IsDir():
		return w.dir(t, l, rel, display)
	case !typ.IsRegular():
		w.skip(display, specialFileReason(typ))
		return nil
	}
	return w.file(i, t, l, rel, d, display)
}

func (w *walker) dir(t *tree, l *layout, rel, display string) error {
	if rel == t.start {
		return nil // the root: its own name is judged with the layout
	}
	name := path.Base(rel)
	switch {
	case strings.EqualFold(name, ".git"):
		// Its insides are history, not the site; the folder itself is an
		// exposure when web-served.
		l.candidates = append(l.candidates, pathCandidate{rel, RuleExposedGit})
		return fs.SkipDir
	case strings.EqualFold(name, "node_modules"):
		w.skip(display, "third-party packages (node_modules), not scanned")
		return fs.SkipDir
	case isWebRootName(name):
		l.webRoots[rel] = true
	case strings.EqualFold(name, "wp-includes"):
		l.webRoots[path.Dir(rel)] = true
	}
	return nil
}

func (w *walker) file(i int, t *tree, l *layout, rel string, d fs.DirEntry, display string) error {
	name := path.Base(rel)
	if strings.EqualFold(name, "wp-config.php") {
		l.webRoots[path.Dir(rel)] = true
	}
	if !t.isFile {
		if rule := exposureRuleForName(rel); rule != "" {
			l.candidates = append(l.candidates, pathCandidate{rel, rule})
		}
	}
	if isMediaName(name) {
		return nil
	}
	info, err := d.Info()
	if err != nil {
		w.skip(display, readFailure(err))
		return nil
	}
	if info.Size() > w.maxSize {
		w.skip(display, tooLargeReason(info.Size(), w.maxSize))
		return nil
	}
	job := fileJob{
		tree:         i,
		fsys:         t.fsys,
		rel:          rel,
		display:      display,
		checkPhpinfo: !t.isFile && isPHPName(name) && info.Size() <= phpinfoMaxSize,
		wpVersion:    isWPVersionFile(filepath.ToSlash(display)),
	}
	select {
	case w.jobs <- job:
		return nil
	case <-w.ctx.Done():
		return w.ctx.Err()
	}
}

func (w *walker) skip(display, reason string) {
	w.report.skips = append(w.report.skips, Skip{Path: untrusted.Clean(display), Reason: reason})
}

// readFailure turns an I/O error into a plain reason without the path
// (the Skip carries it, sanitized).
func readFailure(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, fs.ErrNotExist):
		return "disappeared during the scan"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "could not be read: " + untrusted.Clean(err.Error())
}

func specialFileReason(typ fs.FileMode) string {
	kind := "special file"
	switch {
	case typ&fs.ModeNamedPipe != 0:
		kind = "named pipe"
	case typ&fs.ModeSocket != 0:
		kind = "socket"
	case typ&fs.ModeDevice != 0:
		kind = "device"
	}
	return kind + ", not read"
}

func tooLargeReason(size, limit int64) string {
	return fmt.Sprintf("too large (%s; the limit is %s)", formatSize(size), formatSize(limit))
}

func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, suffix := float64(n), ""
	for _, s := range []string{"KiB", "MiB", "GiB", "TiB"} {
		v, suffix = v/unit, s
		if v < unit {
			break
		}
	}
	return strings.Replace(fmt.Sprintf("%.1f %s", v, suffix), ".0 ", " ", 1)
}
