// Package assets embeds the files mjrecover ships with: the demo web root
// with planted leaks, data tables and texts.
//
// Everything here is read-only data compiled into the binary; parsed forms
// are built once, lazily. The package depends on nothing else in the
// module, so every step may import it.
package assets
