package sandbox

import (
	"net/http"
	"net/mail"
	"strings"
)

// parseRouteJSON is a parseroute entry on the wire.
type parseRouteJSON struct {
	APIKeyID int64
	Email    string
	ID       int64
	URL      string `json:"Url"`
}

func (p *parseRouteRecord) toJSON() parseRouteJSON {
	return parseRouteJSON{APIKeyID: p.APIKeyID, Email: p.Email, ID: p.ID, URL: p.URL}
}

// serveParseRoutes answers /v3/REST/parseroute: each API key has its own
// routes.
func (s *Server) serveParseRoutes(w http.ResponseWriter, r *http.Request, caller keyRecord, rest []string) {
	serveObjects(w, r, rest, ownedRoutes(s, &s.parseRoutes, caller,
		func(w http.ResponseWriter, r *http.Request) { s.createParseRoute(w, r, caller) }))
}

// createParseRoute answers POST /v3/REST/parseroute {"Url","Email"}.
// Without an Email, Mailjet makes an address on its parse domain.
func (s *Server) createParseRoute(w http.ResponseWriter, r *http.Request, caller keyRecord) {
	var body struct {
		URL   string `json:"Url"`
		Email string
	}
	if err := decodeJSON(w, r, &body); err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	if !isWebURL(body.URL) {
		writeMailjetError(w, http.StatusBadRequest, "", `A valid http(s) URL is required for "Url"`)
		return
	}
	email := strings.TrimSpace(body.Email)
	if email == "" {
		email = randomHex(5) + "@parse-in1.mailjet.com"
	} else if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		writeMailjetError(w, http.StatusBadRequest, "", `Invalid value for "Email"`)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.parseRoutes) >= maxObjects {
		writeMailjetError(w, http.StatusBadRequest, "", "Too many parse routes")
		return
	}
	p := &parseRouteRecord{ID: s.newObjectID(), APIKeyID: caller.ID, Email: email, URL: body.URL}
	s.parseRoutes = append(s.parseRoutes, p)
	writeEnvelope(w, http.StatusCreated, []parseRouteJSON{p.toJSON()}, 1)
}

func (x *parseRouteRecord) objectID() int64   { return x.ID }
func (x *parseRouteRecord) ownerKeyID() int64 { return x.APIKeyID }
