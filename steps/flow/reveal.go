package flow

import (
	"context"
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// revealHold is how long a secret stays on screen in presenting mode.
const revealHold = 30 * time.Second

// revealer decides when a secret may be on screen. Normally the reveal
// action shows and hides it. In presenting mode (a shared screen) the user
// first confirms that no one else can see the screen, and the secret hides
// again after revealHold or when the stage is left.
type revealer struct {
	after      func(time.Duration) <-chan time.Time
	p          *lang.Printer // the customer's language
	presenting bool
	shown      bool
	asking     bool
	gen        int // a newer reveal makes older hide timers stale
}

// hideMsg ends a timed reveal.
type hideMsg struct {
	r   *revealer
	gen int
}

// toggle answers the reveal action.
func (r *revealer) toggle() {
	switch {
	case r.shown:
		r.hide()
	case r.presenting:
		r.asking = true
	default:
		r.shown = true
	}
}

// answer takes the yes or no of the question.
func (r *revealer) answer(yes bool) []Cmd {
	r.asking = false
	if !yes {
		return nil
	}
	r.shown = true
	r.gen++
	gen, after := r.gen, r.after
	return []Cmd{func(ctx context.Context) Msg {
		select {
		case <-after(revealHold):
		case <-ctx.Done():
		}
		return hideMsg{r: r, gen: gen}
	}}
}

// expire hides the secret when msg is this revealer's current timer.
func (r *revealer) expire(msg hideMsg) {
	if msg.r == r && msg.gen == r.gen {
		r.shown = false
	}
}

func (r *revealer) hide() {
	r.shown, r.asking = false, false
	r.gen++
}

// ask puts the confirmation on sc while it is up (the screen then takes
// only yes or no) and reports whether it did.
func (r *revealer) ask(sc *Screen) bool {
	if !r.asking {
		return false
	}
	// The question before a secret shows in presenting mode.
	sc.Blocks = append(sc.Blocks, box(r.p.T("Someone may be watching this screen (a screen share, people nearby).\n"+
		"Show it only if no one else can see your screen. It hides again after 30 seconds.\n\nShow it now? y / n")))
	sc.Actions = []Action{act(Yes, r.p.T("yes")), act(No, r.p.T("no"))}
	return true
}

// answerAction takes yes or no while the question is up: ok reports the
// action was for the revealer.
func (r *revealer) answerAction(a ActionID) (cmds []Cmd, ok bool) {
	if !r.asking {
		return nil, false
	}
	switch a {
	case Yes:
		return r.answer(true), true
	case No, Back:
		return r.answer(false), true
	}
	return nil, true
}

// revealer is a new revealer on the recovery's clock and mode.
func (f *Flow) revealer() revealer {
	return revealer{after: f.cfg.After, p: f.cfg.Lang, presenting: f.cfg.Presenting}
}
