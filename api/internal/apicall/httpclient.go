package apicall

import (
	"net/http"
	"time"
)

// NewHTTPClient returns an HTTP client with timeout that does not follow
// redirects: an API answering 3xx is misconfigured, and following it could
// carry the credentials elsewhere or turn a POST into a GET.
func NewHTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
