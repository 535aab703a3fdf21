package rotate

import (
	"net/http"
	"strconv"

	"github.com/mjrecover/mjrecover/api/problem"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// ProblemWords says why a call to Mailjet failed, in a few plain words for
// inside a sentence, in p's language (nil: English): "Mailjet could not
// switch off the key (ProblemWords)". It is api/problem.Words said in the
// customer's language.
func ProblemWords(p *lang.Printer, err error) string { return p.Say(ProblemMsg(err)) }

// ProblemMsg is ProblemWords as a message, to be said later.
func ProblemMsg(err error) lang.Message {
	if err == nil {
		return lang.Msg("Mailjet gave no clear answer")
	}
	return FaultMsg(problem.Of(err))
}

// FaultWords is ProblemWords for a problem already classified (kept in the
// journal, say).
func FaultWords(p *lang.Printer, pr problem.Problem) string { return p.Say(FaultMsg(pr)) }

// FaultMsg is FaultWords as a message, to be said later.
func FaultMsg(pr problem.Problem) lang.Message {
	switch pr.Kind {
	case problem.Stopped:
		return lang.Msg("the wait was stopped before Mailjet answered")
	case problem.Refused:
		return lang.Msg("Mailjet refused the wizard's own key")
	case problem.RateLimited:
		return lang.Msg("Mailjet asked to slow down; try again in a minute")
	case problem.Server:
		return lang.Msg("Mailjet had a problem on its side; try again in a few minutes")
	case problem.Unreachable:
		return lang.Msg("Mailjet could not be reached; check the internet connection")
	}
	return lang.Msg("Mailjet gave an unexpected answer (%[1]s %[2]s)", strconv.Itoa(pr.Status), http.StatusText(pr.Status))
}

// saidError is an error in the customer's language that still is (errors.Is)
// the error it says.
type saidError struct {
	msg string
	err error
}

func (e *saidError) Error() string { return e.msg }
func (e *saidError) Unwrap() error { return e.err }

// Say returns err (one of this package's Err values, whose text is a marked
// message) in p's language; errors.Is still recognises it.
func Say(p *lang.Printer, err error) error {
	if err == nil || p.Tag() == lang.English {
		return err
	}
	return &saidError{msg: p.Text(err.Error()), err: err}
}
