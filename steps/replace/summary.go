package replace

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Line is one row of the support report: what area, what was found, what
// was done, with the same as messages for the report to say in any
// language. It has the same fields as review.Line and support.Line, so
// one converts to the other.
type Line struct {
	Area    string `json:"area"`
	Finding string `json:"finding"`
	Action  string `json:"action"`

	AreaMsg    lang.Message `json:"area_msg,omitzero"`
	FindingMsg lang.Message `json:"finding_msg,omitzero"`
	ActionMsg  lang.Message `json:"action_msg,omitzero"`
}

// Failure is a file that could not be updated or removed.
type Failure struct {
	Path    string       `json:"path"`
	Problem string       `json:"problem"`
	Say     lang.Message `json:"say,omitzero"` // Problem as a message, to say it in any language
}

// Outcome gathers what was done, for the report.
type Outcome struct {
	Applied  []Applied     `json:"changed"`
	Removed  []Removed     `json:"removed"`
	Failed   []Failure     `json:"failed,omitempty"`
	Skipped  []string      `json:"skipped,omitempty"` // files the user chose to leave
	EnvNotes []EnvNote     `json:"environment,omitempty"`
	Manual   []Manual      `json:"manual,omitempty"`
	Check    *Verification `json:"check,omitempty"`
}

// Lines turns the outcome into report rows, in p's language (nil:
// English), each with its messages, with paths relative to root when they
// are inside it ("" keeps them as they are). The reasons and problems are
// said as the plan and the changes gave them (translated when they are
// marked messages). No secret is in them: keys are public, secrets are
// never part of an outcome.
func (o Outcome) Lines(root string, p *lang.Printer) []Line {
	rel := func(path string) string { return untrusted.Clean(relativeTo(root, path)) }
	var out []Line
	add := func(area, finding, action lang.Message) {
		out = append(out, Line{Area: p.Say(area), Finding: p.Say(finding), Action: p.Say(action),
			AreaMsg: area, FindingMsg: finding, ActionMsg: action})
	}
	for _, a := range o.Applied {
		add(lang.Msg("Settings file"), lang.Msg("%[1]s held the old key %[2]s", rel(a.Path), strings.Join(a.Keys, ", ")),
			lang.Msg("Updated with the new key and secret; the old version is kept in %s (only its owner can read it)", rel(a.Backup)))
	}
	for _, r := range o.Removed {
		add(lang.Msg("Leaked file"), lang.Msg("%s leaked keys or passwords", rel(r.Path)),
			lang.Msg("Removed from the website (moved to %s)", untrusted.Clean(r.MovedTo)))
	}
	for _, f := range o.Failed {
		add(lang.Msg("Settings file"), lang.Msg("%s holds an old key", rel(f.Path)), lang.Msg("Not changed: %s", sayOr(f.Say, f.Problem)))
	}
	for _, s := range o.Skipped {
		add(lang.Msg("Settings file"), lang.Msg("%s holds an old key", rel(s)), lang.Msg("Left as it is, at the customer's choice"))
	}
	for _, n := range o.EnvNotes {
		add(lang.Msg("Environment"), lang.Msg("%[1]s reads %[2]s from the environment", rel(n.Path), strings.Join(n.Names, ", ")),
			lang.Msg("The customer was told to put the new key where the service's environment is set"))
	}
	for _, m := range o.Manual {
		where := rel(m.Path)
		if m.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, m.Line)
		}
		add(lang.Msg("By hand"), lang.Msg("%s", where), sayOr(m.Say, m.Reason))
	}
	if o.Check != nil {
		finding := lang.Msg("The %d updated file was scanned again", len(o.Check.Files))
		if o.Check.Clean() {
			add(lang.Msg("Check"), finding, lang.Msg("No old key or secret remains in them"))
		} else {
			var left lang.Message
			for i, x := range o.Check.Leftovers {
				one := lang.Msg("%[1]s:%[2]s %[3]s", rel(x.Path), strconv.Itoa(x.Line), sayOr(x.Say, x.What))
				if i == 0 {
					left = one
				} else {
					left = lang.Msg("%[1]s; %[2]s", left, one)
				}
			}
			add(lang.Msg("Check"), finding, lang.Msg("Still found: %s", left))
		}
	}
	return out
}

// sayOr is m, or, without it (an older journal), the text kept.
func sayOr(m lang.Message, kept string) lang.Message {
	if m.IsZero() {
		return lang.Kept(kept)
	}
	return m
}

// relativeTo shows p relative to root when it is inside it.
func relativeTo(root, p string) string {
	if root == "" {
		return p
	}
	r, err := filepath.Rel(root, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return p
	}
	return r
}
