package lang

import "time"

// months are the months' names, to be said in the printer's language.
var months = [12]Message{
	Msg("January"), Msg("February"), Msg("March"), Msg("April"), Msg("May"), Msg("June"),
	Msg("July"), Msg("August"), Msg("September"), Msg("October"), Msg("November"), Msg("December"),
}

// DateMsg is a day in words, kept to be said later in any language
// (Date says it now): "20 November 2026".
func DateMsg(t time.Time) Message {
	return Msg("%[1]d %[2]s %[3]s", t.Day(), months[t.Month()-1], t.Format("2006"))
}

// Date says a day in words: "20 November 2026".
func (p *Printer) Date(t time.Time) string { return p.Say(DateMsg(t)) }

// Moment says a time in the zone t is in, with the zone named:
// "20 November 2026 at 04:14 CET". Screens give local times
// (t.Local()); the report for support keeps UTC.
func (p *Printer) Moment(t time.Time) string {
	return p.T("%[1]s at %[2]s", p.Date(t), t.Format("15:04 MST"))
}

// Clock says only the time of day, with the zone: "04:14 CET".
func (p *Printer) Clock(t time.Time) string { return t.Format("15:04 MST") }
