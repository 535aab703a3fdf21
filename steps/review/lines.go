package review

import (
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// Line is one row of the support report: what part of the account, what
// was found, what was done, in English (the journal, the report's JSON),
// with the same as messages for the report's Markdown to say in the
// customer's language. replace.Line and support.Line have the same
// fields.
type Line struct {
	Area    string `json:"area"`
	Finding string `json:"finding"`
	Action  string `json:"action"`

	AreaMsg    lang.Message `json:"area_msg,omitzero"`
	FindingMsg lang.Message `json:"finding_msg,omitzero"`
	ActionMsg  lang.Message `json:"action_msg,omitzero"`

	At      time.Time    `json:"at,omitzero"` // when what was found began (see Item.At)
	WhatMsg lang.Message `json:"what_msg,omitzero"`
}

// said makes a line of messages, with their English as its texts.
func said(area, finding, action lang.Message) Line {
	return Line{Area: area.String(), Finding: finding.String(), Action: action.String(),
		AreaMsg: area, FindingMsg: finding, ActionMsg: action}
}

// Msg is the area as a message (its English is the Area itself), to be
// said in any language.
func (a Area) Msg() lang.Message {
	switch a {
	case AreaWebhook:
		return lang.Msg("Event webhook")
	case AreaParseRoute:
		return lang.Msg("Inbound parse route")
	case AreaSender:
		return lang.Msg("Sender address")
	case AreaAPIKey:
		return lang.Msg("API key")
	case AreaSending:
		return lang.Msg("Sending")
	case AreaSMTP:
		return lang.Msg("SMTP login")
	}
	return lang.Kept(string(a))
}

// Lines is the review for the support report: every item (fine ones
// included, so support sees what was looked at) and what could not be
// read.
func (r Review) Lines() []Line {
	var out []Line
	for _, it := range r.Items {
		out = append(out, it.Line())
	}
	for _, p := range r.Problems {
		out = append(out, said(p.Area.Msg(), p.Text, lang.Msg("Not reviewed")))
	}
	return out
}

// Line is the item for the support report.
func (it Item) Line() Line {
	finding := it.Title
	if it.Verdict != OK {
		finding = lang.Msg("%[1]s: %[2]s", it.Title, it.Explain)
	}
	var action lang.Message
	switch {
	case it.Done:
		action = it.Result
	case it.Verdict == OK:
		action = lang.Msg("Reviewed: nothing to do")
	case it.Action != NoAction:
		action = lang.Msg("Left as it is, at the customer's choice")
	default:
		action = it.Recommend
	}
	l := said(it.Area.Msg(), finding, action)
	if it.Verdict != OK && !it.At.IsZero() {
		l.At, l.WhatMsg = it.At.UTC(), it.Title
	}
	return l
}
