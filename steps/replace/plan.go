package replace

import (
	"cmp"
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Input is what NewPlan works from.
type Input struct {
	Findings  []investigate.Finding // the scan's
	Rotations []Rotation            // the keys that changed
	// SwitchedOff are the keys switched off with no replacement (nobody
	// used them): a file that holds one is told so, not updated.
	SwitchedOff []SwitchedOff
	// Roots are the scanned folders or files, searched for files that read
	// the key from the environment (EnvNotes). None: no search.
	Roots []string
	// Earlier are files updated earlier in the same recovery (they hold no
	// old value any more, so they are no update of this plan): the settings
	// they set still tell where an environment note's names are set.
	Earlier []Applied
	// Lang is the customer's language (nil: English) for the reasons, the
	// previews and the errors of the plan, Apply and Remove.
	Lang *lang.Printer
}

// NewPlan sorts the scan's files into updates, removals, environment
// notes and what must be done by hand. It reads each file to update (to
// preview the change and stamp it) and, with Roots, searches them for
// environment references. It changes nothing.
func NewPlan(ctx context.Context, in Input) (Plan, error) {
	if err := validateRotations(in.Lang, in.Rotations); err != nil {
		return Plan{}, &saidError{in.Lang.T("replace the keys: %s", err.Error()), err}
	}
	k := newKnownValues(in.Rotations, in.Findings)
	k.addSwitchedOff(in.SwitchedOff)
	p := Plan{lang: in.Lang}
	archives := map[string][]string{} // archive → members with old keys
	for _, group := range groupByPath(in.Findings) {
		if err := ctx.Err(); err != nil {
			return Plan{}, err
		}
		p.addGroup(group, k, archives)
	}
	p.addArchives(archives)
	if len(in.Roots) > 0 {
		notes, err := findEnvNotes(ctx, in.Roots, p.envNames(in.Earlier), p.removalPaths())
		if err != nil {
			return Plan{}, err
		}
		p.EnvNotes = notes
		p.linkEnvNotes(in.Earlier)
	}
	p.sort()
	return p, nil
}

// SwitchedOff is a key the rotation switched off with no replacement.
type SwitchedOff struct {
	Key    string
	Secret secret.Secret // its secret, when known
}

// fileFindings are the findings of one path.
type fileFindings struct {
	path     string
	creds    []investigate.Finding
	exposed  []string // exposure rule ids
	exposure []investigate.Finding
}

func groupByPath(fs []investigate.Finding) []*fileFindings {
	byPath := map[string]*fileFindings{}
	var order []*fileFindings
	for _, f := range fs {
		g := byPath[f.Path]
		if g == nil {
			g = &fileFindings{path: f.Path}
			byPath[f.Path] = g
			order = append(order, g)
		}
		switch f.Category {
		case investigate.CategoryCredential:
			g.creds = append(g.creds, f)
		case investigate.CategoryExposure:
			g.exposed = append(g.exposed, f.Rule)
			g.exposure = append(g.exposure, f)
		}
	}
	return order
}

// addGroup decides what happens to one path.
func (p *Plan) addGroup(g *fileFindings, k *knownValues, archives map[string][]string) {
	if len(g.creds) == 0 && len(g.exposed) == 0 {
		return // outdated software and the like: not this step's business
	}
	t := p.lang
	where, archive := locate(g.path)
	switch where {
	case placeHistory:
		p.Manual = append(p.Manual, makeManual(t, g.path, 0, lang.Msg("The old key is in an earlier version kept in the program history (git). "+
			"It no longer works; if the repository is public, ask its host how to remove it from the history.")))
		return
	case placeArchive:
		if len(g.creds) > 0 {
			archives[archive] = append(archives[archive], g.path)
		}
		return
	case placeMissing:
		p.Manual = append(p.Manual, makeManual(t, g.path, 0, lang.Msg("This file is no longer there. Scan again.")))
		return
	case placeLink:
		p.Manual = append(p.Manual, makeManual(t, g.path, 0, lang.Msg("This is a link to another file or a special file; mjrecover changes only plain files. Update the file it points to by hand.")))
		return
	case placeDir:
		for _, f := range g.exposure {
			p.Manual = append(p.Manual, makeManual(t, g.path, 0, exposureAdvice(f.Rule, f)))
		}
		return
	}
	if reason, ok := leakReason(t, g.path, g.exposed, len(g.creds) > 0); ok {
		p.addRemoval(g, reason)
		return
	}
	for _, f := range g.exposure {
		p.Manual = append(p.Manual, makeManual(t, g.path, 0, exposureAdvice(f.Rule, f)))
	}
	if len(g.creds) > 0 {
		p.addUpdate(g, k)
	}
}

func (p *Plan) addRemoval(g *fileFindings, reason string) {
	r := Removal{Path: g.path, Reason: reason, Rules: slices.Compact(slices.Sorted(slices.Values(g.exposed))), lang: p.lang}
	for _, f := range g.creds {
		if !slices.Contains(r.Rules, f.Rule) {
			r.Rules = append(r.Rules, f.Rule)
		}
	}
	_, _, st, err := readStamped(g.path)
	if err != nil {
		p.Manual = append(p.Manual, makeManual(p.lang, g.path, 0, lang.Msg("This leaked copy should be deleted, but mjrecover could not read it again (%s). Delete it by hand.", osReason(err))))
		return
	}
	r.stamp = st
	p.Removals = append(p.Removals, r)
}

// addArchives offers to remove the archives whose members hold old keys,
// unless their own exposure already put them in the plan.
func (p *Plan) addArchives(archives map[string][]string) {
	for archive, members := range archives {
		if slices.ContainsFunc(p.Removals, func(r Removal) bool { return r.Path == archive }) {
			continue
		}
		_, _, st, err := readStamped(archive)
		if err != nil {
			p.Manual = append(p.Manual, makeManual(p.lang, archive, 0, lang.Msg("This archive holds the old key, but mjrecover could not read it again (%s).", osReason(err))))
			continue
		}
		slices.Sort(members)
		p.Removals = append(p.Removals, Removal{
			Path: archive,
			Reason: p.lang.T("A backup archive that still holds the old key (in %s). mjrecover does not change archives; "+
				"it no longer works, but the archive is one more copy to leak.", untrusted.Clean(strings.Join(members, ", "))),
			Rules: []string{"archive"},
			stamp: st,
			lang:  p.lang,
		})
	}
}

// addUpdate plans the rewrite of one config file.
func (p *Plan) addUpdate(g *fileFindings, k *knownValues) {
	subs, keys, manual := k.substitutionsFor(p.lang, g.path, g.creds)
	p.Manual = append(p.Manual, manual...)
	if len(subs) == 0 {
		return
	}
	content, _, st, err := readStamped(g.path)
	if err != nil {
		p.Manual = append(p.Manual, makeManual(p.lang, g.path, 0, fileProblem(err)))
		return
	}
	changes := findChanges(content, subs)
	if len(changes) == 0 {
		p.Manual = append(p.Manual, makeManual(p.lang, g.path, 0, lang.Msg("The scan found the old key here, but not written out in a way mjrecover can replace safely (it may be encoded). Put the new key in by hand.")))
		return
	}
	p.Updates = append(p.Updates, Update{
		Path:     g.path,
		Diff:     makeDiff(p.lang, g.path, content, subs, changes),
		Replaced: len(changes),
		Keys:     keys,
		stamp:    st,
		subs:     subs,
		Names:    assignedNames(content, changes),
		lang:     p.lang,
	})
}

func (p *Plan) removalPaths() map[string]bool {
	out := map[string]bool{}
	for _, r := range p.Removals {
		out[filepath.Clean(r.Path)] = true
	}
	return out
}

func (p *Plan) sort() {
	slices.SortFunc(p.Updates, func(a, b Update) int { return cmp.Compare(a.Path, b.Path) })
	slices.SortFunc(p.Removals, func(a, b Removal) int { return cmp.Compare(a.Path, b.Path) })
	slices.SortFunc(p.EnvNotes, func(a, b EnvNote) int { return cmp.Compare(a.Path, b.Path) })
	slices.SortStableFunc(p.Manual, func(a, b Manual) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line))
	})
	p.Manual = slices.CompactFunc(p.Manual, func(a, b Manual) bool {
		return a.Path == b.Path && a.Line == b.Line && a.Reason == b.Reason
	})
}
