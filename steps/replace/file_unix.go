//go:build unix

package replace

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// openNoFollow makes an open fail on a symbolic link.
const openNoFollow = syscall.O_NOFOLLOW

// owner returns a file's owner, group and number of names (hard links).
func owner(info fs.FileInfo) (uid, gid int, links uint64, ok bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 1, false
	}
	return int(st.Uid), int(st.Gid), uint64(st.Nlink), true
}

// checkWritable refuses a file the user marked read-only (no write bit
// for its owner: root could still write it, but someone meant it to stay
// as it is) or that this process may not write.
func checkWritable(path string, info fs.FileInfo) error {
	if info.Mode().Perm()&0o200 == 0 {
		return ErrReadOnly
	}
	if err := syscall.Access(path, 2 /* W_OK */); err != nil {
		if errors.Is(err, syscall.EROFS) {
			return ErrReadOnly
		}
		return &fs.PathError{Op: "access", Path: path, Err: err}
	}
	return nil
}

// keepOwner gives f the owner and group of info. Without the right to
// (not root), it keeps the group if it can and says what it could not keep.
func keepOwner(p *lang.Printer, f *os.File, info fs.FileInfo) (warning string) {
	uid, gid, _, ok := owner(info)
	if !ok {
		return ""
	}
	if f.Chown(uid, gid) == nil {
		return ""
	}
	if f.Chown(-1, gid) == nil {
		return p.T("The file now belongs to you instead of its previous owner (only an administrator can keep the owner). " +
			"If the website stops sending, ask your hosting provider to give it back to the website's user.")
	}
	return p.T("The file now belongs to you and your group instead of its previous owner and group (only an administrator can keep them). " +
		"If the website stops sending, ask your hosting provider to give it back to the website's user.")
}
