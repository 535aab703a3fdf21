package accesslog

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Locations says where to look for access logs.
type Locations struct {
	// Logs are the --logs PATH values: a file (read whatever its name,
	// with its rotated siblings) or a folder (its access logs).
	Logs []string
	// Trees are the scanned trees (site roots): their own logs/ folder and
	// the hosting panel's folders beside them (cPanel's ~/logs and
	// ~/access-logs beside public_html, Plesk's logs/ beside httpdocs).
	Trees []string
	// Roots are file-system roots under which the usual system places are
	// looked at (var/log/apache2, var/log/httpd, var/log/nginx,
	// var/www/vhosts/*/logs, home/*/logs, home/*/access-logs ...): "/" for
	// the real system, a temporary folder in tests, none to skip them.
	Roots []string
}

// Skipped is a file that was not read, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// systemPlaces are the usual log folders, relative to a root, as globs.
var systemPlaces = []string{
	"var/log/apache2",
	"var/log/apache2/domlogs",
	"var/log/httpd",
	"var/log/nginx",
	"usr/local/apache/logs",
	"usr/local/apache/domlogs",
	"var/www/vhosts/*/logs",
	"var/www/vhosts/system/*/logs",
	"home/*/logs",
	"home/*/access-logs",
}

// treePlaces are the log folders of a site, relative to its root.
var treePlaces = []string{"logs", "log", "access-logs", "../logs", "../access-logs"}

// maxDirEntries bounds how many entries of one folder are considered.
const maxDirEntries = 4096

// sniffBytes is how much of a file content sniffing reads.
const sniffBytes = 16 << 10

// Find returns the access logs found at loc, deduplicated and in reading
// order (SortRotated), and the candidates it skipped (symlinks, pipes,
// devices, unreadable files) with the reason. Nothing found is no error.
func Find(ctx context.Context, loc Locations) ([]string, []Skipped) {
	f := finder{seen: map[string]bool{}, seenDir: map[string]bool{}}
	for _, p := range loc.Logs {
		if ctx.Err() != nil {
			break
		}
		f.explicit(p)
	}
	for _, t := range loc.Trees {
		for _, rel := range treePlaces {
			if ctx.Err() != nil {
				break
			}
			f.dir(filepath.Join(t, rel), false)
		}
	}
	for _, root := range loc.Roots {
		for _, g := range systemPlaces {
			if ctx.Err() != nil {
				break
			}
			matches, _ := filepath.Glob(filepath.Join(root, g))
			for _, m := range matches {
				f.dir(m, false)
			}
		}
	}
	return SortRotated(f.files), f.skipped
}

type finder struct {
	files   []string
	skipped []Skipped
	seen    map[string]bool
	seenDir map[string]bool
}

func (f *finder) add(p string) {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if !f.seen[p] {
		f.seen[p] = true
		f.files = append(f.files, p)
	}
}

func (f *finder) skip(p, reason string) {
	if !f.seen[p] {
		f.seen[p] = true
		f.skipped = append(f.skipped, Skipped{Path: p, Reason: reason})
	}
}

func (f *finder) explicit(p string) {
	p = filepath.Clean(p)
	info, err := os.Lstat(p)
	if err != nil {
		f.skip(p, failure(err))
		return
	}
	if info.IsDir() {
		f.dir(p, true)
		return
	}
	if reason := special(info); reason != "" {
		f.skip(p, reason)
		return
	}
	f.add(p)
	// Its rotated siblings: access.log.1, access.log.2.gz ...
	base := rotationOf(p).base
	dir := filepath.Dir(p)
	entries, err := readDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		q := filepath.Join(dir, e.Name())
		if q == p || rotationOf(q).base != base {
			continue
		}
		if reason := typeReason(e.Type()); reason != "" {
			f.skip(q, reason)
			continue
		}
		f.add(q)
	}
}

