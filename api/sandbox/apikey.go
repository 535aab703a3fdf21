package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	timeFormat = "2006-01-02T15:04:05Z"
	maxKeys    = 5000 // bounds the sandbox's memory
)

// apiKeyJSON is an apikey entry as Mailjet's 2020 recording shows it
// (mailjet-gem Mailjet_Apikey/date_format_on_API_request), every field
// and SecretKey in clear included.
type apiKeyJSON struct {
	ACL             string
	APIKey          string
	CreatedAt       string
	ID              int64
	IsActive        bool
	IsMaster        bool
	Name            string
	QuarantineValue int
	RegionID        int
	Runlevel        string
	SecretKey       string
	Skipspamd       int
	TrackHost       string
	UserID          int64
}

func (s *Server) toJSON(k *keyRecord) apiKeyJSON {
	secret := k.Secret
	if s.secretsOnce {
		secret = ""
	}
	return apiKeyJSON{
		APIKey:    k.APIKey,
		CreatedAt: k.CreatedAt.UTC().Format(timeFormat),
		ID:        k.ID,
		IsActive:  k.IsActive,
		IsMaster:  k.IsMaster,
		Name:      k.Name,
		RegionID:  0, // as recorded
		Runlevel:  "Normal",
		SecretKey: secret,
		Skipspamd: 1, // as recorded
		TrackHost: "x8k2q.mjt.lu",
		UserID:    s.acct.userID,
	}
}

// listAPIKeys answers GET /v3/REST/apikey with the filters of the node
// SDK's Setting.ts: APIKey, IsActive, IsMaster, Name. A sub-account key
// sees only itself.
func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request, caller keyRecord) {
	s.mu.Lock()
	var all []apiKeyJSON
	for _, k := range s.keys {
		if caller.IsMaster || k.ID == caller.ID {
			all = append(all, s.toJSON(k))
		}
	}
	s.mu.Unlock()
	serveList(w, r, all, keyFilter, sortKeys[apiKeyJSON]{
		"id":        by(func(k apiKeyJSON) int64 { return k.ID }),
		"apikey":    by(func(k apiKeyJSON) string { return k.APIKey }),
		"createdat": by(func(k apiKeyJSON) string { return k.CreatedAt }), // the format sorts as text
		"name":      by(func(k apiKeyJSON) string { return k.Name }),
	})
}

// keyFilter builds the predicate of the list filters.
func keyFilter(q query) (func(apiKeyJSON) bool, error) {
	active, err := q.boolean("IsActive")
	if err != nil {
		return nil, err
	}
	master, err := q.boolean("IsMaster")
	if err != nil {
		return nil, err
	}
	apiKey, name := q.get("APIKey"), q.get("Name")
	return func(k apiKeyJSON) bool {
		return (active == nil || k.IsActive == *active) &&
			(master == nil || k.IsMaster == *master) &&
			(apiKey == "" || k.APIKey == apiKey) &&
			(name == "" || k.Name == name)
	}, nil
}

// findKey resolves {ID} (numeric ID or the public key) among the keys the
// caller may see. Call with s.mu held.
func (s *Server) findKey(caller keyRecord, ref string) *keyRecord {
	for _, k := range s.keys {
		if strconv.FormatInt(k.ID, 10) == ref || k.APIKey == ref {
			if caller.IsMaster || k.ID == caller.ID {
				return k
			}
			return nil
		}
	}
	return nil
}

func (s *Server) getAPIKey(w http.ResponseWriter, caller keyRecord, ref string) {
	s.mu.Lock()
	k := s.findKey(caller, ref)
	var out apiKeyJSON
	if k != nil {
		out = s.toJSON(k)
	}
	s.mu.Unlock()
	if k == nil {
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		return
	}
	writeEnvelope(w, http.StatusOK, []apiKeyJSON{out}, 1)
}

// createAPIKey answers POST /v3/REST/apikey {"Name":...}: a new
// sub-account key whose pair is random (32 lowercase hex each).
func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request, caller keyRecord) {
	if !caller.IsMaster {
		writeMailjetError(w, http.StatusForbidden, "", "Access denied: only the master key manages API keys")
		return
	}
	var body struct {
		Name     string
		ACL      string
		IsActive *bool
	}
	if err := decodeJSON(w, r, &body); err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	name := strings.TrimSpace(body.Name)
	if name == "" {
		writeMailjetError(w, http.StatusBadRequest, "", `A non-empty value is required for "Name"`)
		return
	}
	k := &keyRecord{
		APIKey:    randomHex(16),
		Secret:    randomHex(16),
		Name:      name,
		IsActive:  body.IsActive == nil || *body.IsActive,
		CreatedAt: s.now().Truncate(time.Second),
	}

	s.mu.Lock()
	if len(s.keys) >= maxKeys {
		s.mu.Unlock()
		writeMailjetError(w, http.StatusBadRequest, "", "MaxAllowedAPIKeys reached")
		return
	}
	k.ID = s.nextID
	s.nextID++
	s.keys = append(s.keys, k)
	out := s.toJSON(k)
	out.SecretKey = k.Secret // the one answer that always shows it
	s.mu.Unlock()

	writeEnvelope(w, http.StatusCreated, []apiKeyJSON{out}, 1)
}

// updateAPIKey answers PUT /v3/REST/apikey/{ID}. As on Mailjet, PUT
// behaves like PATCH: only the fields sent change; 304 when nothing did.
func (s *Server) updateAPIKey(w http.ResponseWriter, r *http.Request, caller keyRecord, ref string) {
	if !caller.IsMaster {
		writeMailjetError(w, http.StatusForbidden, "", "Access denied: only the master key manages API keys")
		return
	}
	var body struct {
		Name     *string
		IsActive *bool
	}
	if err := decodeJSON(w, r, &body); err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	if body.Name != nil && strings.TrimSpace(*body.Name) == "" {
		writeMailjetError(w, http.StatusBadRequest, "", `A non-empty value is required for "Name"`)
		return
	}

	s.mu.Lock()
	k := s.findKey(caller, ref)
	if k == nil {
		s.mu.Unlock()
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		return
	}
	if k.IsMaster && body.IsActive != nil && !*body.IsActive {
		s.mu.Unlock()
		writeMailjetError(w, http.StatusBadRequest, "", "The master API key cannot be deactivated")
		return
	}
	changed := false
	if body.IsActive != nil && k.IsActive != *body.IsActive {
		k.IsActive = *body.IsActive
		changed = true
	}
	if body.Name != nil && k.Name != strings.TrimSpace(*body.Name) {
		k.Name = strings.TrimSpace(*body.Name)
		changed = true
	}
	out := s.toJSON(k)
	s.mu.Unlock()
	writeUpdated(w, changed, out)
}
