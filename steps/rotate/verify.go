package rotate

import (
	"context"
	"errors"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/wording"
)

// authState is what one CheckAuth told.
type authState int

const (
	authAccepted authState = iota
	authRefused
	authUnknown // network error, 5xx after retries, cancelled…
)

func checkAuth(ctx context.Context, c *mailjet.Client) (authState, error) {
	err := c.CheckAuth(ctx)
	switch {
	case err == nil:
		return authAccepted, nil
	case errors.Is(err, mailjet.ErrUnauthorized):
		return authRefused, nil
	}
	return authUnknown, err
}

// waitForAuth asks until the pair's answer is want, at most ReadyTries
// times: a new key takes a few seconds to work, a deactivated one may
// take as long to be refused. It returns the last answer.
func (r *Rotator) waitForAuth(ctx context.Context, c *mailjet.Client, want authState) (authState, error) {
	tries := r.readyTries()
	for i := 1; ; i++ {
		got, err := checkAuth(ctx, c)
		if got == want || got == authUnknown || i >= tries {
			return got, err
		}
		t := time.NewTimer(r.readyWait())
		select {
		case <-ctx.Done():
			t.Stop()
			return authUnknown, ctx.Err()
		case <-t.C:
		}
	}
}

// verifyNew fills c.NewWorks for the pair key:sec and returns Mailjet's
// last answer.
func (r *Rotator) verifyNew(ctx context.Context, c *Check, key string, sec secret.Secret) authState {
	got, err := r.waitForAuth(ctx, r.API.WithCredentials(mailjet.Credentials{APIKey: key, Secret: sec}), authAccepted)
	switch got {
	case authAccepted:
		c.NewWorks = true
	case authRefused:
		c.addProblem("Mailjet still refused the new secret after " + r.waitedFor() + "; check again in a minute.")
	default:
		c.addProblem("Could not check that the new secret works: " + reasonWords(err) + ".")
	}
	return got
}

// verifyOldPairRefused fills c.OldRefused by trying the old pair.
func (r *Rotator) verifyOldPairRefused(ctx context.Context, c *Check, key string, old secret.Secret) {
	got, err := r.waitForAuth(ctx, r.API.WithCredentials(mailjet.Credentials{APIKey: key, Secret: old}), authRefused)
	switch got {
	case authRefused:
		c.OldRefused = true
	case authAccepted: // checked: the old pair works; the caller says why
	default:
		c.addProblem("Could not check that the old secret is refused: " + reasonWords(err) + ".")
	}
}

// verifyOldKeyInactive fills c.OldRefused from the key list, when the old
// secret is unknown and cannot be tried.
func (r *Rotator) verifyOldKeyInactive(ctx context.Context, c *Check, id int64) {
	keys, err := r.API.ListAPIKeys(ctx)
	if err != nil {
		c.addProblem("Could not check that the old key is turned off: " + reasonWords(err) + ".")
		return
	}
	for _, k := range keys {
		if k.ID == id {
			c.OldRefused = !k.IsActive
			return
		}
	}
	c.OldRefused = true // gone from the account: it cannot authenticate
}

func (c *Check) addProblem(p string) {
	if c.Problem == "" {
		c.Problem = p
	} else {
		c.Problem += " " + p
	}
}

func (r *Rotator) waitedFor() string {
	total := time.Duration(r.readyTries()-1) * r.readyWait()
	if total < time.Second {
		return "several tries"
	}
	return wording.Duration(nil, total)
}

// reasonWords says in plain English words why a call to Mailjet failed,
// for the journal (ProblemWords says it in the customer's language).
func reasonWords(err error) string { return ProblemWords(nil, err) }
