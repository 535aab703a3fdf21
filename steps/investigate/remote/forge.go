package remote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// Repository is one repository an account publishes. Its texts come from
// the forge: clean them before showing them.
type Repository struct {
	Name     string // owner/name
	CloneURL string // http(s) address to clone; "" when the forge gave no such address
	WebURL   string
	Fork     bool
	Archived bool
}

// webAddress is u when it is an http(s) address, "" otherwise: a forge's
// answer names what to clone, and only a web address is taken from it
// (not ssh:// to some other host, nor a local path).
func webAddress(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return ""
	}
	return u
}

// ErrNoSuchOwner: the forge knows no user, organisation or group by that name.
var ErrNoSuchOwner = errors.New("no such user or organisation")

// RateLimitError: the forge refuses more requests until Reset.
type RateLimitError struct {
	Forge         string    // "GitHub", "GitLab"
	Reset         time.Time // zero when the forge did not say
	Authenticated bool      // the requests carried a token
}

func (e *RateLimitError) Error() string {
	when := "later"
	if !e.Reset.IsZero() {
		when = "at " + e.Reset.UTC().Format(time.RFC3339)
	}
	return e.Forge + "'s limit of requests is reached; it resets " + when
}

// maxPages bounds a listing (100 repositories a page).
const maxPages = 100

// maxAnswer bounds one answer of a forge's API.
const maxAnswer = 32 << 20

// forgeAPI is a forge's REST API: requests go to its host only, since
// they may carry the token.
type forgeAPI struct {
	name   string // "GitHub"
	base   *url.URL
	client *http.Client
	header func(http.Header) // the forge's own headers, the token among them
	token  bool              // the requests carry a token
	limit  func(*http.Response, time.Time) (limited bool, reset time.Time)
	now    func() time.Time
	spent  *RateLimitError // set when an answer said no request is left
}

func newForgeAPI(name, rawBase string, client *http.Client, token bool, header func(http.Header)) (*forgeAPI, error) {
	base, err := url.Parse(strings.TrimRight(rawBase, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.User != nil {
		return nil, fmt.Errorf("%s API address %q: want https://host/path", name, untrusted.Clean(rawBase))
	}
	base.RawQuery, base.Fragment = "", ""
	if client == nil {
		client = &http.Client{Timeout: time.Minute}
	}
	guarded := *client
	guarded.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !sameOrigin(req.URL, base) {
			return fmt.Errorf("%s redirected to another host (%s): not followed", name, untrusted.Clean(req.URL.Host))
		}
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		return nil
	}
	return &forgeAPI{name: name, base: base, client: &guarded, header: header, token: token, now: time.Now}, nil
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

// at is the API address of path, whose segments are escaped already
// (GitLab names a group/subgroup as group%2Fsubgroup), with query.
func (f *forgeAPI) at(path string, query url.Values) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(f.base.String(), "/") + path)
	if err != nil {
		return nil, fmt.Errorf("%s API address for %s: %w", f.name, untrusted.Clean(path), err)
	}
	u.RawQuery = query.Encode()
	return u, nil
}

// get fetches u and decodes its JSON answer into v; a 404 is errNotFound.
// Once an answer said no request is left, get refuses until the reset.
func (f *forgeAPI) get(ctx context.Context, u *url.URL, v any) (http.Header, error) {
	if !sameOrigin(u, f.base) {
		return nil, fmt.Errorf("%s pointed to another host (%s): not followed", f.name, untrusted.Clean(u.Host))
	}
	if f.spent != nil && (f.spent.Reset.IsZero() || f.now().Before(f.spent.Reset)) {
		return nil, f.spent
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "mjrecover")
	f.header(req.Header)
	resp, err := f.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("asking %s: %w", f.name, err)
	}
	defer resp.Body.Close()
	limited, reset := f.limit(resp, f.now())
	if limited {
		rl := &RateLimitError{Forge: f.name, Reset: reset, Authenticated: f.token}
		if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests {
			return nil, rl
		}
		f.spent = rl // this answer counts; the next request would be refused
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return resp.Header, errNotFound
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%s answered %s for %s%s", f.name, strconv.Itoa(resp.StatusCode), u.Path, serverMessage(resp.Body))
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxAnswer)).Decode(v); err != nil {
		return nil, fmt.Errorf("reading %s's answer for %s: %w", f.name, u.Path, err)
	}
	return resp.Header, nil
}

var errNotFound = errors.New("not found")

// serverMessage is the "message" of a forge's JSON error, cleaned and
// cut, as ": message"; "" when there is none.
func serverMessage(body io.Reader) string {
	var e struct {
		Message any `json:"message"`
	}
	if json.NewDecoder(io.LimitReader(body, 64<<10)).Decode(&e) != nil || e.Message == nil {
		return ""
	}
	msg := untrusted.Text(fmt.Sprint(e.Message), untrusted.MaxLen)
	if msg == "" {
		return ""
	}
	return ": " + msg
}

// epochHeader reads a time given in seconds since 1970.
func epochHeader(h http.Header, name string) time.Time {
	n, err := strconv.ParseInt(strings.TrimSpace(h.Get(name)), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}

// retryAfter reads Retry-After in seconds (what forges send).
func retryAfter(h http.Header, now time.Time) time.Time {
	n, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if err != nil || n < 0 {
		return time.Time{}
	}
	return now.Add(time.Duration(n) * time.Second)
}

// listAll follows a listing's pages: next says the address of the page
// after the one whose headers it is given, nil at the end.
func (f *forgeAPI) listAll(ctx context.Context, first *url.URL, next func(http.Header, *url.URL) *url.URL, page func(json.RawMessage) error) error {
	u := first
	for range maxPages {
		var raw json.RawMessage
		h, err := f.get(ctx, u, &raw)
		if err != nil {
			return err
		}
		if err := page(raw); err != nil {
			return fmt.Errorf("reading %s's answer for %s: %w", f.name, u.Path, err)
		}
		if u = next(h, u); u == nil {
			return nil
		}
	}
	return fmt.Errorf("%s lists more than %d pages of repositories", f.name, maxPages)
}
