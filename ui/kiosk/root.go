package kiosk

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/ui"
)

// root is a session's model: the access code screen, then the wizard for
// the account the code was issued for.
type root struct {
	srv    *Server
	ks     *session
	gate   *gate
	wizard *ui.Wizard

	width, height int
	background    *tea.BackgroundColorMsg // the terminal's answer, replayed to the wizard
	failed        bool                    // the wizard could not start
}

// wizardReadyMsg carries the wizard's configuration, prepared in a
// command (the demo starts a sandbox and unpacks files).
type wizardReadyMsg struct {
	cfg ui.Config
	err error
}

func newRoot(srv *Server, ks *session) *root {
	return &root{srv: srv, ks: ks, gate: newGate(srv, ks), width: 80, height: 24}
}

func (r *root) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, r.gate.Init())
}

func (r *root) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	// Ctrl+Z does not suspend anything over SSH: like Ctrl+C, it asks
	// before ending.
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "ctrl+z" {
		msg = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		r.width, r.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		r.background = &msg
	case grantedMsg:
		r.ks.grant = msg.grant
		srv, ks := r.srv, r.ks
		return r, func() tea.Msg {
			cfg, err := srv.wizardConfig(ks, time.Now())
			return wizardReadyMsg{cfg, err}
		}
	case wizardReadyMsg:
		if msg.err != nil {
			r.failed = true
			r.srv.logf("start the wizard: %v", msg.err)
			return r, r.gate.close("failed", "Sorry, the wizard could not start. Please try again, or tell Mailjet support.")
		}
		r.wizard = ui.New(msg.cfg)
		size := tea.WindowSizeMsg{Width: r.width, Height: r.height}
		cmds := []tea.Cmd{r.wizard.Init(), func() tea.Msg { return size }}
		if r.background != nil {
			bg := *r.background
			cmds = append(cmds, func() tea.Msg { return bg })
		}
		return r, tea.Batch(cmds...)
	}
	if r.wizard != nil {
		_, cmd := r.wizard.Update(msg)
		return r, cmd
	}
	return r, r.gate.Update(msg)
}

func (r *root) View() tea.View {
	if r.wizard != nil {
		return r.wizard.View()
	}
	v := tea.NewView(r.gate.View())
	v.AltScreen = true
	v.WindowTitle = "mjrecover"
	return v
}

// over reports that the program ended by itself (not by a lost
// connection).
func (r *root) over() bool {
	if r.wizard != nil {
		out := r.wizard.Outcome()
		return out.Finished || out.TimedOut
	}
	return r.gate.reason != ""
}

// ending says how the session ended, once its program has.
func (r *root) ending() ending {
	const again = " Ask Mailjet support for a new code to go on."
	if r.wizard == nil {
		switch r.gate.reason {
		case reasonTimedOut:
			return ending{result: "timed out", message: "This session ended: no key was pressed for a while." + again, code: 1}
		case reasonWrongCode:
			return ending{result: reasonWrongCode, message: "This session ended after too many wrong access codes." + again, code: 1}
		case reasonLeft:
			return ending{result: "left", message: "You left before typing the access code.", code: 130}
		}
		return ending{result: "failed", message: "The session could not start. Please try again later.", code: 1}
	}
	out := r.wizard.Outcome()
	switch {
	case out.Finished:
		msg := "Your recovery is done."
		if out.Ticket != "" {
			msg += " Mailjet support has your report: ticket " + out.Ticket + "."
		}
		return ending{result: "finished", message: msg + " You can close this window.", code: 0}
	case out.IdleOut:
		return ending{result: "timed out (no key pressed)", message: "This session ended: no key was pressed for a while. " +
			"Your progress is kept: type the same code in a new session to go on.", code: 1}
	case out.TimedOut:
		return ending{result: "timed out (session limit)", message: "This session reached its time limit. " +
			"Your progress is kept: type the same code in a new session to go on, while it is valid.", code: 1}
	}
	return ending{result: "left", message: "You left the recovery. What you finished stays done at Mailjet, and your progress " +
		"is kept: type the same code in a new session to go on, while it is valid.", code: 130}
}
