package replace

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/rotate"
)

// Bounds of a value that may be replaced or written. An old value shorter
// than minValueLen could match unrelated text; letters and digits only
// means a new value cannot break any config syntax's quoting.
const (
	minValueLen = 16
	maxValueLen = 128
)

// RotationsFrom turns the rotation step's results into rotations, leaving
// out the keys that got no new secret (skipped or failed).
func RotationsFrom(results []rotate.Result) []Rotation {
	var out []Rotation
	for _, r := range results {
		if r.NewSecret.IsZero() || r.NewKey == "" {
			continue
		}
		out = append(out, Rotation{
			Name:      r.Slot.Old.Name,
			OldKey:    r.Slot.Old.APIKey,
			OldSecret: r.Slot.Old.Secret,
			NewKey:    r.NewKey,
			NewSecret: r.NewSecret,
		})
	}
	return out
}

// validate checks that r can be applied safely.
func (r Rotation) validate() error {
	name := untrusted.Text(r.OldKey, 64)
	switch {
	case !isValue(r.OldKey):
		return fmt.Errorf("the old API key %q is not a Mailjet key (%d to %d letters and digits)", name, minValueLen, maxValueLen)
	case !isValue(r.NewKey):
		return fmt.Errorf("the new API key for %s is not a Mailjet key (%d to %d letters and digits)", name, minValueLen, maxValueLen)
	case !isValue(r.NewSecret.Reveal()):
		return fmt.Errorf("the new secret for %s is not a Mailjet secret (%d to %d letters and digits)", name, minValueLen, maxValueLen)
	case !r.OldSecret.IsZero() && !isValue(r.OldSecret.Reveal()):
		return fmt.Errorf("the old secret of %s is not a Mailjet secret (%d to %d letters and digits)", name, minValueLen, maxValueLen)
	case r.NewSecret.Equal(r.OldSecret):
		return fmt.Errorf("the new secret of %s is the same as the old one", name)
	}
	return nil
}

func validateRotations(rs []Rotation) error {
	if len(rs) == 0 {
		return errors.New("no rotated key to put in place")
	}
	seen := map[string]bool{}
	for _, r := range rs {
		if err := r.validate(); err != nil {
			return err
		}
		k := strings.ToLower(r.OldKey)
		if seen[k] {
			return fmt.Errorf("the key %s is listed twice", untrusted.Text(r.OldKey, 64))
		}
		seen[k] = true
	}
	return nil
}

// isValue reports whether s has the shape of a key or secret mjrecover
// will replace or write.
func isValue(s string) bool {
	if len(s) < minValueLen || len(s) > maxValueLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !partOfValue(kindKey, s[i]) {
			return false
		}
	}
	return true
}

// ValidateNewSecret says, in plain words, why s cannot be written as a
// new secret, or returns nil.
func ValidateNewSecret(s string) error {
	if !isValue(s) {
		return fmt.Errorf("a Mailjet secret is %d to %d letters and digits (usually 32 characters, 0-9 and a-f)", minValueLen, maxValueLen)
	}
	return nil
}
