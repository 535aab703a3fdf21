package ui

import (
	"charm.land/lipgloss/v2"
)

// Styles holds every style the wizard draws with. The colours are the 16
// ANSI colours, which the user's terminal theme maps to readable shades on
// both dark and light backgrounds.
type Styles struct {
	App       lipgloss.Style
	Title     lipgloss.Style
	Badge     lipgloss.Style
	Why       lipgloss.Style
	Heading   lipgloss.Style
	Text      lipgloss.Style
	Muted     lipgloss.Style
	Help      lipgloss.Style
	HelpKey   lipgloss.Style
	Error     lipgloss.Style
	Warning   lipgloss.Style
	Success   lipgloss.Style
	Selected  lipgloss.Style
	Label     lipgloss.Style
	Secret    lipgloss.Style
	Confirm   lipgloss.Style
	Severity  map[string]lipgloss.Style
	MeterFull lipgloss.Style
	MeterLow  lipgloss.Style
}

// DefaultStyles returns the wizard's look.
func DefaultStyles() *Styles {
	base := lipgloss.NewStyle()
	return &Styles{
		App:      base.Padding(0, 1),
		Title:    base.Bold(true),
		Badge:    base.Foreground(lipgloss.Black).Background(lipgloss.Yellow).Padding(0, 1),
		Why:      base.Faint(true),
		Heading:  base.Bold(true).Underline(true),
		Text:     base,
		Muted:    base.Faint(true),
		Help:     base.Faint(true),
		HelpKey:  base.Bold(true),
		Error:    base.Foreground(lipgloss.Red).Bold(true),
		Warning:  base.Foreground(lipgloss.Yellow),
		Success:  base.Foreground(lipgloss.Green).Bold(true),
		Selected: base.Reverse(true),
		Label:    base.Bold(true),
		Secret:   base.Foreground(lipgloss.Cyan),
		Confirm:  base.Border(lipgloss.RoundedBorder()).BorderForeground(lipgloss.Yellow).Padding(0, 1),
		Severity: map[string]lipgloss.Style{
			"critical": base.Foreground(lipgloss.Red).Bold(true),
			"high":     base.Foreground(lipgloss.Magenta).Bold(true),
			"medium":   base.Foreground(lipgloss.Yellow).Bold(true),
			"low":      base.Foreground(lipgloss.Blue),
		},
		MeterFull: base.Foreground(lipgloss.Green),
		MeterLow:  base.Foreground(lipgloss.Red),
	}
}
