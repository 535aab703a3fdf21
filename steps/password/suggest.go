package password

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
)

// suggestWords is how many words a suggestion has.
const suggestWords = 4

// symbols a suggestion may end with: on every keyboard layout, and quiet
// in every config syntax.
const symbols = "!?#%+*="

// Suggest makes a passphrase that meets every local rule and the strength
// check: four plain words, a number and a symbol ("tulip-orbit-saddle-
// quiver-42!"), drawn from rnd (nil: crypto/rand). It is only a
// suggestion: the breach check still runs when it is used.
func (c *Checker) Suggest(rnd io.Reader, words []string, email string) (string, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	if len(words) < 64 {
		return "", errors.New("suggest a passphrase: too few words")
	}
	for range 20 {
		var parts []string
		for range suggestWords {
			i, err := rand.Int(rnd, big.NewInt(int64(len(words))))
			if err != nil {
				return "", fmt.Errorf("suggest a passphrase: %w", err)
			}
			parts = append(parts, words[i.Int64()])
		}
		n, err := rand.Int(rnd, big.NewInt(90))
		if err != nil {
			return "", fmt.Errorf("suggest a passphrase: %w", err)
		}
		s, err := rand.Int(rnd, big.NewInt(int64(len(symbols))))
		if err != nil {
			return "", fmt.Errorf("suggest a passphrase: %w", err)
		}
		pw := fmt.Sprintf("%s-%d%c", strings.Join(parts, "-"), 10+n.Int64(), symbols[s.Int64()])
		if c.Problem(pw, email) == "" && c.Strength(pw, email).Score >= MinScore {
			return pw, nil
		}
	}
	return "", errors.New("suggest a passphrase: no suggestion passed the rules")
}
