// Package problem says what went wrong with a call to Mailjet (the REST
// API or the recovery API), in kinds a person can act on: the key pair was
// refused, Mailjet asked to slow down, Mailjet had trouble on its side,
// Mailjet could not be reached, or the wait was stopped. One place decides
// it, so every screen words the same cause the same way.
package problem

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
)

// Kind is what a person can do about a problem.
type Kind int

const (
	Other       Kind = iota // an answer that is none of the below
	Refused                 // 401: the key pair is wrong, inactive, or its secret was changed
	RateLimited             // 429: wait, then try again
	Server                  // 5xx: Mailjet's side; try again in a few minutes
	Unreachable             // no answer: the network, a timeout
	Stopped                 // the wait was cancelled (quitting, a session ending)
)

// Problem is an error, classified.
type Problem struct {
	Kind       Kind
	Status     int           // the HTTP status, when there was an answer
	RetryAfter time.Duration // how long Mailjet asked to wait, when it said
}

// Of classifies err (nil: the zero Problem).
func Of(err error) Problem {
	var apiErr *mailjet.Error
	var recErr *recovery.Error
	var tries *recovery.TooManyTriesError
	switch {
	case err == nil:
		return Problem{}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return Problem{Kind: Stopped}
	case errors.Is(err, mailjet.ErrUnauthorized):
		return Problem{Kind: Refused, Status: http.StatusUnauthorized}
	case errors.As(err, &tries):
		return Problem{Kind: RateLimited, Status: http.StatusTooManyRequests, RetryAfter: tries.RetryAfter}
	case errors.As(err, &apiErr):
		return ofStatus(apiErr.StatusCode)
	case errors.As(err, &recErr):
		return ofStatus(recErr.StatusCode)
	}
	return Problem{Kind: Unreachable}
}

func ofStatus(status int) Problem {
	p := Problem{Status: status}
	switch {
	case status == http.StatusUnauthorized:
		p.Kind = Refused
	case status == http.StatusTooManyRequests:
		p.Kind = RateLimited
	case status >= 500:
		p.Kind = Server
	}
	return p
}

// Answered reports whether Mailjet answered (with a status).
func (p Problem) Answered() bool { return p.Status != 0 }

// Words says a problem in a few plain English words, for inside a
// sentence: "Mailjet could not switch off the key (Words)". It is for
// logs and tools: the wizard says it in the customer's language with
// steps/rotate.ProblemWords (api does not know the languages).
func Words(err error) string {
	p := Of(err)
	switch p.Kind {
	case Stopped:
		return "the wait was stopped before Mailjet answered"
	case Refused:
		return "Mailjet refused the wizard's own key"
	case RateLimited:
		return "Mailjet asked to slow down; try again in a minute"
	case Server:
		return "Mailjet had a problem on its side; try again in a few minutes"
	case Unreachable:
		if err == nil {
			return "Mailjet gave no clear answer"
		}
		return "Mailjet could not be reached; check the internet connection"
	}
	return fmt.Sprintf("Mailjet gave an unexpected answer (%d %s)", p.Status, http.StatusText(p.Status))
}
