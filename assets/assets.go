// Package assets embeds the files mjrecover ships with: the demo web root
// with planted leaks, data tables and texts.
//
// CONTRACT STUB: signatures are fixed; bodies are being implemented.
package assets

import "errors"

// ExtractDemo writes the demo web root into dir (which must exist and be
// empty) and returns the path of the web root inside it.
func ExtractDemo(dir string) (string, error) { return "", errors.New("not implemented") }

// CommonPasswords returns the bundled list of common passwords, lower-case.
func CommonPasswords() []string { return nil }
