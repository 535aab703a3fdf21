package review

// Line is one row of the support report: what part of the account, what
// was found, what was done. replace.Line has the same fields.
type Line struct {
	Area    string `json:"area"`
	Finding string `json:"finding"`
	Action  string `json:"action"`
}

// Lines is the review for the support report: every item (fine ones
// included, so support sees what was looked at) and what could not be
// read.
func (r Review) Lines() []Line {
	var out []Line
	for _, it := range r.Items {
		l := Line{Area: string(it.Area), Finding: it.Title}
		if it.Verdict != OK {
			l.Finding += ": " + it.Explain
		}
		switch {
		case it.Done:
			l.Action = it.Result
		case it.Verdict == OK:
			l.Action = "Reviewed: nothing to do"
		case it.Action != NoAction:
			l.Action = "Left as it is, at the customer's choice"
		default:
			l.Action = it.Recommend
		}
		out = append(out, l)
	}
	for _, p := range r.Problems {
		out = append(out, Line{Area: string(p.Area), Finding: p.Text, Action: "Not reviewed"})
	}
	return out
}
