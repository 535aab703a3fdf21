package ui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// Page is one page of the wizard, as soft-serve's components are: a model
// with its key map and its size. The Wizard draws the frame around it (the
// title and why line, the badges, the help line, the quit prompt, the
// idle clock and the too-small screen), so a page draws only its body.
// The recovery itself is one page (it drives the flow model); a kiosk puts
// its access-code page in front.
type Page interface {
	Init() tea.Cmd
	Update(tea.Msg) (Page, tea.Cmd)
	// View draws the body into the size SetSize gave.
	View() string
	SetSize(width, height int)
	// ShortHelp is the keys that work now, the one next key first;
	// FullHelp all of them.
	help.KeyMap
	// Header is the frame's title and why line for the page as it is now.
	Header() Header
	// Busy reports work in flight: the frame keeps the spinner turning.
	Busy() bool
	// Leaving says what quitting now keeps and what it loses.
	Leaving() string
}

// typist is a page that may have a text field taking the keyboard: then
// the frame leaves printable keys ("?") to it.
type typist interface{ Typing() bool }

// Header is what the frame says above a page.
type Header struct {
	Title string // "Step 2 of 5 · Rotate API keys"
	Why   string // one line: why it matters, or a warning
	Alert bool   // Why is a warning (drawn as one)
}

// OpenMsg asks the Wizard to replace the current page with the recovery
// itself, wired with Config (a kiosk sends it once the access code is
// right).
type OpenMsg struct{ Config Config }

// EndMsg asks the Wizard to end the session with a reason; the frame
// keeps its idle and time limits, a page may end earlier for its own
// reasons (too many wrong codes).
type EndMsg struct{ Reason string }

// Open returns the command that opens the recovery with cfg.
func Open(cfg Config) tea.Cmd { return func() tea.Msg { return OpenMsg{Config: cfg} } }
