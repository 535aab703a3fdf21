package twofactor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/recovery"
)

// Back-off after MaxTries wrong codes: MinBackoff, doubled each further
// round, at most MaxBackoff.
const (
	MinBackoff = 30 * time.Second
	MaxBackoff = 10 * time.Minute
)

// CodeDigits is the length of a code.
const CodeDigits = 6

// Errors from Confirm (wrapped or typed).
var (
	ErrFormat = errors.New("Type the 6 digits your app shows, numbers only.")
)

// WrongCodeError: the code was refused; TriesLeft before a back-off.
type WrongCodeError struct {
	TriesLeft int
	Used      bool // refused because it was already accepted once
}

func (e *WrongCodeError) Error() string {
	var msg string
	if e.Used {
		msg = "That code was already used. Wait for your app to show a new one, then type it."
	} else {
		msg = "That code is not right. Type the 6 digits your app shows for Mailjet right now."
	}
	switch e.TriesLeft {
	case 0:
		return msg
	case 1:
		return msg + " 1 try left."
	}
	return fmt.Sprintf("%s %d tries left.", msg, e.TriesLeft)
}

// BackoffError: too many wrong codes; wait before the next try.
type BackoffError struct{ Wait time.Duration }

func (e *BackoffError) Error() string {
	return "Too many wrong codes. Wait " + humanDuration(e.Wait) + ", then try again. " +
		"If the codes keep being refused, set your phone's date and time to automatic: the codes depend on its clock."
}

// humanDuration rounds up to whole seconds or minutes: "30 seconds",
// "1 minute", "2 minutes".
func humanDuration(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	switch {
	case secs <= 1:
		return "1 second"
	case secs < 60:
		return fmt.Sprintf("%d seconds", secs)
	}
	mins := (secs + 59) / 60
	if mins == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", mins)
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
	code, ok := cleanCode(code)
	if !ok {
		return ErrFormat
	}
	if wait := e.Wait(now); wait > 0 {
		return &BackoffError{Wait: wait}
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
		return &BackoffError{Wait: t.throttle.hold(now, tooMany.RetryAfter)}
	case errors.Is(err, recovery.ErrCodeUsed):
		// A replay guesses nothing (the backend does not count it either);
		// it happens when an answer was lost and the user sends it again.
		return &WrongCodeError{TriesLeft: MaxTries - t.throttle.wrong, Used: true}
	case errors.Is(err, recovery.ErrWrongCode):
		wait, left := t.throttle.fail(now)
		if wait > 0 {
			return &BackoffError{Wait: wait}
		}
		return &WrongCodeError{TriesLeft: left}
	case errors.Is(err, recovery.ErrNoPendingTOTP):
		return fmt.Errorf("Mailjet is not waiting for a code: go back one step and add the key to your app again: %w", err)
	}
	return fmt.Errorf("Could not check the code with Mailjet, so it did not count as a try: %w", err)
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
