package replace

import (
	"bytes"

	"github.com/mjrecover/mjrecover/api/secret"
)

// valueKind says what an old value is, which decides how it is shown and
// what may sit next to it.
type valueKind int

const (
	kindKey    valueKind = iota // public API key: shown in full
	kindSecret                  // API secret: shown as ****abcd
	kindBasic                   // base64 of "key:secret" (an Authorization: Basic header): masked
)

// substitution replaces one old value with its new one. Keys are not
// secret but are held the same way, so a substitution prints nothing.
type substitution struct {
	old, new secret.Secret
	kind     valueKind
	apiKey   string // the old public key this value belongs to, for messages
}

// change is one replaced occurrence, in the old content's offsets.
type change struct {
	start, end int // content[start:end] was sub.old
	sub        int // index in the substitutions
}

// partOfValue reports whether b could continue a value of kind k: an
// occurrence counts only when no such byte touches it on either side, so a
// key inside a longer hash or base64 blob is left alone (the scanner finds
// values with the same rule).
func partOfValue(k valueKind, b byte) bool {
	alnum := b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
	if k == kindBasic {
		return alnum || b == '+' || b == '/' || b == '='
	}
	return alnum
}

// findChanges returns every whole occurrence of the substitutions' old
// values in content, in order and without overlaps; at one offset the
// longest old value wins. It runs in O(len(content) × len(subs)).
func findChanges(content []byte, subs []substitution) []change {
	olds := make([][]byte, len(subs))
	next := make([]int, len(subs)) // next candidate offset of each sub, -1 when none is left
	for i, s := range subs {
		olds[i] = []byte(s.old.Reveal())
		next[i] = -2 // not searched yet
	}
	var out []change
	pos := 0
	for {
		best := -1
		for i := range subs {
			if len(olds[i]) == 0 {
				continue
			}
			if next[i] != -1 && next[i] < pos {
				next[i] = wholeIndex(content, pos, olds[i], subs[i].kind)
			}
			if next[i] < 0 {
				continue
			}
			if best < 0 || next[i] < next[best] || next[i] == next[best] && len(olds[i]) > len(olds[best]) {
				best = i
			}
		}
		if best < 0 {
			return out
		}
		start := next[best]
		out = append(out, change{start: start, end: start + len(olds[best]), sub: best})
		pos = start + len(olds[best])
	}
}

// wholeIndex is the first offset at or after from where old occurs as a
// whole value, or -1.
func wholeIndex(content []byte, from int, old []byte, k valueKind) int {
	for from <= len(content) {
		i := bytes.Index(content[from:], old)
		if i < 0 {
			return -1
		}
		at := from + i
		end := at + len(old)
		if (at == 0 || !partOfValue(k, content[at-1])) && (end == len(content) || !partOfValue(k, content[end])) {
			return at
		}
		from = at + 1
	}
	return -1
}

// apply writes content with every change replaced by its new value.
// Nothing else changes: quoting, spacing and line endings stay as they were.
func apply(content []byte, subs []substitution, changes []change) []byte {
	var b bytes.Buffer
	b.Grow(len(content) + 64)
	pos := 0
	for _, c := range changes {
		b.Write(content[pos:c.start])
		b.WriteString(subs[c.sub].new.Reveal())
		pos = c.end
	}
	b.Write(content[pos:])
	return b.Bytes()
}

// rewrite is findChanges then apply.
func rewrite(content []byte, subs []substitution) ([]byte, []change) {
	changes := findChanges(content, subs)
	if len(changes) == 0 {
		return content, nil
	}
	return apply(content, subs, changes), changes
}
