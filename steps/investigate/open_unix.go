//go:build unix

package investigate

import "syscall"

const openNonBlocking = syscall.O_NONBLOCK
