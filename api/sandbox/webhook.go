package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
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

// eventTypes are the events a webhook can follow, with the number Mailjet
// also knows each by: the node SDK's Webhook.ts (EventTypeValue) filters
// with it, and Mailjet's error for a duplicate shows it ("7|false").
var eventTypes = map[string]int{
	"click": 1, "bounce": 2, "spam": 3, "blocked": 4, "unsub": 5, "open": 6, "sent": 7,
}

// eventTypeOf reads an event type given by name ("sent", any case) or by
// number ("7").
func eventTypeOf(v string) (string, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if _, ok := eventTypes[v]; ok {
		return v, true
	}
	if n, err := strconv.Atoi(v); err == nil {
		for name, num := range eventTypes {
			if num == n {
				return name, true
			}
		}
	}
	return "", false
}

// serveWebhooks answers /v3/REST/eventcallbackurl: each API key has its
// own webhooks. {ID} is the ID or the unique key "EventType|IsBackup"
// (the filtering guide's "Unique Key Filters": eventcallbackurl/
// $EventType|$isBackup).
func (s *Server) serveWebhooks(w http.ResponseWriter, r *http.Request, caller keyRecord, rest []string) {
	serveObjects(w, r, rest, ownedRoutes(s, caller, owned[*webhookRecord, webhookJSON]{
		items:  &s.webhooks,
		filter: webhookFilter,
		sorts: sortKeys[webhookJSON]{
			"id":        by(func(h webhookJSON) int64 { return h.ID }),
			"eventtype": by(func(h webhookJSON) string { return h.EventType }),
			"status":    by(func(h webhookJSON) string { return h.Status }),
			"url":       by(func(h webhookJSON) string { return h.URL }),
			"version":   by(func(h webhookJSON) int { return h.Version }),
		},
		create: func(w http.ResponseWriter, r *http.Request) { s.createWebhook(w, r, caller) },
		update: func(w http.ResponseWriter, r *http.Request, id int64) { s.updateWebhook(w, r, caller, id) },
		ref:    func(ref string) (int64, bool) { return s.webhookByKey(caller, ref) },
	}))
}

// webhookFilter reads the GET filters of the node SDK's Webhook.ts:
// Backup (also as IsBackup, the field's name), EventType (a name or its
// number), Status and Version.
func webhookFilter(q query) (func(webhookJSON) bool, error) {
	backupName := "Backup"
	if q.get(backupName) == "" {
		backupName = "IsBackup"
	}
	backup, err := q.boolean(backupName)
	if err != nil {
		return nil, err
	}
	eventType := q.get("EventType")
	if eventType != "" {
		var ok bool
		if eventType, ok = eventTypeOf(eventType); !ok {
			return nil, errParam("EventType")
		}
	}
	version, err := q.count("Version", 0)
	if err != nil {
		return nil, err
	}
	status := q.get("Status")
	return func(h webhookJSON) bool {
		return (backup == nil || h.IsBackup == *backup) &&
			(eventType == "" || h.EventType == eventType) &&
			(status == "" || strings.EqualFold(h.Status, status)) &&
			(version == 0 || h.Version == version)
	}, nil
}

// webhookBody is the POST and PUT body (node Webhook.ts; Version as in
// the recordings). A field left out is nil.
type webhookBody struct {
	URL       *string `json:"Url"`
	EventType *string
	IsBackup  *bool
	Status    *string
	Version   *int
}

// apply returns h with the fields b sets, or why one is invalid.
func (b webhookBody) apply(h webhookRecord) (webhookRecord, error) {
	if b.URL != nil {
		h.URL = strings.TrimSpace(*b.URL)
		if !isWebURL(h.URL) {
			return h, errors.New(`A valid http(s) URL is required for "Url"`)
		}
	}
	if b.EventType != nil {
		t, ok := eventTypeOf(*b.EventType)
		if !ok {
			return h, errors.New(`Invalid value for "EventType"`)
		}
		h.EventType = t
	}
	if b.IsBackup != nil {
		h.IsBackup = *b.IsBackup
	}
	if b.Status != nil {
		h.Status = strings.ToLower(strings.TrimSpace(*b.Status))
		if h.Status != "alive" && h.Status != "dead" {
			return h, errors.New(`Invalid value for "Status"`)
		}
	}
	if b.Version != nil {
		if *b.Version != 1 && *b.Version != 2 {
			return h, errors.New(`Invalid value for "Version"`)
		}
		h.Version = *b.Version
	}
	return h, nil
}

