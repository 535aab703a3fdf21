//go:build !unix

package access

import "os"

// Without flock, the store relies on its in-process mutex and on the atomic
// rename of the codes file; two processes may then lose an update.
func lockFile(*os.File) error   { return nil }
func unlockFile(*os.File) error { return nil }
