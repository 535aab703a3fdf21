package sandbox

import (
	"errors"
	"net/http"
	"net/mail"
	"net/url"
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

// parseDomain is where Mailjet hands out parse addresses. It "provides
// only one Email address (on the subdomain @parse-in1.mailjet.com) per
// API key" (apidoc _parse-api.md); other addresses are the customer's own
// domains.
const parseDomain = "@parse-in1.mailjet.com"

// serveParseRoutes answers /v3/REST/parseroute: each API key has its own
// routes. The node SDK's Parse.ts names no GET filter but pagination.
func (s *Server) serveParseRoutes(w http.ResponseWriter, r *http.Request, caller keyRecord, rest []string) {
	serveObjects(w, r, rest, ownedRoutes(s, caller, owned[*parseRouteRecord, parseRouteJSON]{
		items: &s.parseRoutes,
		sorts: sortKeys[parseRouteJSON]{
			"id":    by(func(p parseRouteJSON) int64 { return p.ID }),
			"email": by(func(p parseRouteJSON) string { return p.Email }),
			"url":   by(func(p parseRouteJSON) string { return p.URL }),
		},
		create: func(w http.ResponseWriter, r *http.Request) { s.createParseRoute(w, r, caller) },
		update: func(w http.ResponseWriter, r *http.Request, id int64) { s.updateParseRoute(w, r, caller, id) },
	}))
}

// parseRouteBody is the POST and PUT body (node Parse.ts). A field left
// out is nil.
type parseRouteBody struct {
	URL   *string `json:"Url"`
	Email *string
}

// apply returns p with the fields b sets, or why one is invalid. The URL
// "cannot be the root" of a site (apidoc _parse-api.md).
func (b parseRouteBody) apply(p parseRouteRecord) (parseRouteRecord, error) {
	if b.URL != nil {
		p.URL = strings.TrimSpace(*b.URL)
		if !isWebURL(p.URL) {
			return p, errors.New(`A valid http(s) URL is required for "Url"`)
		}
		if u, _ := url.Parse(p.URL); u.Path == "" || u.Path == "/" {
			return p, errors.New(`The "Url" cannot be the root of a site`)
		}
	}
	if b.Email != nil {
		p.Email = strings.TrimSpace(*b.Email)
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
			return p, errors.New(`Invalid value for "Email"`)
		}
	}
	return p, nil
}

// secondParseAddress reports whether p would give its key a second
// address on Mailjet's parse domain. Call with s.mu held.
func (s *Server) secondParseAddress(p parseRouteRecord) bool {
	if !strings.HasSuffix(strings.ToLower(p.Email), parseDomain) {
		return false
	}
	for _, o := range s.parseRoutes {
		if o.ID != p.ID && o.APIKeyID == p.APIKeyID && strings.HasSuffix(strings.ToLower(o.Email), parseDomain) {
			return true
		}
	}
	return false
}

// errSecondParseAddress refuses a second address on the parse domain. No
// source gives Mailjet's answer; 400 as for the other refusals.
const errSecondParseAddress = "Mailjet provides only one Email address on parse-in1.mailjet.com" +
	` per API key; give your own address in "Email"`

// createParseRoute answers POST /v3/REST/parseroute {"Url","Email"}.
// Without an Email, Mailjet makes an address on its parse domain.
func (s *Server) createParseRoute(w http.ResponseWriter, r *http.Request, caller keyRecord) {
	var body parseRouteBody
	if err := decodeJSON(w, r, &body); err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	if body.URL == nil {
		body.URL = new(string) // refused by apply with the usual message
	}
	if body.Email == nil {
		generated := randomHex(5) + parseDomain
		body.Email = &generated
	}
	p, err := body.apply(parseRouteRecord{APIKeyID: caller.ID})
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secondParseAddress(p) {
		writeMailjetError(w, http.StatusBadRequest, "", errSecondParseAddress)
		return
	}
	if len(s.parseRoutes) >= maxObjects {
		writeMailjetError(w, http.StatusBadRequest, "", "Too many parse routes")
		return
	}
	p.ID = s.newObjectID()
	s.parseRoutes = append(s.parseRoutes, &p)
	writeEnvelope(w, http.StatusCreated, []parseRouteJSON{p.toJSON()}, 1)
}

// updateParseRoute answers PUT /v3/REST/parseroute/{ID} (node Parse.ts:
// the PUT body is a partial POST body): like PATCH, only the fields sent
// change; 304 when nothing did.
func (s *Server) updateParseRoute(w http.ResponseWriter, r *http.Request, caller keyRecord, id int64) {
	var body parseRouteBody
	if err := decodeJSON(w, r, &body); err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := findOwned(s.parseRoutes, caller.ID, id)
	if !ok {
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		return
	}
	next, err := body.apply(*p)
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	if s.secondParseAddress(next) {
		writeMailjetError(w, http.StatusBadRequest, "", errSecondParseAddress)
		return
	}
	changed := next != *p
	*p = next
	writeUpdated(w, changed, p.toJSON())
}

func (x *parseRouteRecord) objectID() int64   { return x.ID }
func (x *parseRouteRecord) ownerKeyID() int64 { return x.APIKeyID }
