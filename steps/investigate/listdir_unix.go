//go:build unix

package investigate

import (
	"io/fs"
	"os"
	"syscall"
)

// listRoot lists the folder r is open on with the entry types the folder
// itself records, as os.ReadDir does for a path. A listing through
// os.Root stats every entry instead (so that Info never looks outside
// the root): one system call per file the walk does not need, since it
// asks for the type alone. Listed through a duplicate of the folder's
// descriptor, entries still get their Info from r, never by path.
func listRoot(r *os.Root) ([]fs.DirEntry, error) {
	// Opened non-blocking (a folder never blocks), the os package does
	// not switch the descriptor's mode back and forth: two fcntl calls.
	d, err := r.OpenFile(".", os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	fd, err := dupCloseOnExec(int(d.Fd()))
	if err != nil {
		return d.ReadDir(-1)
	}
	dup := os.NewFile(uintptr(fd), d.Name())
	defer dup.Close()
	entries, err := dup.ReadDir(-1)
	for i, e := range entries {
		entries[i] = rootEntry{e, r}
	}
	return entries, err
}

// dupCloseOnExec duplicates fd the way the os package does where
// F_DUPFD_CLOEXEC is missing: under ForkLock, so no program started
// meanwhile inherits it.
func dupCloseOnExec(fd int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	nfd, err := syscall.Dup(fd)
	if err != nil {
		return -1, err
	}
	syscall.CloseOnExec(nfd)
	return nfd, nil
}

// rootEntry is a listed entry whose Info is asked of the root.
type rootEntry struct {
	fs.DirEntry
	r *os.Root
}

func (e rootEntry) Info() (fs.FileInfo, error) { return e.r.Lstat(e.Name()) }
