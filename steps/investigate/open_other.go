//go:build !unix

package investigate

// Elsewhere opening a named pipe does not block on a missing writer the
// same way; no flag is needed.
const openNonBlocking = 0
