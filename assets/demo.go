package assets

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// demoFiles is the demo hosting account: a WordPress shop in public_html/,
// a Laravel app and a Node app next to it, with the sandbox account's
// master and "Shop" pairs planted where real sites leak them. The "all:"
// prefix keeps dotfiles (.env, .htaccess).
//
//go:embed all:demo
var demoFiles embed.FS

const (
	demoDir     = "demo"    // top folder inside demoFiles
	demoWebRoot = "webroot" // folder ExtractDemo returns
	// gitStandIn is how the demo stores a ".git" folder: git refuses to
	// track a path named .git and go:embed refuses to embed one.
	gitStandIn = "dotgit"
)

// ExtractDemo writes the demo web root into dir (which must exist and be
// empty) and returns the path of the web root inside it, its access logs
// telling a story that ends now (see ExtractDemoAt).
func ExtractDemo(dir string) (string, error) { return ExtractDemoAt(dir, time.Now()) }

// ExtractDemoAt is ExtractDemo with the story's end given: the logs and
// the leaked file's time are relative to now, like the sandbox's sending
// spike. Folders are created 0700 and files 0600: the demo holds (fake)
// secrets.
func ExtractDemoAt(dir string, now time.Time) (string, error) {
	if err := requireEmptyDir(dir); err != nil {
		return "", err
	}
	if err := extract(demoFiles, demoDir, dir); err != nil {
		return "", fmt.Errorf("extract demo: %w", err)
	}
	root := filepath.Join(dir, demoWebRoot)
	if err := writeDemoLogs(root, now); err != nil {
		return "", err
	}
	return root, nil
}

func requireEmptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("demo folder: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("demo folder %q is not empty", dir)
	}
	return nil
}

// extract copies the tree below top in fsys into dir. Writes go through
// os.Root, so no name can land outside dir even if the check in
// demoTarget were wrong.
func extract(fsys fs.FS, top, dir string) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	return fs.WalkDir(fsys, top, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name == top {
			return nil
		}
		target, err := demoTarget(top, name)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return mkdirPrivate(root, target)
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", name)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		return writePrivate(root, target, data)
	})
}

// demoTarget maps an embedded name to its path below the extraction
// folder, restoring ".git" and refusing anything that would escape.
func demoTarget(top, name string) (string, error) {
	rel, ok := strings.CutPrefix(name, top+"/")
	if !ok || !fs.ValidPath(rel) {
		return "", fmt.Errorf("embedded path %q is outside the demo", name)
	}
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		if p == gitStandIn {
			parts[i] = ".git"
		}
	}
	target := filepath.FromSlash(path.Join(parts...))
	if !filepath.IsLocal(target) {
		return "", fmt.Errorf("embedded path %q escapes the demo folder", name)
	}
	return target, nil
}

func mkdirPrivate(root *os.Root, name string) error {
	if err := root.Mkdir(name, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	// Chmod because the umask may have removed bits.
	return root.Chmod(name, 0o700)
}

func writePrivate(root *os.Root, name string, data []byte) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return root.Chmod(name, 0o600)
}
