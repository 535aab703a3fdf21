//go:build !unix

package accesslog

// Elsewhere opening a named pipe does not block on a missing writer the
// same way; no flag is needed.
const openFlags = 0
