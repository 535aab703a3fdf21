//go:build windows

package plain

import "golang.org/x/sys/windows"

// flushInput discards what the console received and nobody read. The
// console does not say whether there was anything (its events are key
// presses and releases, not characters).
func flushInput(fd uintptr) bool {
	_ = windows.FlushConsoleInputBuffer(windows.Handle(fd))
	return false
}
