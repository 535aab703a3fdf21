package lang

import "time"

// Date says a day in words: "20 November 2026".
func (p *Printer) Date(t time.Time) string {
	months := []string{
		p.T("January"), p.T("February"), p.T("March"), p.T("April"), p.T("May"), p.T("June"),
		p.T("July"), p.T("August"), p.T("September"), p.T("October"), p.T("November"), p.T("December"),
	}
	return p.T("%[1]d %[2]s %[3]s", t.Day(), months[t.Month()-1], t.Format("2006"))
}

// Moment says a time in the zone t is in, with the zone named:
// "20 November 2026 at 04:14 CET". Screens give local times
// (t.Local()); the report for support keeps UTC.
func (p *Printer) Moment(t time.Time) string {
	return p.T("%[1]s at %[2]s", p.Date(t), t.Format("15:04 MST"))
}

// Clock says only the time of day, with the zone: "04:14 CET".
func (p *Printer) Clock(t time.Time) string { return t.Format("15:04 MST") }
