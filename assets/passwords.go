package assets

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
)

// commonPasswordsText is the offline fallback list for the password step:
// one lower-case password a line, most common first; lines starting with
// '#' are comments (the header names the source and licence).
//
//go:embed data/common-passwords.txt
var commonPasswordsText string

// commonPasswords parses the list once; the embedded text never changes.
var commonPasswords = sync.OnceValue(func() []string {
	lines := strings.Split(commonPasswordsText, "\n")
	words := make([]string, 0, len(lines))
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words = append(words, strings.ToLower(line))
	}
	return words
})

// CommonPasswords returns the bundled list of common passwords, lower-case,
// most common first. The slice is a copy: callers may sort or trim it.
func CommonPasswords() []string {
	return slices.Clone(commonPasswords())
}

// passphraseWordsText is the word list for suggested passphrases: one
// plain, common word a line; lines starting with '#' are comments.
//
//go:embed data/words-en.txt
var passphraseWordsText string

var passphraseWords = sync.OnceValue(func() []string {
	var words []string
	for _, line := range strings.Split(passphraseWordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			words = append(words, line)
		}
	}
	return words
})

// PassphraseWords returns the words suggested passphrases are made of. The
// slice is a copy.
func PassphraseWords() []string { return slices.Clone(passphraseWords()) }
