package investigate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// folder is one open directory of a scanned tree. Names are opened one at
// a time relative to it, through os.Root: a name swapped for a symbolic
// link after the listing cannot lead outside the folder, and opening costs
// one system call, not one per path component.
type folder interface {
	list() ([]fs.DirEntry, error)
	openFolder(name string) (folder, error)
	openFile(name string) (fs.File, error)
	lstat(name string) (fs.FileInfo, error) // a slash path below the folder; a link is not followed
	readlink(name string) (string, error)   // a link's target, as written
	close() error
}

// rootFolder is a folder open through os.Root, so no name leads out of
// it; dir, where set, is a descriptor of it to open files in
// (rawfile_linux.go).
type rootFolder struct {
	r   *os.Root
	dir *os.File
}

func (f rootFolder) list() ([]fs.DirEntry, error) {
	return listRoot(f.r) // directory order: results are sorted at the end
}

func (f rootFolder) openFolder(name string) (folder, error) {
	r, err := f.r.OpenRoot(name)
	if err != nil {
		return nil, err
	}
	return newRootFolder(r)
}

func (f rootFolder) lstat(name string) (fs.FileInfo, error) { return f.r.Lstat(name) }

func (f rootFolder) readlink(name string) (string, error) { return f.r.Readlink(name) }

func (f rootFolder) close() error {
	if f.dir != nil {
		f.dir.Close() // read-only: nothing to lose
	}
	return f.r.Close()
}

// tree is one root opened for scanning.
type tree struct {
	given string // the root as the user gave it: paths are shown joined to it
	top   folder // the root folder, or the folder holding a file root
	file  string // a file root's name in top; "" for a folder root
	name  string // the root folder's own name, for the web-root rule
	dir   string // absolute path of top, for reading git history
	// machine is where this machine's web server configuration is looked
	// for, to find the tree's document roots: "/"; tests give a fixture.
	machine string
}

func (t *tree) isFile() bool { return t.file != "" }

// display is the path shown for rel (a slash path inside the tree).
func (t *tree) display(rel string) string {
	if t.isFile() {
		return t.given
	}
	return filepath.Join(t.given, filepath.FromSlash(rel))
}

// openTree opens a root. A root that is itself a symbolic link is
// resolved first: the user named it.
func openTree(given string) (*tree, error) {
	resolved, err := filepath.EvalSymlinks(given)
	if err != nil {
		return nil, rootError(given, err)
	}
	if resolved, err = filepath.Abs(resolved); err != nil {
		return nil, rootError(given, err)
	}
	info, err := os.Stat(resolved)
	if err != nil {
		return nil, rootError(given, err)
	}
	t := &tree{given: given, name: filepath.Base(resolved), dir: resolved, machine: "/"}
	if !info.IsDir() {
		t.dir, t.file = filepath.Dir(resolved), filepath.Base(resolved)
		t.name = filepath.Base(t.dir)
	}
	root, err := os.OpenRoot(t.dir)
	if err != nil {
		return nil, rootError(given, err)
	}
	if t.top, err = newRootFolder(root); err != nil {
		return nil, rootError(given, err)
	}
	return t, nil
}

// rootError keeps the cause (errors.Is works) without the OS error's own
// copy of the path.
func rootError(given string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot scan %q: %w", untrusted.Clean(given), err)
}
