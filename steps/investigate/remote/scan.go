package remote

import (
	"cmp"
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// Scan clones the repository at addr (see Clone), reads every version of
// every file in its history with investigate's history reading (scan's
// limits, verifier and the like apply; its Roots and URLs are replaced),
// and removes the copy before returning. Findings and skips name the
// address as shown, the path in the repository and the commit, the way
// history findings name a folder's repository:
// https://host/owner/repo.git/.env@1a2b3c4d5e6f.
func Scan(ctx context.Context, addr string, opt Options, scan investigate.Options) (investigate.Result, error) {
	c, err := Clone(ctx, addr, opt)
	if err != nil {
		return investigate.Result{}, err
	}
	scan.Roots = []string{c.Root}
	scan.URLs = nil
	scan.History = true
	scan.Progress = nil   // it would name the private folder
	scan.AccessLogs = nil // the server's logs are read by the scan of the server
	res, err := investigate.Scan(ctx, scan)
	rmErr := c.Remove()
	if err != nil {
		return investigate.Result{}, err
	}
	res = c.rename(res)
	if rmErr != nil { // said, so the user can remove it: it holds the repository
		res.Stats.Skipped = append(res.Stats.Skipped, investigate.Skip{
			Path:   untrusted.Clean(c.Root),
			Reason: "the temporary copy of " + c.Address + " could not be removed: " + untrusted.Clean(rmErr.Error()),
		})
	}
	return res, nil
}

// rename makes paths in the private copy name the repository instead,
// and drops the one finding about the copy itself (its .git folder, which
// the walk takes for an exposure: the copy is nobody's web site).
func (c *Copy) rename(res investigate.Result) investigate.Result {
	gitDir := filepath.Join(c.Root, ".git")
	inside := func(p string) (string, bool) {
		if p == gitDir || p == c.Root {
			return c.Address, true
		}
		rest, ok := strings.CutPrefix(p, c.Root+string(filepath.Separator))
		if !ok {
			return p, false
		}
		return c.Address + "/" + filepath.ToSlash(rest), true
	}
	findings := res.Findings[:0:0]
	for _, f := range res.Findings {
		if f.Path == gitDir {
			continue
		}
		f.Path, _ = inside(f.Path)
		findings = append(findings, f)
	}
	res.Findings = findings
	for i, s := range res.Stats.Skipped {
		res.Stats.Skipped[i].Path, _ = inside(s.Path)
		res.Stats.Skipped[i].Reason = strings.ReplaceAll(s.Reason, c.Root, c.Address)
	}
	return res
}

// Merge joins the results of several scans into one, sorted as a scan's
// own result is: findings by severity, path and line; skips by path.
func Merge(results ...investigate.Result) investigate.Result {
	var out investigate.Result
	for _, r := range results {
		out.Findings = append(out.Findings, r.Findings...)
		out.Stats.Files += r.Stats.Files
		out.Stats.Bytes += r.Stats.Bytes
		out.Stats.Skipped = append(out.Stats.Skipped, r.Stats.Skipped...)
		out.Stats.Duration += r.Stats.Duration
	}
	slices.SortStableFunc(out.Findings, func(a, b investigate.Finding) int {
		return cmp.Or(cmp.Compare(a.Severity, b.Severity), cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.APIKey, b.APIKey))
	})
	slices.SortStableFunc(out.Stats.Skipped, func(a, b investigate.Skip) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Reason, b.Reason))
	})
	return out
}
