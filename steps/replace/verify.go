package replace

import (
	"bytes"
	"cmp"
	"context"
	"os"
	"slices"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Leftover is an old value still found after the update.
type Leftover struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	What string `json:"what"` // "old API key 06d3…", "old secret ****cbd5", in the plan's language
	// Say is What as a message, to say it in any language (the journal
	// keeps it for the report).
	Say lang.Message `json:"say,omitzero"`
}

// English is the verification with what was left said in English (the
// journal, the report's JSON).
func (v Verification) English() Verification {
	v.Leftovers = slices.Clone(v.Leftovers)
	for i, l := range v.Leftovers {
		if !l.Say.IsZero() {
			v.Leftovers[i].What = l.Say.String()
		}
	}
	return v
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
	p := updates[0].lang // the plan's language
	res, err := investigate.Scan(ctx, investigate.Options{Roots: paths})
	if err != nil {
		return v, &saidError{p.T("check the updated files again: %s", err.Error()), err}
	}
	for _, f := range res.Findings {
		if f.Category != investigate.CategoryCredential {
			continue
		}
		if s, ok := oldValue(subs, kindKey, f.APIKey); ok && f.APIKey != "" {
			v.Leftovers = append(v.Leftovers, leftover(p, f.Path, f.Line, describe(s)))
		}
		if s, ok := oldValue(subs, kindSecret, f.Secret.Reveal()); ok && !f.Secret.IsZero() {
			v.Leftovers = append(v.Leftovers, leftover(p, f.Path, f.Line, describe(s)))
		}
	}
	for _, u := range updates {
		content, err := os.ReadFile(u.Path)
		if err != nil {
			v.Leftovers = append(v.Leftovers, leftover(p, u.Path, 0, lang.Msg("could not be read again (%s)", osReason(err))))
			continue
		}
		for _, c := range findChanges(content, u.subs) {
			line := 1 + bytes.Count(content[:c.start], []byte("\n"))
			v.Leftovers = append(v.Leftovers, leftover(p, u.Path, line, describe(u.subs[c.sub])))
		}
	}
	slices.SortFunc(v.Leftovers, func(a, b Leftover) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.What, b.What))
	})
	v.Leftovers = slices.CompactFunc(v.Leftovers, func(a, b Leftover) bool {
		return a.Path == b.Path && a.Line == b.Line && a.What == b.What
	})
	return v, nil
}

// leftover is what was left at path:line, said in p's language.
func leftover(p *lang.Printer, path string, line int, what lang.Message) Leftover {
	return Leftover{Path: path, Line: line, What: p.Say(what), Say: what}
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
func describe(s substitution) lang.Message {
	switch s.kind {
	case kindKey:
		return lang.Msg("old API key %s", s.old.Reveal())
	case kindSecret:
		return lang.Msg("old secret %[1]s of key %[2]s", s.old.Hint(), s.apiKey)
	}
	return lang.Msg("old key and secret, encoded (%s)", secret.Mask)
}
