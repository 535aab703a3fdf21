package replace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Removed is one leaked copy taken away.
type Removed struct {
	Path    string `json:"path"`
	MovedTo string `json:"moved_to"` // in the quarantine folder
}

// Why leaks are moved, not deleted: moving them out of the website closes
// the leak just as well, and a file removed by mistake (a page the site
// needed, the only copy of some settings) can be put back. The quarantine
// folder is the user's alone (0700) and its README says to delete it once
// the sites work.

// quarantineReadme is the folder's README.txt, in p's language.
func quarantineReadme(p *lang.Printer) string {
	return p.T("Files mjrecover moved out of your websites because they leaked keys or passwords.\n\n" +
		"Each line below names a file as it was and where it is now. Once your websites\n" +
		"work, delete this whole folder: the files in it still hold old passwords.\n" +
		"To put a file back, move it to the path on its line.\n\n")
}

// NewQuarantine creates the folder leaked copies are moved into:
// parent/mjrecover-removed-DATE, readable by the user alone. It never
// reuses an existing folder.
func NewQuarantine(p *lang.Printer, parent string, now time.Time) (string, error) {
	base := filepath.Join(parent, "mjrecover-removed-"+now.Format(backupLayout))
	for n := 1; n <= 100; n++ {
		dir := base
		if n > 1 {
			dir = fmt.Sprintf("%s-%d", base, n)
		}
		err := os.Mkdir(dir, 0o700)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("create the folder for removed files: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, "README.txt"), []byte(quarantineReadme(p)), 0o600); err != nil {
			return "", fmt.Errorf("create the folder for removed files: %w", err)
		}
		return dir, nil
	}
	return "", errors.New("create the folder for removed files: too many already exist")
}

// Remove moves a leaked file into the quarantine folder (see
// NewQuarantine), after checking it is still what was planned. The
// returned error is a *FileError in plain words; the file is then where it
// was.
func Remove(ctx context.Context, r Removal, quarantine string) (Removed, error) {
	if err := ctx.Err(); err != nil {
		return Removed{}, err
	}
	info, err := os.Lstat(r.Path)
	if err != nil {
		return Removed{}, fileError(r.lang, r.Path, err)
	}
	if !info.Mode().IsRegular() {
		return Removed{}, fileError(r.lang, r.Path, ErrNotPlainFile)
	}
	if _, _, st, err := readStamped(r.Path); err != nil || !st.sameAs(r.stamp) {
		return Removed{}, fileError(r.lang, r.Path, ErrChanged)
	}
	target, err := freeName(quarantine, filepath.Base(r.Path))
	if err != nil {
		return Removed{}, fileError(r.lang, r.Path, err)
	}
	if err := move(r.Path, target); err != nil {
		return Removed{}, fileError(r.lang, r.Path, err)
	}
	note := untrusted.Clean(r.Path) + "\t" + filepath.Base(target) + "\n"
	if f, err := os.OpenFile(filepath.Join(quarantine, "README.txt"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err == nil {
		_, _ = io.WriteString(f, note) // the list is a convenience; the move is done
		_ = f.Close()
	}
	return Removed{Path: r.Path, MovedTo: target}, nil
}

// freeName returns a path in dir for name that does not exist yet.
func freeName(dir, name string) (string, error) {
	name = strings.TrimLeft(name, ".") // visible in the quarantine: ".env.bak" → "env.bak"
	if name == "" {
		name = "file"
	}
	for n := 1; n <= 1000; n++ {
		p := filepath.Join(dir, name)
		if n > 1 {
			p = filepath.Join(dir, fmt.Sprintf("%d-%s", n, name))
		}
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
	}
	return "", errors.New("too many files of that name in the quarantine folder")
}

// move renames the file from to to; across file systems it copies it
// (0600) and then deletes the original.
func move(from, to string) error {
	err := os.Rename(from, to)
	if err == nil || !errors.Is(err, syscall.EXDEV) {
		return err
	}
	content, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := writeAndSync(f, content); err != nil {
		_ = os.Remove(to)
		return err
	}
	return os.Remove(from)
}
