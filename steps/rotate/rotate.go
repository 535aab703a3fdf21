// Package rotate plans and performs the rotation of an account's API keys:
// sub-account keys are replaced (create a new key, then deactivate the
// old), the master secret is reset through the recovery API or, without
// one, by the user on Mailjet's site. Every rotation is then verified.
//
// CONTRACT STUB: signatures are fixed; bodies are being implemented.
package rotate

import (
	"context"
	"errors"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/secret"
)

// APIKeysPage is where a user resets the master secret by hand.
const APIKeysPage = "https://app.mailjet.com/account/apikeys"

// Action is what the plan does with one key.
type Action int

const (
	ReplaceSubKey Action = iota // create a replacement, then deactivate the old key
	ResetMaster                 // reset the master secret through the recovery API
	GuidedMaster                // the user resets it on APIKeysPage and pastes the new secret
	SkipInactive                // already inactive: nothing to do
)

// String describes the action in plain words.
func (a Action) String() string { return "" }

// Slot is one key of the account and what happens to it.
type Slot struct {
	Old    mailjet.APIKey
	Leaked bool
	Action Action
}

// Plan is the ordered list of slots: sub-account keys first, the master
// key last (its reset changes the credentials the wizard itself uses).
type Plan struct {
	Slots []Slot
}

// NewPlan builds the plan for keys; leaked holds the public keys the scan
// found; canResetMaster is true when a recovery API is available.
func NewPlan(keys []mailjet.APIKey, leaked map[string]bool, canResetMaster bool) Plan {
	return Plan{}
}

// Check is the verification of one rotation.
type Check struct {
	NewWorks   bool   // the new pair authenticates
	OldRefused bool   // the old pair gets 401
	Problem    string // why it could not be checked, in plain words; "" when checked
}

// OK reports whether the rotation is verified.
func (c Check) OK() bool { return c.NewWorks && c.OldRefused && c.Problem == "" }

// Result is the outcome of one slot.
type Result struct {
	Slot      Slot
	NewKey    string // public key of the replacement (the same key for the master)
	NewID     int64
	NewSecret secret.Secret
	Check     Check
}

// Rotator performs the plan.
type Rotator struct {
	API      *mailjet.Client  // authenticated with the master pair
	Recovery *recovery.Client // nil when there is no recovery API
}

// RotateSub creates the replacement of slot's key, then deactivates the
// old key, then verifies both.
func (r *Rotator) RotateSub(ctx context.Context, slot Slot) (Result, error) {
	return Result{}, errors.New("not implemented")
}

// ResetMaster resets the master secret through the recovery API and
// verifies it.
func (r *Rotator) ResetMaster(ctx context.Context, slot Slot) (Result, error) {
	return Result{}, errors.New("not implemented")
}

// AcceptMasterSecret verifies a master secret the user reset on Mailjet's
// site and pasted: the new pair must authenticate and the old one must not.
func (r *Rotator) AcceptMasterSecret(ctx context.Context, slot Slot, pasted secret.Secret) (Result, error) {
	return Result{}, errors.New("not implemented")
}

// SaveSecrets writes the new key pairs to path (created 0600, never
// overwriting an existing file).
func SaveSecrets(path string, results []Result) error { return errors.New("not implemented") }
