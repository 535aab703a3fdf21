//go:build linux

package plain

import "golang.org/x/sys/unix"

// flushInput discards what the terminal fd received and nobody read
// (tcflush TCIFLUSH), and reports whether there was anything.
func flushInput(fd uintptr) bool {
	n, err := unix.IoctlGetInt(int(fd), unix.TIOCINQ)
	_ = unix.IoctlSetInt(int(fd), unix.TCFLSH, unix.TCIFLUSH)
	return err == nil && n > 0
}
