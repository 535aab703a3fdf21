package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// revealHold is how long a secret stays on screen in presenting mode.
const revealHold = 30 * time.Second

// revealer decides when a secret may be on screen. Normally the reveal key
// shows and hides it. In presenting mode (a shared screen) the user must
// first confirm that no one else can see the screen, and the secret hides
// again after revealHold or when the screen is left.
type revealer struct {
	id         int // tells this revealer's hide timer from another's
	presenting bool
	shown      bool
	asking     bool
	gen        int // a newer reveal makes older hide timers stale
}

// Revealer ids, one per secret on a screen.
const (
	revealWelcomeSecret = iota + 1
	revealPastedSecret
	revealNewSecrets
	revealPassword
	revealTOTP
	revealCodes
)

// leaveMsg tells a screen the wizard is leaving it: what it shows hides.
type leaveMsg struct{}

// hideMsg ends a timed reveal.
type hideMsg struct{ id, gen int }

func newRevealer(id int, presenting bool) revealer {
	return revealer{id: id, presenting: presenting}
}

// toggle answers the reveal key.
func (r *revealer) toggle() tea.Cmd {
	switch {
	case r.shown:
		r.hide()
	case r.presenting:
		r.asking = true
	default:
		r.shown = true
	}
	return nil
}

// answer takes the y/n of the confirmation.
func (r *revealer) answer(yes bool) tea.Cmd {
	r.asking = false
	if !yes {
		return nil
	}
	r.shown = true
	r.gen++
	id, gen := r.id, r.gen
	return tea.Tick(revealHold, func(time.Time) tea.Msg { return hideMsg{id: id, gen: gen} })
}

// expire hides the secret when msg is this revealer's current timer.
func (r *revealer) expire(msg hideMsg) {
	if msg.id == r.id && msg.gen == r.gen {
		r.shown = false
	}
}

func (r *revealer) hide() {
	r.shown, r.asking = false, false
	r.gen++
}

// revealPrompt is the confirmation shown before a secret in presenting mode.
const revealPrompt = "Someone may be watching this screen (a screen share, people nearby).\n" +
	"Show it only if no one else can see your screen. It hides again after 30 seconds.\n\nShow it now? y / n"

// answerKey takes y/n while the confirmation is up; ok reports that the
// key was for the revealer (every key is, while it asks).
func (r *revealer) answerKey(msg tea.KeyPressMsg, k *KeyMap) (cmd tea.Cmd, ok bool) {
	if !r.asking {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Yes):
		return r.answer(true), true
	case key.Matches(msg, k.No), key.Matches(msg, k.Back):
		return r.answer(false), true
	}
	return nil, true
}

// promptView is the confirmation box while asking, else "".
func (r revealer) promptView(st *Styles, width int) string {
	if !r.asking {
		return ""
	}
	return "\n" + st.Confirm.Width(min(width, 78)).Render(revealPrompt)
}
