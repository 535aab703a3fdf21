package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mjrecover/mjrecover/api/recovery"
)

// The recovery API's rules on the server side.
const (
	minPassword       = 15
	maxPassword       = 128
	maxWrongCodes     = 5 // wrong TOTP codes in a row before a lockout
	firstLockout      = 30 * time.Second
	maxLockout        = 15 * time.Minute
	recoveryCodeCount = 10
)

// recoveryRoute is one route of the recovery API.
type recoveryRoute struct {
	method string
	handle func(s *Server, w http.ResponseWriter, r *http.Request)
}

func recoveryRouteFor(path string) (recoveryRoute, bool) {
	switch path {
	case recovery.PathStatus:
		return recoveryRoute{http.MethodGet, (*Server).recoveryStatus}, true
	case recovery.PathMasterSecret:
		return recoveryRoute{http.MethodPost, (*Server).resetMasterSecret}, true
	case recovery.PathMasterSecretPending:
		return recoveryRoute{http.MethodPost, (*Server).prepareMasterSecret}, true
	case recovery.PathPassword:
		return recoveryRoute{http.MethodPost, (*Server).changePassword}, true
	case recovery.PathPasswordRule:
		return recoveryRoute{http.MethodGet, (*Server).passwordRule}, true
	case recovery.PathTOTP:
		return recoveryRoute{http.MethodPost, (*Server).enrollTOTP}, true
	case recovery.PathTOTPConfirm:
		return recoveryRoute{http.MethodPost, (*Server).confirmTOTP}, true
	case recovery.PathRecoveryCodes:
		return recoveryRoute{http.MethodPost, (*Server).newRecoveryCodes}, true
	case recovery.PathSupport:
		return recoveryRoute{http.MethodPost, (*Server).submitReport}, true
	}
	return recoveryRoute{}, false
}

// serveRecovery answers /recovery/v1/…: master pair only.
func (s *Server) serveRecovery(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == recovery.PathMasterSecretActivate {
		// The one route a pending secret authenticates: it checks the
		// pair itself (master.go).
		s.activateMasterSecret(w, r)
		return
	}
	caller, ok := s.authenticate(r)
	if !ok {
		writeUnauthorized(w)
		return
	}
	route, ok := recoveryRouteFor(r.URL.Path)
	switch {
	case !ok:
		writeRecoveryError(w, http.StatusNotFound, recovery.CodeNotFound, "No such route")
	case !caller.IsMaster:
		writeRecoveryError(w, http.StatusForbidden, recovery.CodeMasterRequired, "The recovery API needs the master key")
	case r.Method != route.method:
		setAllow(w, route.method)
		writeRecoveryError(w, http.StatusMethodNotAllowed, recovery.CodeMethodNotAllowed, "Method not allowed")
	default:
		route.handle(s, w, r)
	}
}

// statusJSON is GET /recovery/v1/status.
type statusJSON struct {
	Email            string
	Disabled         bool
	MasterRotated    bool
	MasterRotatedAt  string `json:",omitempty"` // RFC 3339; omitted when never
	MasterPending    bool
	PasswordChanged  bool
	TwoFactorEnabled bool
	RecoveryCodes    int
	Ticket           string
}

func (s *Server) recoveryStatus(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	st := s.statusLocked()
	s.mu.Unlock()
	body := statusJSON{
		Email:            st.Email,
		Disabled:         st.Disabled,
		MasterRotated:    st.MasterRotated,
		MasterPending:    st.MasterPending,
		PasswordChanged:  st.PasswordChanged,
		TwoFactorEnabled: st.TwoFactorEnabled,
		RecoveryCodes:    st.RecoveryCodes,
		Ticket:           st.Ticket,
	}
	if !st.MasterRotatedAt.IsZero() {
		body.MasterRotatedAt = st.MasterRotatedAt.Format(time.RFC3339)
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) statusLocked() recovery.Status {
	return recovery.Status{
		Email:            s.acct.email,
		Disabled:         s.acct.disabled,
		MasterRotated:    s.acct.masterRotated,
		MasterRotatedAt:  s.acct.masterRotatedAt,
		MasterPending:    s.pendingMasterLocked(s.now()) != "",
		PasswordChanged:  s.acct.passwordChanged,
		TwoFactorEnabled: s.acct.totp.active != "",
		RecoveryCodes:    len(s.acct.codeHashes),
		Ticket:           s.acct.ticket,
	}
}

// The sandbox's password rule is Mailjet's (help centre, "Securing your
// Mailjet account", article 17997435937563: "a minimum of 8 characters,
// 1 number, and 1 special character"), with NIST's 15 characters as the
// minimum length the recovery API asks for.
const (
	minPasswordDigits   = 1
	minPasswordSpecials = 1
)

// passwordRule announces the rule changePassword enforces.
func (s *Server) passwordRule(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"Service": "Mailjet", "MinLength": minPassword,
		"MinDigits": minPasswordDigits, "MinSpecials": minPasswordSpecials})
}

