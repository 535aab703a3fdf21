package investigate

import (
	"context"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// noPairNote explains why a lone key or secret was not checked.
const noPairNote = "not checked: a key and its secret are needed"

// verifyFindings checks each distinct pair once, in order, and gives the
// verdict to every finding of that pair. The Verifier rate-limits.
func verifyFindings(ctx context.Context, v Verifier, findings []Finding) error {
	type pair struct{ key, secret string }
	type verdict struct {
		v    Verdict
		note string
	}
	done := map[pair]verdict{}
	for i := range findings {
		f := &findings[i]
		if f.Category != CategoryCredential {
			continue
		}
		if f.APIKey == "" || f.Secret.IsZero() {
			f.VerifyNote = noPairNote
			continue
		}
		p := pair{f.APIKey, f.Secret.Reveal()}
		r, ok := done[p]
		if !ok {
			if err := ctx.Err(); err != nil {
				return err
			}
			r.v, r.note = v.Verify(ctx, f.APIKey, f.Secret)
			r.note = untrusted.Clean(r.note)
			done[p] = r
		}
		f.Verified, f.VerifyNote = r.v, r.note
	}
	return ctx.Err()
}
