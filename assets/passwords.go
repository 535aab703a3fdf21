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

// The word lists for suggested passphrases, by language: one plain,
// common word a line; lines starting with '#' are comments.
var (
	//go:embed data/words-en.txt
	wordsEnglish string
	//go:embed data/words-fr.txt
	wordsFrench string
)

func wordList(text string) func() []string {
	return sync.OnceValue(func() []string {
		var words []string
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				words = append(words, line)
			}
		}
		return words
	})
}

var (
	passphraseWords       = wordList(wordsEnglish)
	passphraseWordsFrench = wordList(wordsFrench)
)

// PassphraseWords returns the English words suggested passphrases are
// made of. The slice is a copy.
func PassphraseWords() []string { return slices.Clone(passphraseWords()) }

// PassphraseWordsIn returns the words for a language ("fr", "en"...; an
// unknown one gets English), so the suggestion is easy to remember.
func PassphraseWordsIn(language string) []string {
	if language == "fr" {
		return slices.Clone(passphraseWordsFrench())
	}
	return PassphraseWords()
}
