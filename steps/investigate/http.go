package investigate

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate/httpprobe"
)

// parseTargets checks the web addresses: absolute http or https, with a
// host and no user name or password (which would be sent along).
func parseTargets(raw []string) ([]*url.URL, error) {
	var out []*url.URL
	for _, r := range raw {
		u, err := url.Parse(r)
		if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("cannot scan %q: not an http:// or https:// address", untrusted.Clean(r))
		}
		if u.User != nil {
			return nil, fmt.Errorf("cannot scan %q: leave the user name and password out of the address", untrusted.Clean(u.Redacted()))
		}
		out = append(out, u)
	}
	return out, nil
}

// IsURL reports whether arg names a web site rather than a path.
func IsURL(arg string) bool {
	l := strings.ToLower(arg)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// webResult is what probing the sites found.
type webResult struct {
	findings []Finding
	skips    []Skip
}

// startProbes probes the sites one after the other (each with a few
// requests at once), alongside the walk.
func (s *scanner) startProbes(ctx context.Context, targets []*url.URL) <-chan webResult {
	out := make(chan webResult, 1)
	if len(targets) == 0 {
		out <- webResult{}
		return out
	}
	client := s.opts.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: httpprobe.DefaultTimeout}
	}
	go func() {
		var r webResult
		for _, u := range targets {
			hits, err := httpprobe.Site(ctx, u, httpprobe.Config{Client: client})
			if err != nil {
				if ctx.Err() == nil {
					r.skips = append(r.skips, Skip{Path: untrusted.Clean(u.String()), Reason: "could not be probed: " + untrusted.Clean(err.Error())})
				}
				continue
			}
			for _, h := range hits {
				r.findings = append(r.findings, newFinding(webRule(h.Kind), h.URL, 0))
				r.findings = append(r.findings, credentialFindings(h.URL, h.Body)...)
			}
		}
		out <- r
	}()
	return out
}

func webRule(k httpprobe.Kind) string {
	switch k {
	case httpprobe.Env:
		return RuleExposedEnv
	case httpprobe.Git:
		return RuleExposedGit
	case httpprobe.WPConfigBackup:
		return RuleExposedWPBackup
	case httpprobe.Phpinfo:
		return RuleExposedPhpinfo
	case httpprobe.Log:
		return RuleExposedLog
	}
	return RuleExposedBackup
}
