package sandbox

import (
	"net/http"
	"strings"

	"github.com/mjrecover/mjrecover/api/recovery"
)

// fault makes the next matching requests fail.
type fault struct {
	method     string // "" matches any
	pathPrefix string
	status     int
	left       int
}

// maxSeenPaths bounds the request counter's memory.
const maxSeenPaths = 10_000

// FailNext makes the next times requests whose method is method ("" for
// any) and whose path starts with pathPrefix answer status instead, in the
// shape of the API they address: Mailjet's error body, the recovery API's,
// or text for /range; a 401 looks like a real one; a 429 carries
// "Retry-After: 1". Faults apply in the order they were added.
func (s *Server) FailNext(method, pathPrefix string, status, times int) {
	if times <= 0 || status < 100 || status > 599 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, fault{method: strings.ToUpper(method), pathPrefix: pathPrefix, status: status, left: times})
}

// ClearFaults drops every fault not used up yet: the service recovers.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault consumes the first fault matching r.
func (s *Server) takeFault(r *http.Request) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		f := &s.faults[i]
		if (f.method == "" || f.method == r.Method) && strings.HasPrefix(r.URL.Path, f.pathPrefix) {
			status := f.status
			if f.left--; f.left == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return status, true
		}
	}
	return 0, false
}

func writeFault(w http.ResponseWriter, r *http.Request, status int) {
	if status == http.StatusUnauthorized {
		writeUnauthorized(w)
		return
	}
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
	}
	msg := http.StatusText(status)
	if msg == "" {
		msg = "Injected failure"
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/range/"):
		http.Error(w, msg, status)
	case strings.HasPrefix(r.URL.Path, "/recovery/"):
		code := recovery.CodeServerError
		if status == http.StatusTooManyRequests {
			code = recovery.CodeRateLimited
		}
		writeRecoveryError(w, status, code, msg)
	case status >= 500:
		// Mailjet's 5xx answers carry an ErrorIdentifier (v3.1 shape).
		writeJSON(w, status, struct {
			ErrorIdentifier string
			ErrorInfo       string
			ErrorMessage    string
			StatusCode      int
		}{randomHex(16), "", msg, status})
	default:
		writeMailjetError(w, status, "", msg)
	}
}

// record counts r for Requests.
func (s *Server) record(r *http.Request) {
	key := r.Method + " " + r.URL.Path
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.requests[key]; seen || len(s.requests) < maxSeenPaths {
		s.requests[key]++
	}
}