// changePassword checks the announced rule; the password is neither
// stored nor logged: the sandbox keeps just the fact that it changed.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	var body struct{ Password *string }
	if err := decodeJSON(w, r, &body); err != nil || body.Password == nil {
		writeRecoveryError(w, http.StatusBadRequest, recovery.CodeBadRequest, `Send {"Password":"..."}`)
		return
	}
	switch n := utf8.RuneCountInString(*body.Password); {
	case n < minPassword:
		writeRecoveryError(w, http.StatusUnprocessableEntity, recovery.CodePasswordRefused,
			"The password must have at least "+strconv.Itoa(minPassword)+" characters")
		return
	case n > maxPassword:
		writeRecoveryError(w, http.StatusUnprocessableEntity, recovery.CodePasswordRefused,
			"The password must have at most "+strconv.Itoa(maxPassword)+" characters")
		return
	}
	var digits, specials int
	for _, c := range *body.Password {
		switch {
		case unicode.IsDigit(c):
			digits++
		case unicode.IsPunct(c) || unicode.IsSymbol(c):
			specials++
		}
	}
	if digits < minPasswordDigits || specials < minPasswordSpecials {
		writeRecoveryError(w, http.StatusUnprocessableEntity, recovery.CodePasswordRefused,
			"The password must have at least 1 number and 1 special character")
		return
	}
	s.mu.Lock()
	s.acct.passwordChanged = true
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// enrollTOTP stores a pending seed, replacing any pending one.
func (s *Server) enrollTOTP(w http.ResponseWriter, r *http.Request) {
	var body struct{ Secret string }
	if err := decodeJSON(w, r, &body); err != nil {
		writeRecoveryError(w, http.StatusBadRequest, recovery.CodeBadRequest, `Send {"Secret":"BASE32"}`)
		return
	}
	if recovery.ValidateSeed(body.Secret) != nil {
		writeRecoveryError(w, http.StatusBadRequest, recovery.CodeBadSeed, "The key must be base32 of at least 128 bits")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.acct.totp.active != "" {
		writeRecoveryError(w, http.StatusConflict, recovery.CodeTwoFactorEnabled, "Two-factor authentication is already on")
		return
	}
	s.acct.totp.pending = recovery.NormalizeSeed(body.Secret)
	w.WriteHeader(http.StatusCreated)
}

// confirmTOTP checks a code against the pending seed (which then becomes
// active) or, once two-factor is on, against the active seed. Replays are
// refused, and wrong codes are rate-limited.
func (s *Server) confirmTOTP(w http.ResponseWriter, r *http.Request) {
	var body struct{ Code string }
	if err := decodeJSON(w, r, &body); err != nil {
		writeRecoveryError(w, http.StatusBadRequest, recovery.CodeBadRequest, `Send {"Code":"123456"}`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	t := &s.acct.totp
	if wait := t.lockedUntil.Sub(now); wait > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64((wait+time.Second-1)/time.Second), 10))
		writeRecoveryError(w, http.StatusTooManyRequests, recovery.CodeTooManyTries, "Too many wrong codes; wait before trying again")
		return
	}
	seed, lastStep := t.pending, int64(0)
	if seed == "" {
		seed, lastStep = t.active, t.lastStep
	}
	if seed == "" {
		writeRecoveryError(w, http.StatusConflict, recovery.CodeNoPendingTOTP, "Enrol an authenticator key first")
		return
	}
	step, err := recovery.MatchTOTP(seed, body.Code, now, lastStep)
	switch {
	case err == nil:
		if t.pending != "" {
			t.active, t.pending = t.pending, ""
		}
		t.lastStep, t.wrongTries, t.lockouts = step, 0, 0
		writeJSON(w, http.StatusOK, struct{ TwoFactorEnabled bool }{true})
	case errors.Is(err, recovery.ErrMalformedCode):
		// Not counted: a malformed code guesses nothing.
		writeRecoveryError(w, http.StatusBadRequest, recovery.CodeMalformedCode, "A code is 6 digits")
	case errors.Is(err, recovery.ErrCodeUsed):
		writeRecoveryError(w, http.StatusConflict, recovery.CodeCodeUsed, "That code was already used; wait for the next one")
	case errors.Is(err, recovery.ErrWrongCode):
		t.wrongTries++
		if t.wrongTries >= maxWrongCodes {
			t.lockedUntil = now.Add(lockoutAfter(t.lockouts))
			t.lockouts++
			t.wrongTries = 0
		}
		writeRecoveryError(w, http.StatusUnprocessableEntity, recovery.CodeWrongCode, "That code is not the current one")
	default:
		writeRecoveryError(w, http.StatusInternalServerError, recovery.CodeServerError, "The stored key is unusable")
	}
}