// dir adds the access logs of one folder (not its subfolders): by name,
// or, for other files, by their first lines. given says the user named
// the folder, so a missing one is worth reporting.
func (f *finder) dir(dir string, given bool) {
	dir = filepath.Clean(dir)
	if f.seenDir[dir] {
		return
	}
	f.seenDir[dir] = true
	info, err := os.Lstat(dir)
	if err != nil {
		if given {
			f.skip(dir, failure(err))
		}
		return
	}
	if !info.IsDir() {
		if given || info.Mode()&fs.ModeSymlink != 0 {
			// A symlinked log folder is not followed either.
			f.skip(dir, special(info))
		}
		return
	}
	entries, err := readDir(dir)
	if err != nil {
		f.skip(dir, failure(err))
		return
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		name := strings.ToLower(e.Name())
		byName := LooksLikeAccessLog(name)
		if !byName && (strings.Contains(name, "error") || strings.HasPrefix(name, ".")) {
			continue
		}
		if reason := typeReason(e.Type()); reason != "" {
			if byName {
				f.skip(p, reason)
			}
			continue
		}
		if byName || Sniff(p) {
			f.add(p)
		}
	}
}

// readDir lists at most maxDirEntries entries, sorted.
func readDir(dir string) ([]fs.DirEntry, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	entries, err := d.ReadDir(maxDirEntries)
	if err != nil && err != io.EOF {
		return nil, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return entries, nil
}

// LooksLikeAccessLog says whether a file name is an access log's
// (access.log, access_log, example.com-access.log.1, ssl_access_log.2.gz,
// access.log-20261120): it names "access" and "log", and no error log.
func LooksLikeAccessLog(name string) bool {
	name = strings.ToLower(name)
	return strings.Contains(name, "access") && strings.Contains(name, "log") && !strings.Contains(name, "error")
}

// Sniff says whether the file at path starts like an access log: of its
// first (at most five) lines, more than half parse. A gzip file is
// sniffed on its decompressed start. Special files are never opened.
func Sniff(path string) bool {
	f, _, reason := openLog(path)
	if reason != "" {
		return false
	}
	defer f.Close()
	var r io.Reader = bufio.NewReaderSize(io.LimitReader(f, sniffBytes), 4096)
	br := r.(*bufio.Reader)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return false
		}
		r = io.LimitReader(gz, sniffBytes)
	}
	head, _ := io.ReadAll(r)
	good, lines := 0, 0
	var rw raw
	for len(head) > 0 && lines < 5 {
		k := bytes.IndexByte(head, '\n')
		if k < 0 {
			break // a partial last line is not judged
		}
		line := head[:k]
		head = head[k+1:]
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		lines++
		if parseRaw(line, &rw) {
			good++
		}
	}
	return lines > 0 && good*2 > lines
}

// openLog opens a log file without following a symlink or blocking on a
// pipe, and only if it is a regular file; reason says why not.
func openLog(path string) (*os.File, fs.FileInfo, string) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, nil, failure(err)
	}
	if reason := special(info); reason != "" {
		return nil, nil, reason
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, failure(err)
	}
	info, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, failure(err)
	}
	if reason := special(info); reason != "" {
		// Swapped for something else since the Lstat.
		f.Close()
		return nil, nil, reason
	}
	return f, info, ""
}

func special(info fs.FileInfo) string {
	if info.Mode().IsRegular() {
		return ""
	}
	if r := typeReason(info.Mode().Type()); r != "" {
		return r
	}
	return "not a regular file"
}

func typeReason(t fs.FileMode) string {
	switch {
	case t&fs.ModeSymlink != 0:
		return "symbolic link (not followed)"
	case t&fs.ModeNamedPipe != 0:
		return "named pipe (not read)"
	case t&fs.ModeSocket != 0:
		return "socket (not read)"
	case t&fs.ModeDevice != 0:
		return "device (not read)"
	case t&fs.ModeDir != 0:
		return "folder"
	case t.IsRegular():
		return ""
	}
	return "not a regular file"
}

func failure(err error) string {
	switch {
	case os.IsNotExist(err):
		return "not found"
	case os.IsPermission(err):
		return "permission denied"
	}
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// statSize is the size of a regular file, for progress totals.
func statSize(path string) (int64, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return 0, err
	}
	if !info.Mode().IsRegular() {
		return 0, nil
	}
	return info.Size(), nil
}
