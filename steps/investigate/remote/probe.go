package remote

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ServesGit reports whether the http(s) address is a repository: whether
// it answers the first request of a clone (GET info/refs for
// git-upload-pack) as Git's smart HTTP does. A web site answers it with
// a 404 or a page. client nil means one with a 20-second timeout.
func ServesGit(ctx context.Context, client *http.Client, addr string) bool {
	u, err := url.Parse(addr)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	probe := *u
	probe.Path = strings.TrimRight(u.Path, "/") + "/info/refs"
	probe.RawPath = ""
	probe.RawQuery = "service=git-upload-pack"
	probe.Fragment = ""
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, probe.String(), nil)
	if err != nil {
		return false
	}
	req.Header.Set("User-Agent", "git/mjrecover")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK &&
		strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-git-upload-pack-advertisement")
}
