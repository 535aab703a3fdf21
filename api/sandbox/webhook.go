package sandbox

import (
	"net/http"
	"net/url"
	"strings"
)

// webhookJSON is an eventcallbackurl entry on the wire.
type webhookJSON struct {
	APIKeyID  int64
	EventType string
	ID        int64
	IsBackup  bool
	Status    string
	URL       string `json:"Url"`
	Version   int
}

func (w *webhookRecord) toJSON() webhookJSON {
	return webhookJSON{APIKeyID: w.APIKeyID, EventType: w.EventType, ID: w.ID, IsBackup: w.IsBackup,
		Status: w.Status, URL: w.URL, Version: w.Version}
}

// eventTypes are the events a webhook can follow.
var eventTypes = map[string]bool{
	"sent": true, "open": true, "click": true, "bounce": true, "blocked": true, "spam": true, "unsub": true,
}

// serveWebhooks answers /v3/REST/eventcallbackurl: each API key has its
// own webhooks.
func (s *Server) serveWebhooks(w http.ResponseWriter, r *http.Request, caller keyRecord, rest []string) {
	serveObjects(w, r, rest, ownedRoutes(s, &s.webhooks, caller,
		func(w http.ResponseWriter, r *http.Request) { s.createWebhook(w, r, caller) }))
}

// createWebhook answers POST /v3/REST/eventcallbackurl
// {"Url","EventType","IsBackup","Status","Version"}: one webhook per event
// type (and backup flag) per key.
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, caller keyRecord) {
	var body struct {
		URL       string `json:"Url"`
		EventType string
		IsBackup  bool
		Status    string
		Version   int
	}
	if err := decodeJSON(w, r, &body); err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	if !isWebURL(body.URL) {
		writeMailjetError(w, http.StatusBadRequest, "", `A valid http(s) URL is required for "Url"`)
		return
	}
	if body.EventType == "" {
		body.EventType = "open"
	}
	if !eventTypes[body.EventType] {
		writeMailjetError(w, http.StatusBadRequest, "", `Invalid value for "EventType"`)
		return
	}
	if body.Status == "" {
		body.Status = "alive"
	}
	if body.Status != "alive" && body.Status != "dead" {
		writeMailjetError(w, http.StatusBadRequest, "", `Invalid value for "Status"`)
		return
	}
	if body.Version != 2 {
		body.Version = 1
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.webhooks {
		if h.APIKeyID == caller.ID && h.EventType == body.EventType && h.IsBackup == body.IsBackup {
			writeMailjetError(w, http.StatusBadRequest, "", "A callback URL already exists for this event type")
			return
		}
	}
	if len(s.webhooks) >= maxObjects {
		writeMailjetError(w, http.StatusBadRequest, "", "Too many callback URLs")
		return
	}
	h := &webhookRecord{ID: s.newObjectID(), APIKeyID: caller.ID, EventType: body.EventType, URL: body.URL,
		Status: body.Status, IsBackup: body.IsBackup, Version: body.Version}
	s.webhooks = append(s.webhooks, h)
	writeEnvelope(w, http.StatusCreated, []webhookJSON{h.toJSON()}, 1)
}

// isWebURL reports whether v is an absolute http(s) URL with a host.
func isWebURL(v string) bool {
	u, err := url.Parse(strings.TrimSpace(v))
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(v) <= 2048
}

func (x *webhookRecord) objectID() int64   { return x.ID }
func (x *webhookRecord) ownerKeyID() int64 { return x.APIKeyID }
