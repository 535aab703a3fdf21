package investigate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate/archive"
)

// batchSize is how many files of one folder a task reads: small enough to
// share a big folder between workers, large enough to keep the queue and
// the result channel quiet.
const batchSize = 128

// phpinfoMaxSize: a phpinfo page is a line or two; a large PHP file that
// mentions phpinfo( is an application (an admin screen), not a leak page.
// phpinfoOutputMaxSize bounds a saved page of phpinfo's output (about
// 100 KiB with many extensions).
const (
	phpinfoMaxSize       = 32 << 10
	phpinfoOutputMaxSize = 1 << 20
)

// pathCandidate is a path that an exposure rule matched by name; whether
// it is inside a web root is judged after the walk.
type pathCandidate struct {
	rel  string
	rule string
	link bool // a symbolic link (not followed) named like the file
}

// folderMarks is what a folder's listing says about serving it.
type folderMarks struct {
	rel   string
	marks siteMarks
}

// batch is what a worker learnt from one task. The scan goroutine merges
// batches; nothing here is shared while a worker fills it.
type batch struct {
	tree        int
	files       int
	bytes       int64
	current     string // last path read, not yet sanitized
	findings    []Finding
	skips       []Skip
	webRoots    []string      // slash paths of folders named like a web root
	folders     []folderMarks // folders whose listing shows site or project files
	stubs       []string      // index pages that only stop a folder's listing
	denied      []string      // folders whose .htaccess refuses every visitor
	configRoots []configRoot  // document roots named by configuration files read
	candidates  []pathCandidate
	gitDirs     []string // slash paths of .git folders
	phpinfo     []string // slash paths of phpinfo pages (PHP calling it, or its output saved)
	versions    []foundVersion
	plugins     []foundPlugin
}

func (b *batch) skip(display, reason string) {
	b.skips = append(b.skips, Skip{Path: untrusted.Clean(display), Reason: reason})
}

// worker lists folders and reads files. Each has its own read buffer and
// archive reader, so memory stays at about one file per worker however
// large the tree.
type worker struct {
	s        *scanner
	q        *queue
	buf      []byte
	archives archive.Reader
}

func (w *worker) run(ctx context.Context, results chan<- *batch) {
	for {
		t, ok := w.q.pop()
		if !ok {
			return
		}
		b := &batch{tree: t.tree}
		if ctx.Err() == nil {
			if t.dir != nil {
				w.readFiles(ctx, b, t)
			} else {
				w.listFolder(b, t)
			}
		}
		t.release()
		w.q.done()
		select {
		case results <- b:
		case <-ctx.Done():
		}
	}
}

// listFolder opens and lists one folder, queues its subfolders and file
// batches, and reads the first batch itself.
func (w *worker) listFolder(b *batch, t task) {
	tr := w.s.trees[t.tree]
	var f folder
	var err error
	if t.parent == nil {
		f, err = tr.top.openFolder(".")
	} else {
		f, err = t.parent.f.openFolder(path.Base(t.rel))
	}
	if err != nil {
		b.skip(tr.display(t.rel), readFailure(err))
		return
	}
	h := newHandle(f)
	defer h.release()
	if tr.isFile() {
		w.q.push(task{tree: t.tree, rel: ".", dir: h.acquire(), files: []string{tr.file}})
		return
	}
	entries, err := f.list()
	if err != nil {
		b.skip(tr.display(t.rel), readFailure(err))
		return
	}
	var files, archives, folders []string
	var marks siteMarks
	for _, e := range entries {
		name := e.Name()
		rel := joinRel(t.rel, name)
		typ := e.Type()
		marks |= entryMarks(name, e.IsDir())
		switch {
		case typ&fs.ModeSymlink != 0:
			// Never followed: no loops, and nothing outside the roots is read.
			b.skip(tr.display(rel), "symbolic link not followed")
			noteLink(b, rel)
		case ownPrivate(e):
			b.skip(tr.display(rel), "mjrecover's own private file or folder (readable by its owner only)")
		case e.IsDir():
			if w.noteFolder(b, tr, rel, name) {
				folders = append(folders, name)
			}
		case !typ.IsRegular():
			b.skip(tr.display(rel), specialFileReason(typ))
		case !noteFile(b, rel, name):
			// An image, a font, a compiled file: not read.
		case archiveKindOf(name) != notArchive:
			archives = append(archives, name)
		default:
			files = append(files, name)
		}
	}
	if marks != 0 {
		b.folders = append(b.folders, folderMarks{t.rel, marks})
	}
	// Which archives to open depends on the whole listing (an index.php
	// makes the folder served): see archive_choice.go.
	place := t.backupPlace || isBackupPlace(t.rel, folderName(tr, t.rel), marks)
	for _, name := range archives {
		if w.s.opensArchive(joinRel(t.rel, name), archiveKindOf(name), place) {
			files = append(files, name)
		}
	}
	for _, name := range folders {
		w.q.push(task{tree: t.tree, rel: joinRel(t.rel, name), parent: h.acquire(), backupPlace: place})
	}
	for len(files) > batchSize {
		cut := len(files) - batchSize
		w.q.push(task{tree: t.tree, rel: t.rel, dir: h.acquire(), files: files[cut:]})
		files = files[:cut]
	}
	if len(files) > 0 {
		w.q.push(task{tree: t.tree, rel: t.rel, dir: h.acquire(), files: files})
	}
}

