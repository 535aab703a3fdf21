package flow

import (
	"strconv"

	"github.com/mjrecover/mjrecover/api/problem"
	"github.com/mjrecover/mjrecover/steps/wording"
)

// explain says why a call to Mailjet failed, in words that fit the cause
// and say what to do: wait and try again, try again later, check the
// connection. A key pair refused in the middle of the recovery (its
// secret changed on Mailjet's site, say) also offers to sign in again.
func (f *Flow) explain(what string, err error) string {
	p := problem.Of(err)
	f.noteRefusal(err)
	switch p.Kind {
	case problem.Refused:
		return f.T("%s: Mailjet refused the wizard's API key and secret. If the secret was changed on Mailjet's site, "+
			"sign in again with the current one; the wizard goes on from here.", what)
	case problem.RateLimited:
		wait := f.T("a minute")
		if p.RetryAfter > 0 {
			wait = wording.Duration(f.Lang(), p.RetryAfter)
		}
		return f.T("%[1]s: Mailjet asked the wizard to slow down. Wait %[2]s, then try again.", what, wait)
	case problem.Server:
		return f.T("%[1]s: Mailjet had a problem on its side (it answered %[2]s). Try again in a few minutes; nothing was lost.",
			what, strconv.Itoa(p.Status))
	case problem.Unreachable:
		return f.T("%[1]s: Mailjet could not be reached (%[2]s). Check the internet connection, then try again.", what, errText(err))
	case problem.Stopped:
		return f.T("%s: stopped before Mailjet answered. Try again.", what)
	}
	return f.T("%[1]s: %[2]s", what, errText(err))
}

// noteRefusal remembers that Mailjet refused the wizard's own key pair
// after it signed in: every screen then offers to sign in again.
func (f *Flow) noteRefusal(err error) {
	if problem.Of(err).Kind == problem.Refused && f.journal != nil {
		f.refused = true
	}
}

// signInAgain goes back to the first screen to type the key pair, then
// to the stage the refusal came from.
func (f *Flow) signInAgain() []Cmd {
	f.refused = false
	c := f.stages[Connect].(*connect)
	back := f.current
	f.stages[f.current].leave()
	f.current = Connect
	c.reauth(back)
	return nil
}
