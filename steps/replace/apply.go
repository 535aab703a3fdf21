package replace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/mjrecover/mjrecover/steps/internal/privatefile"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Applied is one file updated.
type Applied struct {
	Path     string   `json:"path"`
	Backup   string   `json:"backup"`             // the copy of the file as it was (0600)
	Replaced int      `json:"replaced"`           // values replaced
	Keys     []string `json:"api_keys"`           // old public keys replaced or given a new secret
	Names    []string `json:"names,omitempty"`    // the settings it gives the key (MAILJET_APIKEY), for environment notes
	Warnings []string `json:"warnings,omitempty"` // e.g. the owner could not be kept
}

// Applier updates files. The zero value is ready to use.
type Applier struct {
	// Now dates the backups' names (nil: time.Now).
	Now func() time.Time
	// BackupDir, when set, is where the backups go (made 0700 when
	// missing) instead of next to each file: a backup of a web-served
	// settings file must not itself be one more copy in the website.
	BackupDir string

	// beforeRename runs when the backup and the new content are written,
	// just before the new content replaces the file: tests make it fail to
	// show that a crash there leaves the original intact.
	beforeRename func() error
}

// backupLayout dates mjrecover's backups: wp-config.php.mjrecover-20261125-194500.bak.
const backupLayout = "20060102-150405"

// Apply updates one file of the plan:
//
//  1. checks it is the file that was planned (same size, time and
//     SHA-256), a plain writable file with no other names;
//  2. copies it to a new backup next to it, mode 0600, never overwriting;
//  3. writes the new content to a temporary file in the same folder,
//     gives it the original's owner, group and mode, and syncs it;
//  4. renames the temporary file over the original, which is atomic: a
//     reader sees the old file or the new one, never half of either.
//
// On an error the original is as it was, and what was created is removed;
// a crash between the steps leaves the original intact too (and at worst
// a backup and a hidden temporary file next to it). The returned error is
// a *FileError in plain words.
func (a *Applier) Apply(ctx context.Context, u Update) (Applied, error) {
	if err := ctx.Err(); err != nil {
		return Applied{}, err
	}
	if len(u.subs) == 0 {
		m := lang.Msg("There is nothing planned for this file. Make a plan first.")
		return Applied{}, &FileError{Path: u.Path, Problem: u.lang.Say(m), Say: m}
	}
	content, info, err := a.check(u)
	if err != nil {
		return Applied{}, fileError(u.lang, u.Path, err)
	}
	updated, changes := rewrite(content, u.subs)
	if len(changes) == 0 {
		return Applied{}, fileError(u.lang, u.Path, ErrChanged)
	}

	backup, err := a.writeBackup(u.Path, content, info)
	if err != nil {
		return Applied{}, fileError(u.lang, u.Path, err)
	}
	done := false
	defer func() {
		if !done {
			_ = os.Remove(backup) // the original is unchanged: the backup is not needed
		}
	}()

	warning, err := a.replaceContent(ctx, u, updated, info)
	if err != nil {
		return Applied{}, fileError(u.lang, u.Path, err)
	}
	done = true
	res := Applied{Path: u.Path, Backup: backup, Replaced: len(changes), Keys: u.Keys, Names: u.Names}
	if warning != "" {
		res.Warnings = append(res.Warnings, warning)
	}
	return res, nil
}

// check reads the file and makes sure it may be replaced.
func (a *Applier) check(u Update) ([]byte, fs.FileInfo, error) {
	content, info, st, err := readStamped(u.Path)
	if err != nil {
		return nil, nil, err
	}
	if !st.sameAs(u.stamp) {
		return nil, nil, ErrChanged
	}
	if _, _, links, ok := owner(info); ok && links > 1 {
		return nil, nil, ErrHardLinked
	}
	if err := checkWritable(u.Path, info); err != nil {
		return nil, nil, err
	}
	return content, info, nil
}

// writeBackup copies content to a new file next to path, readable by its
// owner alone, and returns its path. It never overwrites a file.
func (a *Applier) writeBackup(path string, content []byte, info fs.FileInfo) (string, error) {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	base := path + ".mjrecover-" + now().Format(backupLayout)
	if a.BackupDir != "" {
		if err := os.MkdirAll(a.BackupDir, 0o700); err != nil {
			return "", err
		}
		base = filepath.Join(a.BackupDir, filepath.Base(path)+".mjrecover-"+now().Format(backupLayout))
	}
	for n := 1; n <= 100; n++ {
		name := base + ".bak"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.bak", base, n)
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_ = keepOwner(nil, f, info) // so the site's owner can read their backup; mode stays 0600
		if err := writeAndSync(f, content); err != nil {
			_ = os.Remove(name)
			return "", err
		}
		return name, nil
	}
	return "", fmt.Errorf("too many backups of %s already", filepath.Base(path))
}

// replaceContent writes updated to a temporary file and renames it over
// u.Path. It returns a warning when the owner could not be kept.
func (a *Applier) replaceContent(ctx context.Context, u Update, updated []byte, info fs.FileInfo) (string, error) {
	dir, name := filepath.Split(u.Path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+name+".mjrecover-tmp-*")
	if err != nil {
		return "", err
	}
	tmpName := tmp.Name()
	renamed := false
	defer func() {
		if !renamed {
			_ = os.Remove(tmpName)
		}
	}()
	// Owner first: chown clears the set-user-ID bits the mode may restore.
	warning := keepOwner(u.lang, tmp, info)
	if err := tmp.Chmod(info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
		_ = tmp.Close()
		return "", err
	}
	if err := writeAndSync(tmp, updated); err != nil {
		return "", err
	}
	if a.beforeRename != nil {
		if err := a.beforeRename(); err != nil {
			return "", err
		}
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	// Changed in the meantime (an editor saving)? Then leave it be.
	if now, err := os.Lstat(u.Path); err != nil || !u.stamp.sameMeta(now) {
		return "", ErrChanged
	}
	if err := os.Rename(tmpName, u.Path); err != nil {
		return "", err
	}
	renamed = true
	privatefile.SyncDir(dir)
	return warning, nil
}

// writeAndSync writes data, flushes it to disk and closes f.
func writeAndSync(f *os.File, data []byte) error {
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
