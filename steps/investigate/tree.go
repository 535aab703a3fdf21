package investigate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// tree is one root opened for scanning. Reads go through os.Root, so a
// file swapped for a symbolic link during the scan cannot lead outside
// the root.
type tree struct {
	given  string // the root as the user gave it: paths are shown joined to it
	fsys   fs.FS  // the root folder, or the folder holding a file root
	start  string // "." for a folder root, the file's name for a file root
	isFile bool
	name   string // the root folder's own name, for the web-root rule
	close  func() error
}

// display is the path shown for rel (a slash path inside the tree).
func (t *tree) display(rel string) string {
	if t.isFile {
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
	t := &tree{given: given, start: ".", name: filepath.Base(resolved)}
	dir := resolved
	if !info.IsDir() {
		dir, t.start, t.isFile = filepath.Dir(resolved), filepath.Base(resolved), true
		t.name = filepath.Base(dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, rootError(given, err)
	}
	t.fsys, t.close = rootFS{root}, root.Close
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

// rootFS opens files without blocking: a named pipe that replaced a
// regular file after the walk listed it would otherwise hang a worker
// until some other process writes to it.
type rootFS struct{ root *os.Root }

func (r rootFS) Open(name string) (fs.File, error) {
	return r.root.OpenFile(name, os.O_RDONLY|openNonBlocking, 0)
}
