//go:build !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd && !windows

package plain

// flushInput cannot discard a terminal's pending input here: the lines
// typed ahead are then read as answers.
func flushInput(uintptr) bool { return false }
