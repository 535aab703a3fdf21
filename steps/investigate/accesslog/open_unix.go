//go:build unix

package accesslog

import "syscall"

// openFlags keep opening a log from blocking (a FIFO that appeared since
// the Lstat) or following a symlink swapped in since.
const openFlags = syscall.O_NONBLOCK | syscall.O_NOFOLLOW
