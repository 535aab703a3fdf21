package replace

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// Line is one row of the support report: what area, what was found, what
// was done. It has the same fields as review.Line, so one converts to the
// other.
type Line struct {
	Area    string `json:"area"`
	Finding string `json:"finding"`
	Action  string `json:"action"`
}

// Failure is a file that could not be updated or removed.
type Failure struct {
	Path    string `json:"path"`
	Problem string `json:"problem"`
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

// Lines turns the outcome into report rows, with paths relative to root
// when they are inside it ("" keeps them as they are). No secret is in
// them: keys are public, secrets are never part of an outcome.
func (o Outcome) Lines(root string) []Line {
	rel := func(p string) string { return untrusted.Clean(relativeTo(root, p)) }
	var out []Line
	for _, a := range o.Applied {
		out = append(out, Line{
			Area:    "Settings file",
			Finding: fmt.Sprintf("%s held the old key %s", rel(a.Path), strings.Join(a.Keys, ", ")),
			Action:  "Updated with the new key and secret; the old version is kept in " + rel(a.Backup) + " (only its owner can read it)",
		})
	}
	for _, r := range o.Removed {
		out = append(out, Line{
			Area:    "Leaked file",
			Finding: rel(r.Path) + " leaked keys or passwords",
			Action:  "Removed from the website (moved to " + untrusted.Clean(r.MovedTo) + ")",
		})
	}
	for _, f := range o.Failed {
		out = append(out, Line{Area: "Settings file", Finding: rel(f.Path) + " holds an old key", Action: "Not changed: " + f.Problem})
	}
	for _, p := range o.Skipped {
		out = append(out, Line{Area: "Settings file", Finding: rel(p) + " holds an old key", Action: "Left as it is, at the customer's choice"})
	}
	for _, n := range o.EnvNotes {
		out = append(out, Line{
			Area:    "Environment",
			Finding: fmt.Sprintf("%s reads %s from the environment", rel(n.Path), strings.Join(n.Names, ", ")),
			Action:  "The customer was told to put the new key where the service's environment is set",
		})
	}
	for _, m := range o.Manual {
		where := rel(m.Path)
		if m.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, m.Line)
		}
		out = append(out, Line{Area: "By hand", Finding: where, Action: m.Reason})
	}
	if o.Check != nil {
		l := Line{Area: "Check", Finding: fmt.Sprintf("The %d updated files were scanned again", len(o.Check.Files))}
		if o.Check.Clean() {
			l.Action = "No old key or secret remains in them"
		} else {
			var left []string
			for _, x := range o.Check.Leftovers {
				left = append(left, fmt.Sprintf("%s:%d %s", rel(x.Path), x.Line, x.What))
			}
			l.Action = "Still found: " + strings.Join(left, "; ")
		}
		out = append(out, l)
	}
	return out
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
