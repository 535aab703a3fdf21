// Package inmemory has an http.Handler answer requests without a network,
// for tests that run on a fake clock (testing/synctest): a client waiting
// on a socket would keep that clock from moving.
package inmemory

import (
	"net/http"
	"net/http/httptest"
)

// Transport is an http.RoundTripper that has Handler answer each request
// directly.
type Transport struct{ Handler http.Handler }

// RoundTrip implements http.RoundTripper.
func (t Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if r.Body == nil {
		r.Body = http.NoBody
	}
	r.RequestURI = r.URL.RequestURI()
	rec := httptest.NewRecorder()
	t.Handler.ServeHTTP(rec, r)
	if req.Body != nil {
		req.Body.Close()
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	return rec.Result(), nil
}