// folderName is the name of the folder at rel: the root's own for ".".
func folderName(tr *tree, rel string) string {
	if rel == "." {
		return tr.name
	}
	return path.Base(rel)
}

// noteFolder records what a folder's name says about the layout and
// reports whether to go inside.
func (w *worker) noteFolder(b *batch, tr *tree, rel, name string) bool {
	switch {
	case strings.EqualFold(name, ".git"):
		// Its insides are history (read with Options.History), not the
		// site; the folder itself is an exposure when web-served.
		b.candidates = append(b.candidates, pathCandidate{rel: rel, rule: RuleExposedGit})
		b.gitDirs = append(b.gitDirs, rel)
		return false
	case strings.EqualFold(name, "node_modules"):
		b.skip(tr.display(rel), "third-party packages (node_modules), not scanned")
		return false
	case isWebRootName(name):
		b.webRoots = append(b.webRoots, rel)
	}
	return true
}

// noteFile records what a file's name says and reports whether to read it.
func noteFile(b *batch, rel, name string) bool {
	if rule := exposureRuleForName(rel); rule != "" {
		b.candidates = append(b.candidates, pathCandidate{rel: rel, rule: rule})
	}
	return !isMediaName(name)
}

// noteLink records a symbolic link named like a settings file or a
// wp-config.php copy: inside a web root it is an exposure, since the web
// server follows links; the scan reads neither it nor its target.
func noteLink(b *batch, rel string) {
	if rule := exposureRuleForName(rel); rule == RuleExposedEnv || rule == RuleExposedWPBackup {
		b.candidates = append(b.candidates, pathCandidate{rel: rel, rule: rule, link: true})
	}
}

func (w *worker) readFiles(ctx context.Context, b *batch, t task) {
	tr := w.s.trees[t.tree]
	for _, name := range t.files {
		if ctx.Err() != nil {
			return
		}
		rel := joinRel(t.rel, name)
		if tr.isFile() {
			rel = name
		}
		w.readFile(ctx, b, tr, t.dir.f, rel, name)
	}
}

func (w *worker) readFile(ctx context.Context, b *batch, tr *tree, dir folder, rel, name string) {
	display := tr.display(rel)
	b.current = display
	if kind := archiveKindOf(name); kind != notArchive && !w.s.opts.NoArchives {
		w.readArchive(ctx, b, dir, name, display, kind)
		return
	}
	content, reason := w.read(dir, name)
	if reason != "" {
		b.skip(display, reason)
		return
	}
	b.files++
	b.bytes += int64(len(content))
	if !tr.isFile() {
		noteSiteFile(b, rel, name, content)
	}
	src := source{
		rel:     rel,
		display: display,
		phpinfo: !tr.isFile() && mayBePhpinfoPage(name, len(content)),
	}
	if mayBeVersionFile(display, name) {
		slash := path.Clean(strings.ReplaceAll(display, `\`, "/"))
		src.wpVersion, src.plugin = isWPVersionFile(slash), pluginFileOf(slash)
	}
	w.inspect(b, src, content)
}

// mayBeVersionFile is the cheap test before the WordPress checks lower-case
// a file's whole path: only wp-includes/version.php, and a plugin's PHP
// files and readme.txt one or two folders into wp-content/plugins/, say a
// version.
func mayBeVersionFile(display, name string) bool {
	switch {
	case strings.EqualFold(name, "version.php"):
		return true
	case !isPHPName(name) && !strings.EqualFold(name, "readme.txt"):
		return false
	case !strings.HasSuffix(display, name):
		return true // a file root given by another name: check it fully
	}
	dir := display[:len(display)-len(name)]
	for range 2 {
		dir = strings.TrimRight(dir, `/\`)
		i := strings.LastIndexAny(dir, `/\`)
		if strings.EqualFold(dir[i+1:], "plugins") {
			return true
		}
		if i < 0 {
			return false
		}
		dir = dir[:i]
	}
	return false
}

// mayBePhpinfoPage reports the files worth reading for a phpinfo page: a
// small PHP file, or an HTML page that may be phpinfo's output saved.
func mayBePhpinfoPage(name string, size int) bool {
	if isPHPName(name) {
		return size <= phpinfoMaxSize
	}
	return isHTMLName(name) && size <= phpinfoOutputMaxSize
}

func joinRel(dir, name string) string {
	if dir == "." {
		return name
	}
	return dir + "/" + name
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

// ownPrivate reports a file or folder mjrecover wrote for the user (a
// report, saved keys or codes, backups of updated settings, leaked copies
// moved out of a website): named mjrecover-… and readable by its owner
// alone. They hold old or new keys on purpose and are no leak; the same
// name readable by others is scanned like any file.
func ownPrivate(e fs.DirEntry) bool {
	if !strings.HasPrefix(e.Name(), "mjrecover-") {
		return false
	}
	info, err := e.Info()
	return err == nil && info.Mode().Perm()&0o077 == 0
}