// duplicateWebhook is Mailjet's refusal of a second webhook with the same
// unique key, as a client logged it (Notifuse/notifuse#142, 2025): 400
// `MJ18 A EventCallbackURL resource with value "7|false" for
// EventType|Backup already exists.`
func duplicateWebhook(h webhookRecord) string {
	return fmt.Sprintf("MJ18 A EventCallbackURL resource with value %q for EventType|Backup already exists.",
		fmt.Sprintf("%d|%t", eventTypes[h.EventType], h.IsBackup))
}

// takenBy returns the caller's other webhook with h's unique key, or nil.
// Call with s.mu held.
func (s *Server) takenBy(h webhookRecord) *webhookRecord {
	for _, o := range s.webhooks {
		if o.ID != h.ID && o.APIKeyID == h.APIKeyID && o.EventType == h.EventType && o.IsBackup == h.IsBackup {
			return o
		}
	}
	return nil
}

// createWebhook answers POST /v3/REST/eventcallbackurl
// {"Url","EventType","IsBackup","Status","Version"}: Url is required; the
// event type defaults to open, the status to alive, the version to 1.
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, caller keyRecord) {
	var body webhookBody
	if err := decodeJSON(w, r, &body); err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	if body.URL == nil {
		body.URL = new(string) // refused by apply with the usual message
	}
	h, err := body.apply(webhookRecord{APIKeyID: caller.ID, EventType: "open", Status: "alive", Version: 1})
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.takenBy(h) != nil {
		writeMailjetError(w, http.StatusBadRequest, "", duplicateWebhook(h))
		return
	}
	if len(s.webhooks) >= maxObjects {
		writeMailjetError(w, http.StatusBadRequest, "", "Too many callback URLs")
		return
	}
	h.ID = s.newObjectID()
	s.webhooks = append(s.webhooks, &h)
	writeEnvelope(w, http.StatusCreated, []webhookJSON{h.toJSON()}, 1)
}

// updateWebhook answers PUT /v3/REST/eventcallbackurl/{ID}: like PATCH,
// only the fields sent change (node Webhook.ts: the PUT body is a partial
// POST body); 304 when nothing did. Moving it onto another webhook's
// unique key is refused as a POST would be.
func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request, caller keyRecord, id int64) {
	var body webhookBody
	if err := decodeJSON(w, r, &body); err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := findOwned(s.webhooks, caller.ID, id)
	if !ok {
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		return
	}
	next, err := body.apply(*h)
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	if s.takenBy(next) != nil {
		writeMailjetError(w, http.StatusBadRequest, "", duplicateWebhook(next))
		return
	}
	changed := next != *h
	*h = next
	writeUpdated(w, changed, h.toJSON())
}

// webhookByKey resolves "EventType|IsBackup" ("sent|false", "7|0") among
// the caller's webhooks.
func (s *Server) webhookByKey(caller keyRecord, ref string) (int64, bool) {
	name, flag, ok := strings.Cut(ref, "|")
	eventType, okType := eventTypeOf(name)
	backup, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(flag)))
	if !ok || !okType || err != nil {
		return 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.takenBy(webhookRecord{APIKeyID: caller.ID, EventType: eventType, IsBackup: backup}); h != nil {
		return h.ID, true
	}
	return 0, false
}

// isWebURL reports whether v is an absolute http(s) URL with a host.
func isWebURL(v string) bool {
	u, err := url.Parse(strings.TrimSpace(v))
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(v) <= 2048
}

func (x *webhookRecord) objectID() int64   { return x.ID }
func (x *webhookRecord) ownerKeyID() int64 { return x.APIKeyID }
