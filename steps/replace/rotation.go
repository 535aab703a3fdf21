package replace

import (
	"errors"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
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

// validate checks that r can be applied safely; the error is in p's
// language (nil: English).
func (r Rotation) validate(p *lang.Printer) error {
	name := untrusted.Text(r.OldKey, 64)
	switch {
	case !isValue(r.OldKey):
		return errors.New(p.T("the old API key %[1]q is not a Mailjet key (%[2]d to %[3]d letters and digits)", name, minValueLen, maxValueLen))
	case !isValue(r.NewKey):
		return errors.New(p.T("the new API key for %[1]s is not a Mailjet key (%[2]d to %[3]d letters and digits)", name, minValueLen, maxValueLen))
	case !isValue(r.NewSecret.Reveal()):
		return errors.New(p.T("the new secret for %[1]s is not a Mailjet secret (%[2]d to %[3]d letters and digits)", name, minValueLen, maxValueLen))
	case !r.OldSecret.IsZero() && !isValue(r.OldSecret.Reveal()):
		return errors.New(p.T("the old secret of %[1]s is not a Mailjet secret (%[2]d to %[3]d letters and digits)", name, minValueLen, maxValueLen))
	case r.NewSecret.Equal(r.OldSecret):
		return errors.New(p.T("the new secret of %s is the same as the old one", name))
	}
	return nil
}

func validateRotations(p *lang.Printer, rs []Rotation) error {
	if len(rs) == 0 {
		return errors.New(p.T("no replaced key to put in place"))
	}
	seen := map[string]bool{}
	for _, r := range rs {
		if err := r.validate(p); err != nil {
			return err
		}
		k := strings.ToLower(r.OldKey)
		if seen[k] {
			return errors.New(p.T("the key %s is listed twice", untrusted.Text(r.OldKey, 64)))
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

// ValidateNewSecret says, in plain words in p's language (nil: English),
// why s cannot be written as a new secret key, or returns nil.
func ValidateNewSecret(p *lang.Printer, s string) error {
	if !isValue(s) {
		return errors.New(p.T("a Mailjet secret is %[1]d to %[2]d letters and digits (usually 32 characters, 0-9 and a-f)", minValueLen, maxValueLen))
	}
	return nil
}
