package remote

import (
	"context"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// ScanAccount reads every public repository of the GitHub account: it
// lists them through the API, then clones and reads each one's history
// (see Scan). A repository that cannot be read is listed among the
// skipped paths and the rest go on; listing the account failing (no such
// account, the rate limit) is the error. progress, when set, hears each
// repository as its reading starts (n counts from 1).
func ScanAccount(ctx context.Context, gh GitHub, account string, opt Options, scan investigate.Options,
	progress func(n, total int, repo string)) (investigate.Result, error) {
	repos, err := gh.Repositories(ctx, account)
	if err != nil {
		return investigate.Result{}, err
	}
	results := make([]investigate.Result, 0, len(repos))
	for i, r := range repos {
		if progress != nil {
			progress(i+1, len(repos), untrusted.Clean(r.Name))
		}
		res, err := Scan(ctx, r.CloneURL, opt, scan)
		if ctx.Err() != nil {
			return investigate.Result{}, ctx.Err()
		}
		if err != nil {
			where := r.WebURL
			if where == "" {
				where = r.Name
			}
			res = investigate.Result{Stats: investigate.Stats{Skipped: []investigate.Skip{{
				Path: untrusted.Clean(where), Reason: "repository not read: " + untrusted.Clean(err.Error()),
			}}}}
		}
		results = append(results, res)
	}
	return Merge(results...), nil
}
