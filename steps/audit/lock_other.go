//go:build !unix

package audit

import "os"

// Without flock, the log relies on its in-process mutex: two processes
// appending at once may then break the chain.
func lockFile(*os.File) error   { return nil }
func unlockFile(*os.File) error { return nil }
