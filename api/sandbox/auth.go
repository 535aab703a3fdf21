package sandbox

import (
	"crypto/subtle"
	"net/http"
)

// authenticate returns a copy of the active key whose pair the request
// carries, or false.
func (s *Server) authenticate(r *http.Request) (keyRecord, bool) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return keyRecord{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authenticateLocked(user, pass)
}

// authenticateLocked is authenticate for a pair already read. Call with
// s.mu held.
func (s *Server) authenticateLocked(user, pass string) (keyRecord, bool) {
	var found *keyRecord
	for _, k := range s.keys {
		if k.APIKey == user {
			found = k
		}
	}
	want := "00000000000000000000000000000000" // compared anyway, so an unknown key takes as long
	if found != nil {
		want = found.Secret
	}
	match := subtle.ConstantTimeCompare([]byte(want), []byte(pass)) == 1
	if found == nil || !match || !found.IsActive {
		return keyRecord{}, false
	}
	return *found, true
}

// writeUnauthorized answers as Mailjet's REST API does for a wrong or
// inactive pair: 401, an empty text/html body and a Basic challenge.
func writeUnauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="Provide an apiKey and secretKey"`)
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusUnauthorized)
}
