// Package httpprobe asks a web site for the files that leak credentials
// (.env, .git/config, wp-config.php backups, phpinfo pages, logs,
// backups). It talks only to the host it was given: redirects to any
// other host are not followed. Every probe needs its status and its
// content to match, and a request for a random path first tells a site
// that answers 200 for everything.
package httpprobe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// Defaults of Config.
const (
	DefaultConcurrency = 4
	DefaultReadCap     = 64 << 10
	DefaultTimeout     = 10 * time.Second
	maxRedirects       = 3
)

// Config sets up probing. The zero value works (the default client).
type Config struct {
	Client      *http.Client // its redirect policy is replaced by a same-host one
	Concurrency int
	ReadCap     int64
	Timeout     time.Duration // per request
	Probes      []Probe       // nil: Default()
}

// Hit is a probe that matched.
type Hit struct {
	URL  string
	Kind Kind
	Body []byte // at most ReadCap bytes
}

// Site probes one site. base must be an absolute http or https URL; the
// probe paths are resolved against it as a folder. An error means the
// site could not be probed at all (it did not answer the first request).
func Site(ctx context.Context, base *url.URL, cfg Config) ([]Hit, error) {
	if base.Scheme != "http" && base.Scheme != "https" || base.Host == "" {
		return nil, fmt.Errorf("not a web address: %s", untrusted.Clean(base.Redacted()))
	}
	p := newProber(base, cfg)
	baseline, err := p.get(ctx, randomPath())
	if err != nil {
		return nil, err
	}
	probes := cfg.Probes
	if probes == nil {
		probes = Default()
	}
	var (
		mu   sync.Mutex
		hits []Hit
		wg   sync.WaitGroup
		sem  = make(chan struct{}, p.concurrency)
	)
	for _, pr := range probes {
		// A site that answers 200 with the same page for every path, or
		// whose answer to a random path already matches, tells nothing.
		if pr.Match(baseline) {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
		wg.Go(func() {
			defer func() { <-sem }()
			resp, err := p.get(ctx, pr.Path)
			if err != nil || !pr.Match(resp) || baseline.Status == 200 && string(resp.Body) == string(baseline.Body) {
				return
			}
			mu.Lock()
			hits = append(hits, Hit{URL: p.resolve(pr.Path).String(), Kind: pr.Kind, Body: resp.Body})
			mu.Unlock()
		})
	}
	wg.Wait()
	return hits, ctx.Err()
}

type prober struct {
	base        *url.URL
	client      *http.Client
	concurrency int
	readCap     int64
	timeout     time.Duration
}

func newProber(base *url.URL, cfg Config) *prober {
	b := *base
	if !strings.HasSuffix(b.Path, "/") {
		b.Path += "/"
	}
	b.RawQuery, b.Fragment, b.RawPath = "", "", ""
	client := http.Client{}
	if cfg.Client != nil {
		client = *cfg.Client
	}
	client.CheckRedirect = sameHost(b.Host)
	p := &prober{base: &b, client: &client, concurrency: cfg.Concurrency, readCap: cfg.ReadCap, timeout: cfg.Timeout}
	if p.concurrency <= 0 {
		p.concurrency = DefaultConcurrency
	}
	if p.readCap <= 0 {
		p.readCap = DefaultReadCap
	}
	if p.timeout <= 0 {
		p.timeout = DefaultTimeout
	}
	return p
}

// sameHost follows a few redirects within host only: the same host and
// port, or the same host name on default ports (http to https). Any other
// is not followed, and its 3xx answer matches no probe.
func sameHost(host string) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return http.ErrUseLastResponse
		}
		to, from := req.URL, via[0].URL
		switch {
		case strings.EqualFold(to.Host, host):
			return nil
		case strings.EqualFold(to.Hostname(), from.Hostname()) && strings.EqualFold(from.Host, host) && defaultPort(to) && defaultPort(from):
			return nil
		}
		return http.ErrUseLastResponse
	}
}

func defaultPort(u *url.URL) bool {
	p := u.Port()
	return p == "" || u.Scheme == "http" && p == "80" || u.Scheme == "https" && p == "443"
}

func (p *prober) resolve(rel string) *url.URL {
	return p.base.ResolveReference(&url.URL{Path: rel})
}

// get fetches one path, reading at most readCap bytes of the body.
func (p *prober) get(ctx context.Context, rel string) (Response, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	u := p.resolve(rel)
	if !strings.EqualFold(u.Host, p.base.Host) {
		return Response{}, errors.New("path leaves the site") // cannot happen with the fixed list
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Response{}, err
	}
	req.Header.Set("User-Agent", "mjrecover (leak check of your own site)")
	resp, err := p.client.Do(req)
	if err != nil {
		return Response{}, fmt.Errorf("%s did not answer: %w", untrusted.Clean(p.base.Host), unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, p.readCap))
	if err != nil {
		return Response{}, fmt.Errorf("reading %s: %w", untrusted.Clean(u.Path), err)
	}
	return Response{Status: resp.StatusCode, Body: body}, nil
}

// unwrapURLError drops url.Error's copy of the address (already said).
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func randomPath() string {
	var b [12]byte
	rand.Read(b[:])
	return "mjrecover-check-" + hex.EncodeToString(b[:]) + ".txt"
}
