//go:build !unix

// Package filelock takes advisory locks on open files. Without flock, it
// locks nothing: callers rely on their in-process mutexes and on atomic
// renames, and two processes may then race.
package filelock

import (
	"errors"
	"os"
)

// ErrLocked: another process holds the lock.
var ErrLocked = errors.New("the file is locked by another process")

func Lock(*os.File) error    { return nil }
func TryLock(*os.File) error { return nil }
func Unlock(*os.File) error  { return nil }
