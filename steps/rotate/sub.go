package rotate

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// StillActiveError: the replacement was created but the old key could not
// be turned off. The Result returned with it holds the new key.
type StillActiveError struct {
	NewKey string
	OldKey string
	Unsure bool // the key list could not be read to confirm
	Err    error
}

func (e *StillActiveError) Error() string {
	state := "is still active"
	if e.Unsure {
		state = "may still be active"
	}
	return fmt.Sprintf("The new key %s was created, but the old key %s %s: turning it off failed (%s). "+
		"Turn %s off on the API keys page (%s) or try again; the new key works either way.",
		e.NewKey, e.OldKey, state, reasonWords(e.Err), e.OldKey, APIKeysPage)
}

func (e *StillActiveError) Unwrap() error { return e.Err }

// createdSuffix ends the names this package gives new keys; a name that
// already has one (from an earlier rotation) gets it replaced.
var createdSuffix = regexp.MustCompile(` \(created \d{4}-\d{2}-\d{2}\)$`)

// maxNameRunes keeps new names short enough for Mailjet's list.
const maxNameRunes = 100

// replacementName keeps the old name, so the user and their apps still
// recognise the key, and adds the creation date: the new key stands out
// from the old, inactive one with the same name, and a later rotation
// replaces the date instead of piling up suffixes like "(new) (new)".
func (r *Rotator) replacementName(old string) string {
	base := strings.TrimSpace(createdSuffix.ReplaceAllString(strings.TrimSpace(old), ""))
	if base == "" {
		base = "API key"
	}
	if rs := []rune(base); len(rs) > maxNameRunes {
		base = strings.TrimSpace(string(rs[:maxNameRunes]))
	}
	return base + " (created " + r.now().Format("2006-01-02") + ")"
}

// RotateSub creates the replacement of slot's key, then deactivates the
// old key, then verifies both. When the old key cannot be turned off, it
// returns the Result with the new key (so it can be shown and saved)
// together with a *StillActiveError.
func (r *Rotator) RotateSub(ctx context.Context, slot Slot) (Result, error) {
	old := slot.Old
	res := Result{Slot: slot}
	switch {
	case r.API == nil:
		return res, errors.New("rotate: no connection to Mailjet was set up")
	case old.IsMaster:
		return res, fmt.Errorf("The main key %s cannot be replaced; its secret has to be reset instead.", old.APIKey)
	case old.ID <= 0 || old.APIKey == "":
		return res, errors.New("rotate: the key to replace has no ID")
	case !old.IsActive:
		return res, fmt.Errorf("The key %s is already turned off; it needs no replacement.", old.APIKey)
	}

	name := r.replacementName(old.Name)
	if err := r.record(Entry{OldID: old.ID, OldKey: old.APIKey, Phase: PhaseCreating, Name: name}); err != nil {
		return res, err
	}
	created, err := r.API.CreateAPIKey(ctx, name)
	if err != nil {
		return res, createError(old.APIKey, name, err)
	}
	res.NewKey, res.NewID, res.NewSecret = created.APIKey, created.ID, created.Secret
	if err := r.record(Entry{OldID: old.ID, OldKey: old.APIKey, Phase: PhaseCreated, Name: name,
		NewID: created.ID, NewKey: created.APIKey}); err != nil {
		return res, err
	}
	return r.retireOld(ctx, res)
}

// FinishSub completes a replacement that RotateSub left half done (the
// new key exists, the old one is still active): it turns the old key off
// and verifies both, without creating another key.
func (r *Rotator) FinishSub(ctx context.Context, slot Slot, prior Result) (Result, error) {
	res := prior
	res.Slot, res.Check = slot, Check{}
	switch {
	case r.API == nil:
		return res, errors.New("rotate: no connection to Mailjet was set up")
	case prior.NewKey == "" || prior.NewSecret.IsZero():
		return res, fmt.Errorf("rotate: no replacement of %s to finish; replace the key instead", slot.Old.APIKey)
	case slot.Old.IsMaster || slot.Old.ID <= 0:
		return res, fmt.Errorf("rotate: %s is not a sub-account key", slot.Old.APIKey)
	}
	return r.retireOld(ctx, res)
}

// retireOld turns the old key off once its replacement res exists, then
// verifies that the new pair works and the old one is refused.
func (r *Rotator) retireOld(ctx context.Context, res Result) (Result, error) {
	old := res.Slot.Old
	deactErr := r.API.SetAPIKeyActive(ctx, old.ID, false)
	r.verifyNew(ctx, &res.Check, res.NewKey, res.NewSecret)
	if deactErr != nil {
		// The PUT may have worked with its answer lost: the list tells.
		var c Check
		r.verifyOldKeyInactive(ctx, &c, old.ID)
		if !c.OldRefused {
			return res, &StillActiveError{NewKey: res.NewKey, OldKey: old.APIKey, Unsure: c.Problem != "", Err: deactErr}
		}
	}

	// From here the old key is off: the rotation is done, whatever the
	// checks below find.
	if err := r.record(Entry{OldID: old.ID, OldKey: old.APIKey, Phase: PhaseDone, NewID: res.NewID, NewKey: res.NewKey}); err != nil {
		return res, err
	}
	if old.Secret.IsZero() {
		r.verifyOldKeyInactive(ctx, &res.Check, old.ID)
	} else {
		r.verifyOldPairRefused(ctx, &res.Check, old.APIKey, old.Secret)
	}
	switch {
	case res.Check.OldRefused || res.Check.Problem != "":
	case old.Secret.IsZero():
		res.Check.Problem = "Mailjet still lists the old key " + old.APIKey + " as active; check the API keys page in a minute."
	default:
		res.Check.Problem = "Mailjet says the old key " + old.APIKey + " is turned off but still accepts it; check the API keys page in a minute."
	}
	return res, nil
}

// createError explains a failed creation. Nothing changed, unless the
// request reached Mailjet and only the answer was lost.
func createError(oldKey, name string, err error) error {
	if _, answered := httpStatus(err); answered {
		return fmt.Errorf("Could not create a new key to replace %s (%s); the old key is unchanged and still works: %w",
			oldKey, reasonWords(err), err)
	}
	return fmt.Errorf("Could not create a new key to replace %s (%s); the old key is unchanged and still works. "+
		"If a key named %q now appears on the API keys page, Mailjet created it without showing its secret: turn it off there. Details: %w",
		oldKey, reasonWords(err), name, err)
}
