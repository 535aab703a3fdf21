package sandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// serveREST answers /v3/REST/{resource}[/{id}]. Like Mailjet, it checks
// the credentials before anything else.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	caller, ok := s.authenticate(r)
	if !ok {
		writeUnauthorized(w)
		return
	}
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/v3/REST/"), "/"), "/")
	resource, rest := strings.ToLower(parts[0]), parts[1:]
	switch resource {
	case "apikey":
		s.serveAPIKey(w, r, caller, rest)
	case "user":
		s.serveUser(w, r, rest)
	case "eventcallbackurl":
		s.serveWebhooks(w, r, caller, rest)
	case "parseroute":
		s.serveParseRoutes(w, r, caller, rest)
	case "sender":
		s.serveSenders(w, r, rest)
	case "apikeytotals":
		s.serveKeyTotals(w, r, caller, rest)
	case "statcounters":
		s.serveStatCounters(w, r, caller, rest)
	default:
		if len(resource) > 64 {
			resource = resource[:64]
		}
		// Mailjet's answer for a resource it does not know.
		writeMailjetError(w, http.StatusInternalServerError, "EFPWebError",
			fmt.Sprintf("Could not determine HTTP module for request %q", resource))
	}
}

func (s *Server) serveAPIKey(w http.ResponseWriter, r *http.Request, caller keyRecord, rest []string) {
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		s.listAPIKeys(w, r, caller)
	case len(rest) == 0 && r.Method == http.MethodPost:
		s.createAPIKey(w, r, caller)
	case len(rest) == 0:
		methodNotAllowed(w, []string{http.MethodGet, http.MethodPost})
	case len(rest) == 1 && r.Method == http.MethodGet:
		s.getAPIKey(w, caller, rest[0])
	case len(rest) == 1 && r.Method == http.MethodPut:
		s.updateAPIKey(w, r, caller, rest[0])
	case len(rest) == 1:
		methodNotAllowed(w, []string{http.MethodGet, http.MethodPut})
	default:
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
	}
}

// userJSON is the user resource (abridged).
type userJSON struct {
	ID        int64
	Email     string
	Username  string
	CreatedAt string
	Locale    string
	Timezone  string
}

func (s *Server) serveUser(w http.ResponseWriter, r *http.Request, rest []string) {
	if r.Method != http.MethodGet {
		methodNotAllowed(w, []string{http.MethodGet})
		return
	}
	s.mu.Lock()
	u := userJSON{
		ID:        s.acct.userID,
		Email:     s.acct.email,
		Username:  s.acct.email,
		CreatedAt: s.acct.createdAt.Format(timeFormat),
		Locale:    "en_US",
		Timezone:  "Europe/Paris",
	}
	s.mu.Unlock()
	switch {
	case len(rest) == 0:
		serveList(w, r, []userJSON{u}, nil, sortKeys[userJSON]{"id": by(func(u userJSON) int64 { return u.ID })})
	case len(rest) == 1 && (rest[0] == fmt.Sprint(u.ID) || strings.EqualFold(rest[0], u.Email)):
		writeEnvelope(w, http.StatusOK, []userJSON{u}, 1)
	default:
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
	}
}
