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
	serveObjects(w, r, rest, objectRoutes{
		list: func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			var all []parseRouteJSON
			for _, p := range s.parseRoutes {
				if p.APIKeyID == caller.ID {
					all = append(all, p.toJSON())
				}
			}
			s.mu.Unlock()
			if p, ok := page(w, r, all); ok {
				writeEnvelope(w, http.StatusOK, p, len(all))
			}
		},
		create: func(w http.ResponseWriter, r *http.Request) { s.createParseRoute(w, r, caller) },
		get: func(w http.ResponseWriter, id int64) {
			s.mu.Lock()
			p := s.parseRouteByID(caller, id)
			var out parseRouteJSON
			if p != nil {
				out = p.toJSON()
			}
			s.mu.Unlock()
			if p == nil {
				writeMailjetError(w, http.StatusNotFound, "", "Object not found")
				return
			}
			writeEnvelope(w, http.StatusOK, []parseRouteJSON{out}, 1)
		},
		remove: func(w http.ResponseWriter, id int64) {
			s.mu.Lock()
			defer s.mu.Unlock()
			for i, p := range s.parseRoutes {
				if p.ID == id && p.APIKeyID == caller.ID {
					s.parseRoutes = append(s.parseRoutes[:i], s.parseRoutes[i+1:]...)
					deleted(w)
					return
				}
			}
			writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		},
	})
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
