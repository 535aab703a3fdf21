package sandbox

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	timeFormat   = "2006-01-02T15:04:05Z"
	defaultLimit = 10
	maxLimit     = 1000
	maxKeys      = 5000 // bounds the sandbox's memory
)

// apiKeyJSON is an apikey entry as Mailjet's 2020 recording shows it,
// SecretKey in clear included.
type apiKeyJSON struct {
	ACL             string
	APIKey          string
	CreatedAt       string
	ID              int64
	IsActive        bool
	IsMaster        bool
	Name            string
	QuarantineValue int
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
		Runlevel:  "Normal",
		SecretKey: secret,
		TrackHost: "x8k2q.mjt.lu",
		UserID:    s.acct.userID,
	}
}

// listAPIKeys answers GET /v3/REST/apikey with the filters IsActive,
// IsMaster, APIKey, Name and the pagination Limit and Offset. A
// sub-account key sees only itself.
func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request, caller keyRecord) {
	q := r.URL.Query()
	match, err := keyFilter(q)
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	limit, err := intParam(q, "Limit", defaultLimit)
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	if limit == 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	offset, err := intParam(q, "Offset", 0)
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}

	s.mu.Lock()
	var all []apiKeyJSON
	for _, k := range s.keys {
		if (caller.IsMaster || k.ID == caller.ID) && match(k) {
			all = append(all, s.toJSON(k))
		}
	}
	s.mu.Unlock()

	page := all[min(offset, len(all)):]
	page = page[:min(limit, len(page))]
	writeEnvelope(w, http.StatusOK, page, len(all))
}

// keyFilter builds the predicate of the list filters.
func keyFilter(q url.Values) (func(*keyRecord) bool, error) {
	active, err := boolParam(q, "IsActive")
	if err != nil {
		return nil, err
	}
	master, err := boolParam(q, "IsMaster")
	if err != nil {
		return nil, err
	}
	apiKey, name := q.Get("APIKey"), q.Get("Name")
	return func(k *keyRecord) bool {
		return (active == nil || k.IsActive == *active) &&
			(master == nil || k.IsMaster == *master) &&
			(apiKey == "" || k.APIKey == apiKey) &&
			(name == "" || k.Name == name)
	}, nil
}

func boolParam(q url.Values, name string) (*bool, error) {
	v := q.Get(name)
	if v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(strings.ToLower(v))
	if err != nil {
		return nil, errParam(name)
	}
	return &b, nil
}

func intParam(q url.Values, name string, def int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errParam(name)
	}
	return n, nil
}

type errParam string

func (e errParam) Error() string { return "Invalid value for filter " + string(e) }

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

	if !changed {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeEnvelope(w, http.StatusOK, []apiKeyJSON{out}, 1)
}
