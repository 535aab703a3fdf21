// Package apicall sends one API request the way every mjrecover client
// wants it: context-bound, with Basic auth from a secret.Secret, a bounded
// response body, retries only for requests that are safe to repeat, and
// errors that name the method and path but never the credentials.
package apicall

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/internal/retry"
	"github.com/mjrecover/mjrecover/api/secret"
)

// UserAgent identifies mjrecover to the servers it calls.
const UserAgent = "mjrecover"

// Endpoint is one API host and how to talk to it. It is a value: copies
// share the *http.Client, which is safe for concurrent use.
type Endpoint struct {
	HTTP    *http.Client
	BaseURL string // scheme://host[/prefix], without a trailing slash
	User    string // Basic auth user (the API key); "" sends no auth
	Pass    secret.Secret
	Retry   retry.Policy
	MaxBody int64 // longest response body read, in bytes
}

// Call is one request.
type Call struct {
	Method     string
	Path       string // starts with "/"; goes into error messages
	Query      url.Values
	JSON       any               // request body, encoded as JSON; nil for none
	Header     map[string]string // extra headers
	Idempotent bool              // safe to send again on 429, 5xx or a network error
}

// Reply is the server's answer, whatever its status.
type Reply struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Do sends c, retrying it when it is idempotent, and returns the last
// reply. A non-2xx status is not an error here: each client maps it to its
// own error types. Errors are network failures, a cancelled ctx, or a
// request that could not be built.
func (e Endpoint) Do(ctx context.Context, c Call) (Reply, error) {
	target, err := e.url(c)
	if err != nil {
		return Reply{}, fmt.Errorf("%s %s: %w", c.Method, c.Path, err)
	}
	var body []byte
	if c.JSON != nil {
		if body, err = json.Marshal(c.JSON); err != nil {
			return Reply{}, fmt.Errorf("%s %s: encode request body: %w", c.Method, c.Path, err)
		}
	}
	tries := 1
	if c.Idempotent {
		tries = e.Retry.Tries()
	}
	for n := 0; ; n++ {
		reply, err := e.once(ctx, c, target, body)
		if err == nil && !retry.RetryableStatus(reply.StatusCode) {
			return reply, nil
		}
		if ctx.Err() != nil {
			return Reply{}, fmt.Errorf("%s %s: %w", c.Method, c.Path, ctx.Err())
		}
		if n+1 >= tries || errors.Is(err, errTooLarge) {
			return reply, err
		}
		wait := e.Retry.Wait(n, retry.ParseRetryAfter(reply.Header.Get("Retry-After"), time.Now()))
		if err := retry.Sleep(ctx, wait); err != nil {
			return Reply{}, fmt.Errorf("%s %s: stopped retrying: %w", c.Method, c.Path, err)
		}
	}
}

// once sends the request a single time.
func (e Endpoint) once(ctx context.Context, c Call, target string, body []byte) (Reply, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, target, rd)
	if err != nil {
		return Reply{}, fmt.Errorf("%s %s: build request: %w", c.Method, c.Path, err)
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.Header {
		req.Header.Set(k, v)
	}
	if e.User != "" {
		req.SetBasicAuth(e.User, e.Pass.Reveal())
	}
	hc := e.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Reply{}, fmt.Errorf("%s %s: %w", c.Method, c.Path, withoutURL(err))
	}
	defer resp.Body.Close()
	data, err := readBounded(resp.Body, e.MaxBody)
	if err != nil {
		return Reply{}, fmt.Errorf("%s %s: read response: %w", c.Method, c.Path, withoutURL(err))
	}
	return Reply{StatusCode: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// url joins the base URL, path and query, and refuses to send credentials
// in clear text to another machine.
func (e Endpoint) url(c Call) (string, error) {
	base := strings.TrimRight(e.BaseURL, "/")
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		// The URL itself is not quoted: it could hold anything.
		return "", errors.New("invalid API base URL: want http(s)://host")
	}
	if u.User != nil {
		return "", errors.New("the API base URL must not hold credentials")
	}
	if e.User != "" && u.Scheme == "http" && !isLocalHost(u.Hostname()) {
		return "", fmt.Errorf("refusing to send the API key over plain http to %s; use https", u.Host)
	}
	target := base + c.Path
	if len(c.Query) > 0 {
		target += "?" + c.Query.Encode()
	}
	return target, nil
}

// errTooLarge is not retried: the same request would get the same answer.
var errTooLarge = errors.New("response is larger than the limit")

// readBounded reads at most limit bytes and fails beyond it, so a
// misbehaving server cannot exhaust memory.
func readBounded(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = 1 << 20
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w (%d bytes)", errTooLarge, limit)
	}
	return data, nil
}

// withoutURL drops the *url.Error wrapper, whose text repeats the method
// and full URL; the caller names the method and path itself.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
