package review

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/rotate"
)

// KeyUsage is how much a sub-account key has been used. Mailjet gives a
// key's counters only to that key itself, so they are read with its own
// pair (from the key listing, which holds the secrets).
type KeyUsage struct {
	KeyID        int64
	Key          string
	Name         string
	CreatedAt    time.Time
	LastActivity time.Time // zero: never sent anything
	Processed    int64     // emails since the key was made
	Known        bool      // false when the usage could not be read
	Problem      string    // why, in plain words
}

// ReadKeyUsage reads the usage of every active sub-account key. Call it
// before rotating: afterwards the old keys are off, and their usage (which
// Run uses to tell whether the replacement is needed at all) can no longer
// be read. A key whose secret the listing masks is returned with Known
// false.
func ReadKeyUsage(ctx context.Context, api *mailjet.Client) ([]KeyUsage, error) {
	keys, err := api.ListAPIKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the API keys: %w", err)
	}
	var out []KeyUsage
	for _, k := range keys {
		if k.IsMaster || !k.IsActive {
			continue
		}
		out = append(out, readUsage(ctx, api, k))
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func readUsage(ctx context.Context, api *mailjet.Client, k mailjet.APIKey) KeyUsage {
	u := KeyUsage{KeyID: k.ID, Key: k.APIKey, Name: k.Name, CreatedAt: k.CreatedAt}
	if k.Secret.IsZero() {
		u.Problem = "Mailjet does not show this key's secret, so its use could not be read."
		return u
	}
	totals, err := api.WithCredentials(mailjet.Credentials{APIKey: k.APIKey, Secret: k.Secret}).APIKeyTotals(ctx)
	switch {
	case errors.Is(err, mailjet.ErrUnauthorized):
		u.Problem = "Mailjet refused this key's own pair, so its use could not be read."
	case err != nil:
		u.Problem = "Its use could not be read: " + reasonWords(err)
	default:
		u.Known, u.LastActivity, u.Processed = true, totals.LastActivity, totals.Processed
	}
	return u
}

// Replacement links a replaced sub-account key to its replacement.
type Replacement struct {
	OldKey string
	NewKey string
}

// ReplacementsFrom lists the sub-account keys the rotation replaced.
func ReplacementsFrom(results []rotate.Result) []Replacement {
	var out []Replacement
	for _, r := range results {
		if r.NewKey != "" && r.NewKey != r.Slot.Old.APIKey {
			out = append(out, Replacement{OldKey: r.Slot.Old.APIKey, NewKey: r.NewKey})
		}
	}
	return out
}

// rotationName matches the names rotate gives replacements ("Shop
// (created 2026-11-25)"): a safety net, so a replacement is never taken
// for a key the attacker made when the caller did not pass Replacements.
var rotationName = regexp.MustCompile(` \(created \d{4}-\d{2}-\d{2}\)$`)

// reasonWords is an error in a few English words, for KeyUsage.Problem
// (kept in the journal).
func reasonWords(err error) string { return rotate.ProblemWords(nil, err) }
