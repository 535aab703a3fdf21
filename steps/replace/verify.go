package replace

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// Leftover is an old value still found after the update.
type Leftover struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	What string `json:"what"` // "old API key 06d3…", "old secret ****cbd5"
}

// Verification is the second look at the updated files.
type Verification struct {
	Files     []string   `json:"files"`
	Leftovers []Leftover `json:"leftovers,omitempty"`
}

// Clean reports whether no old key or secret remains.
func (v Verification) Clean() bool { return len(v.Leftovers) == 0 }

// Verify looks at the updated files again in two ways: the scanner
// (investigate.Scan with the files as roots) reports any Mailjet key or
// secret, and those that are old ones count; and a plain search finds any
// old value the scanner would not recognise as Mailjet's.
func Verify(ctx context.Context, updates []Update) (Verification, error) {
	var v Verification
	var paths []string
	var subs []substitution
	for _, u := range updates {
		paths = append(paths, u.Path)
		subs = append(subs, u.subs...)
	}
	v.Files = slices.Clone(paths)
	if len(paths) == 0 {
		return v, nil
	}
	res, err := investigate.Scan(ctx, investigate.Options{Roots: paths})
	if err != nil {
		return v, fmt.Errorf("check the updated files again: %w", err)
	}
	for _, f := range res.Findings {
		if f.Category != investigate.CategoryCredential {
			continue
		}
		if s, ok := oldValue(subs, kindKey, f.APIKey); ok && f.APIKey != "" {
			v.Leftovers = append(v.Leftovers, Leftover{Path: f.Path, Line: f.Line, What: describe(s)})
		}
		if s, ok := oldValue(subs, kindSecret, f.Secret.Reveal()); ok && !f.Secret.IsZero() {
			v.Leftovers = append(v.Leftovers, Leftover{Path: f.Path, Line: f.Line, What: describe(s)})
		}
	}
	for _, u := range updates {
		content, err := os.ReadFile(u.Path)
		if err != nil {
			v.Leftovers = append(v.Leftovers, Leftover{Path: u.Path, What: "could not be read again (" + osReason(err) + ")"})
			continue
		}
		for _, c := range findChanges(content, u.subs) {
			line := 1 + bytes.Count(content[:c.start], []byte("\n"))
			v.Leftovers = append(v.Leftovers, Leftover{Path: u.Path, Line: line, What: describe(u.subs[c.sub])})
		}
	}
	slices.SortFunc(v.Leftovers, func(a, b Leftover) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.What, b.What))
	})
	v.Leftovers = slices.Compact(v.Leftovers)
	return v, nil
}

// oldValue finds the substitution whose old value of kind k is value.
func oldValue(subs []substitution, k valueKind, value string) (substitution, bool) {
	for _, s := range subs {
		if s.kind == k && value != "" && s.old.Reveal() == value {
			return s, true
		}
	}
	return substitution{}, false
}

// describe names an old value without disclosing a secret.
func describe(s substitution) string {
	switch s.kind {
	case kindKey:
		return "old API key " + s.old.Reveal()
	case kindSecret:
		return "old secret " + s.old.Hint() + " of key " + s.apiKey
	}
	return "old key and secret, encoded (" + secret.Mask + ")"
}
