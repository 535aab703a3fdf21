// Package sandbox is an in-memory, Mailjet-compatible HTTP server for the
// demo and the tests: the apikey and user resources of REST v3, the
// recovery API, and a Pwned Passwords range endpoint.
//
// CONTRACT STUB: signatures are fixed; bodies are being implemented.
package sandbox

import (
	"context"
	"net/http"
)

// The demo account. The demo web root in assets/ leaks the master pair and
// the "Shop" sub-account pair.
const (
	DemoEmail = "jane@lafleur-bakery.example"

	DemoMasterKey    = "4a91a1b977547f206f136fc678d365fa"
	DemoMasterSecret = "f31975f7f33e4bcb57d79293d9ea590b"

	// Sub-account "Shop (WooCommerce)": leaked by the demo web root.
	DemoShopKey    = "06d340744b2965d3e85f7cef673379ff"
	DemoShopSecret = "e8b9bbc4ab9dfe2bf8fb18889ed4cbd5"

	// Sub-account "Newsletter": not leaked.
	DemoNewsletterKey    = "a28aa0259d148b8f4d5932967d97c758"
	DemoNewsletterSecret = "f72d4bf5f36310e9dc8dce87409f7e48"
)

// Server is the sandbox. It is an http.Handler.
type Server struct{}

// Option configures a Server.
type Option func(*Server)

// New returns a sandbox seeded with the demo account.
func New(opts ...Option) *Server { return &Server{} }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

// Listen serves the sandbox on addr (e.g. "127.0.0.1:0") until ctx ends.
// It returns the base URL ("http://127.0.0.1:PORT").
func (s *Server) Listen(ctx context.Context, addr string) (string, error) { return "", nil }
