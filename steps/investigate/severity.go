package investigate

import (
	"fmt"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// Word says the severity in p's language (nil: English): "critical",
// "high"... (String stays the English id the JSON uses.)
func (s Severity) Word(p *lang.Printer) string {
	switch s {
	case Critical:
		return p.T("critical")
	case High:
		return p.T("high")
	case Medium:
		return p.T("medium")
	case Low:
		return p.T("low")
	}
	return s.String()
}

// Count says how many findings have the severity: "2 critical".
func (s Severity) Count(p *lang.Printer, n int) string {
	switch s {
	case Critical:
		return p.T("%d critical", n)
	case High:
		return p.T("%d high", n)
	case Medium:
		return p.T("%d medium", n)
	case Low:
		return p.T("%d low", n)
	}
	return fmt.Sprintf("%d %s", n, s)
}
