package twofactor

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/wording"
)

// Back-off after MaxTries wrong codes: MinBackoff, doubled each further
// round, at most MaxBackoff.
const (
	MinBackoff = 30 * time.Second
	MaxBackoff = 10 * time.Minute
)

// CodeDigits is the length of a code.
const CodeDigits = 6

// Errors from Confirm (wrapped or typed). ErrFormat's text is a marked
// message: Confirm returns it in the enrollment's language, and
// errors.Is still knows it.
var (
	ErrFormat = errors.New(lang.Mark("Type the 6 digits your app shows, numbers only."))
)

// saidError is an error in the customer's language that still is
// (errors.Is) the error it says.
type saidError struct {
	msg string
	err error
}

func (e *saidError) Error() string { return e.msg }
func (e *saidError) Unwrap() error { return e.err }

// WrongCodeError: the code was refused; TriesLeft before a back-off.
type WrongCodeError struct {
	TriesLeft int
	Used      bool // refused because it was already accepted once

	lang *lang.Printer // nil: English
}

func (e *WrongCodeError) Error() string {
	p := e.lang
	var msg string
	if e.Used {
		msg = p.T("That code was already used. Wait for your app to show a new one, then type it.")
	} else {
		msg = p.T("That code is not right. Type the 6 digits your app shows for Mailjet right now.")
	}
	if e.TriesLeft == 0 {
		return msg
	}
	return msg + " " + p.T("%d try left.", e.TriesLeft)
}

// BackoffError: too many wrong codes; wait before the next try.
type BackoffError struct {
	Wait time.Duration

	lang *lang.Printer // nil: English
}

func (e *BackoffError) Error() string {
	return e.lang.T("Too many wrong codes. Wait %s, then try again. "+
		"If the codes keep being refused, set your phone's date and time to automatic: the codes depend on its clock.",
		wording.Duration(e.lang, roundUp(e.Wait)))
}

// roundUp rounds up to whole seconds, or to whole minutes from a minute:
// 30 seconds, 1 minute, 2 minutes.
func roundUp(d time.Duration) time.Duration {
	secs := max(int((d+time.Second-1)/time.Second), 1)
	if secs < 60 {
		return time.Duration(secs) * time.Second
	}
	return time.Duration((secs+59)/60) * time.Minute
}

// throttle counts wrong codes and the back-off rounds they caused.
type throttle struct {
	wrong  int       // wrong codes since the last back-off
	rounds int       // back-offs so far
	until  time.Time // no tries before this
}

// fail records a wrong code at now; it returns the back-off it starts,
// or 0 and the tries left.
func (t *throttle) fail(now time.Time) (wait time.Duration, left int) {
	t.wrong++
	if t.wrong < MaxTries {
		return 0, MaxTries - t.wrong
	}
	wait = MinBackoff << min(t.rounds, 10)
	wait = min(wait, MaxBackoff)
	t.rounds++
	t.wrong = 0
	t.until = now.Add(wait)
	return wait, 0
}

// hold starts a back-off the backend asked for.
func (t *throttle) hold(now time.Time, wait time.Duration) time.Duration {
	if wait <= 0 {
		wait = MinBackoff
	}
	t.wrong = 0
	t.until = now.Add(wait)
	return wait
}

// Wait reports how long the user must wait before the next try (0: now).
func (e *Enrollment) Wait(now time.Time) time.Duration {
	if e.tries == nil {
		return 0
	}
	e.tries.mu.Lock()
	defer e.tries.mu.Unlock()
	return max(e.tries.throttle.until.Sub(now), 0)
}

// Confirm sends code to the backend. It refuses a malformed code
// (ErrFormat) without counting a try, returns *BackoffError while backing
// off, and *WrongCodeError for a refused code. Network and server errors
// are wrapped and do not count as a try.
func (e *Enrollment) Confirm(ctx context.Context, b Backend, code string, now time.Time) error {
	if e.tries == nil {
		return errors.New("twofactor: the enrollment was not made with New")
	}
	p := e.lang
	code, ok := cleanCode(code)
	if !ok {
		if p.Tag() == lang.English {
			return ErrFormat
		}
		return &saidError{msg: p.Text(ErrFormat.Error()), err: ErrFormat}
	}
	if wait := e.Wait(now); wait > 0 {
		return &BackoffError{Wait: wait, lang: p}
	}
	err := b.ConfirmTOTP(ctx, code)

	t := e.tries
	t.mu.Lock()
	defer t.mu.Unlock()
	var tooMany *recovery.TooManyTriesError
	switch {
	case err == nil:
		t.throttle = throttle{}
		return nil
	case errors.As(err, &tooMany):
		return &BackoffError{Wait: t.throttle.hold(now, tooMany.RetryAfter), lang: p}
	case errors.Is(err, recovery.ErrCodeUsed):
		// A replay guesses nothing (the backend does not count it either);
		// it happens when an answer was lost and the user sends it again.
		return &WrongCodeError{TriesLeft: MaxTries - t.throttle.wrong, Used: true, lang: p}
	case errors.Is(err, recovery.ErrWrongCode):
		wait, left := t.throttle.fail(now)
		if wait > 0 {
			return &BackoffError{Wait: wait, lang: p}
		}
		return &WrongCodeError{TriesLeft: left, lang: p}
	case errors.Is(err, recovery.ErrNoPendingTOTP):
		return &saidError{p.T("Mailjet is not waiting for a code: go back one step and add the key to your app again: %s", err.Error()), err}
	}
	return &saidError{p.T("Could not check the code with Mailjet, so it did not count as a try: %s", err.Error()), err}
}

// cleanCode removes the spaces people type or paste ("123 456") and
// checks for exactly six ASCII digits.
func cleanCode(code string) (string, bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != CodeDigits {
		return "", false
	}
	for i := range len(code) {
		if code[i] < '0' || code[i] > '9' {
			return "", false
		}
	}
	return code, true
}
