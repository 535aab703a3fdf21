//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package plain

import "golang.org/x/sys/unix"

// flushInput discards what the terminal fd received and nobody read
// (tcflush TCIFLUSH: TIOCFLUSH with FREAD), and reports whether there was
// anything.
func flushInput(fd uintptr) bool {
	const (
		fread    = 1          // <sys/fcntl.h>
		fionread = 0x4004667f // _IOR('f', 127, int), <sys/filio.h>
	)
	n, err := unix.IoctlGetInt(int(fd), fionread)
	_ = unix.IoctlSetPointerInt(int(fd), unix.TIOCFLUSH, fread)
	return err == nil && n > 0
}
