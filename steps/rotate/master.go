package rotate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/secret"
)

// Errors of AcceptMasterSecret, in plain words.
var (
	ErrNotASecret    = errors.New("That is not an API secret: it should be 32 characters, 0-9 and a-f.")
	ErrSameSecret    = errors.New("That is the current secret. Reset it on the API keys page first, then paste the new one.")
	ErrSecretRefused = errors.New("Mailjet refused that secret: check that you copied the whole new secret of the main key.")
	ErrOldStillWorks = errors.New("Mailjet still accepts the old secret: was the reset confirmed on the API keys page?")
)

// ResetMaster resets the master secret through the recovery API and
// verifies it. On success the Rotator switches to the new pair.
func (r *Rotator) ResetMaster(ctx context.Context, slot Slot) (Result, error) {
	res := Result{Slot: slot, NewKey: slot.Old.APIKey, NewID: slot.Old.ID}
	if err := r.checkMasterSlot(slot); err != nil {
		return res, err
	}
	if r.Recovery == nil {
		return res, fmt.Errorf("The main key's secret cannot be reset from here; reset it on the API keys page (%s) and paste the new one.", APIKeysPage)
	}
	old := r.oldMasterSecret(slot)

	if err := r.record(Entry{OldID: slot.Old.ID, OldKey: slot.Old.APIKey, Master: true, Phase: PhaseResetting}); err != nil {
		return res, err
	}
	newSecret, err := r.Recovery.ResetMasterSecret(ctx)
	if err != nil {
		return res, r.resetError(ctx, slot.Old.APIKey, old, err)
	}
	res.NewSecret = newSecret
	r.useMaster(slot.Old.APIKey, newSecret)
	// The reset happened; a failure to note it must not hide the new
	// secret from the user, so the error is only reported in the check.
	if err := r.record(Entry{OldID: slot.Old.ID, OldKey: slot.Old.APIKey, Master: true, Phase: PhaseDone}); err != nil {
		res.Check.addProblem(err.Error())
	}

	r.verifyNew(ctx, &res.Check, slot.Old.APIKey, newSecret)
	r.verifyMasterOld(ctx, &res.Check, slot, old)
	return res, nil
}

// AcceptMasterSecret verifies a master secret the user reset on Mailjet's
// site and pasted: the new pair must authenticate and the old one must not.
// On success the Rotator switches to the new pair.
func (r *Rotator) AcceptMasterSecret(ctx context.Context, slot Slot, pasted secret.Secret) (Result, error) {
	res := Result{Slot: slot, NewKey: slot.Old.APIKey, NewID: slot.Old.ID}
	if err := r.checkMasterSlot(slot); err != nil {
		return res, err
	}
	pasted = secret.New(strings.TrimSpace(pasted.Reveal()))
	if !IsSecretFormat(pasted.Reveal()) {
		return res, ErrNotASecret
	}
	old := r.oldMasterSecret(slot)
	if !old.IsZero() && pasted.Equal(old) {
		return res, ErrSameSecret
	}
	res.NewSecret = pasted

	if r.verifyNew(ctx, &res.Check, slot.Old.APIKey, pasted) == authRefused {
		return res, ErrSecretRefused
	}
	r.verifyMasterOld(ctx, &res.Check, slot, old)
	if res.Check.NewWorks {
		r.useMaster(slot.Old.APIKey, pasted)
	}
	if res.Check.NewWorks && !res.Check.OldRefused && res.Check.Problem == "" {
		return res, ErrOldStillWorks
	}
	if err := r.record(Entry{OldID: slot.Old.ID, OldKey: slot.Old.APIKey, Master: true, Phase: PhaseDone}); err != nil {
		res.Check.addProblem(err.Error())
	}
	return res, nil
}

func (r *Rotator) checkMasterSlot(slot Slot) error {
	switch {
	case r.API == nil:
		return errors.New("rotate: no connection to Mailjet was set up")
	case !slot.Old.IsMaster:
		return fmt.Errorf("The key %s is not the main key; it is replaced with a new key instead.", slot.Old.APIKey)
	}
	return nil
}

// oldMasterSecret is the secret in use before the reset: the wizard's own
// when it signed in with the master pair, else the listed one.
func (r *Rotator) oldMasterSecret(slot Slot) secret.Secret {
	if c := r.API.Credentials(); c.APIKey == slot.Old.APIKey && !c.Secret.IsZero() {
		return c.Secret
	}
	return slot.Old.Secret
}

func (r *Rotator) verifyMasterOld(ctx context.Context, c *Check, slot Slot, old secret.Secret) {
	if old.IsZero() {
		c.addProblem("The old secret is unknown here, so it could not be tried.")
		return
	}
	r.verifyOldPairRefused(ctx, c, slot.Old.APIKey, old)
}

// useMaster switches the Rotator's clients to the new master pair.
func (r *Rotator) useMaster(key string, s secret.Secret) {
	creds := mailjet.Credentials{APIKey: key, Secret: s}
	r.API = r.API.WithCredentials(creds)
	if r.Recovery != nil {
		r.Recovery = r.Recovery.WithCredentials(creds)
	}
}

// resetError explains a failed reset. The old pair tells whether the
// reset happened anyway, its answer lost (then the new secret is lost
// too, and the user must reset it on the site).
func (r *Rotator) resetError(ctx context.Context, key string, old secret.Secret, err error) error {
	if !old.IsZero() {
		if got, _ := checkAuth(ctx, r.API.WithCredentials(mailjet.Credentials{APIKey: key, Secret: old})); got == authRefused {
			return fmt.Errorf("The main key's secret was reset, but the answer with the new secret was lost (%s). "+
				"Reset it again on the API keys page (%s) and paste the new one: %w", reasonWords(err), APIKeysPage, err)
		}
	}
	return fmt.Errorf("Could not reset the main key's secret (%s); the old secret is unchanged: %w", reasonWords(err), err)
}

// IsSecretFormat reports whether s looks like a Mailjet API secret: 32
// lowercase hex characters.
func IsSecretFormat(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