// lockoutAfter is the wait after n earlier lockouts: 30 s, doubling, at
// most 15 min.
func lockoutAfter(n int) time.Duration {
	d := firstLockout
	for i := 0; i < n && d < maxLockout; i++ {
		d *= 2
	}
	return min(d, maxLockout)
}

// newRecoveryCodes replaces the recovery codes; only their SHA-256 hashes
// are kept.
func (s *Server) newRecoveryCodes(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.acct.totp.active == "" {
		writeRecoveryError(w, http.StatusConflict, recovery.CodeTwoFactorOff, "Turn two-factor authentication on first")
		return
	}
	codes := make([]string, recoveryCodeCount)
	hashes := make([]string, recoveryCodeCount)
	for i := range codes {
		codes[i] = randomRecoveryCode()
		sum := sha256.Sum256([]byte(codes[i]))
		hashes[i] = hex.EncodeToString(sum[:])
	}
	s.acct.codeHashes = hashes
	writeJSON(w, http.StatusOK, struct{ Codes []string }{codes})
}

// submitReport keeps the report and opens a ticket. A report holding a
// live, pending or retired master secret, a key's secret or a TOTP seed
// in clear is refused. When
// every step is done, the sandbox plays support and re-enables the account.
func (s *Server) submitReport(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		writeRecoveryError(w, http.StatusBadRequest, recovery.CodeBadRequest, err.Error())
		return
	}
	trimmed := bytes.TrimSpace(body)
	if !json.Valid(trimmed) || !bytes.HasPrefix(trimmed, []byte("{")) {
		writeRecoveryError(w, http.StatusBadRequest, recovery.CodeBadRequest, "The report must be a JSON object")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holdsSecretLocked(trimmed) {
		writeRecoveryError(w, http.StatusUnprocessableEntity, recovery.CodeReportHasSecret,
			"The report contains a secret in clear; mask it and send again")
		return
	}
	s.report = bytes.Clone(trimmed)
	s.acct.ticket = randomTicket()
	if s.acct.masterRotated && s.acct.passwordChanged && s.acct.totp.active != "" {
		s.acct.disabled = false
	}
	writeJSON(w, http.StatusCreated, struct{ Ticket string }{s.acct.ticket})
}

// holdsSecretLocked reports whether body contains any secret the sandbox
// knows in clear. Call with s.mu held.
func (s *Server) holdsSecretLocked(body []byte) bool {
	secrets := append([]string{s.acct.totp.pending, s.acct.totp.active, s.acct.pendingMaster.secret}, s.acct.retiredSecrets...)
	for _, k := range s.keys {
		secrets = append(secrets, k.Secret)
	}
	lower := bytes.ToLower(body) // a secret is still one in another case
	for _, sec := range secrets {
		if len(sec) >= 8 && bytes.Contains(lower, bytes.ToLower([]byte(sec))) {
			return true
		}
	}
	return false
}
