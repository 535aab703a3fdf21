package sandbox

import (
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/mjrecover/mjrecover/api/recovery"
)

// How long the two-phase master-secret reset keeps its state.
const (
	pendingMasterTTL = time.Hour      // a pending secret can be activated for this long
	activationMemory = 24 * time.Hour // a repeated activation is recognised for this long
)

// resetMasterSecret is the one-phase reset (POST master-secret): a new
// secret at once; the old one stops authenticating.
func (s *Server) resetMasterSecret(w http.ResponseWriter, _ *http.Request) {
	newSecret := randomHex(16)
	now := s.nowSecond()
	s.mu.Lock()
	apiKey := s.rotateMasterLocked(newSecret, now)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, struct{ APIKey, SecretKey string }{apiKey, newSecret})
}

// prepareMasterSecret is POST master-secret/pending: a new secret that
// does not authenticate yet, replacing any pending one.
func (s *Server) prepareMasterSecret(w http.ResponseWriter, _ *http.Request) {
	pending := randomHex(16)
	expires := s.nowSecond().Add(pendingMasterTTL)
	s.mu.Lock()
	s.acct.pendingMaster = pendingMaster{secret: pending, expiresAt: expires}
	apiKey := s.masterKey().APIKey
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, struct{ APIKey, SecretKey, ExpiresAt string }{
		apiKey, pending, expires.Format(time.RFC3339),
	})
}

// activationJSON is the answer of POST master-secret/activate.
type activationJSON struct {
	APIKey        string
	ActivatedAt   string
	AlreadyActive bool
}

// activateMasterSecret is POST master-secret/activate. It authenticates
// the request itself, under the same lock as the switch, so two
// activations at once cannot both see the pending secret:
//   - the master key with the pending secret switches it on;
//   - the master key with the current secret, when that is the secret
//     last activated (within activationMemory), repeats the answer;
//   - a sub-account pair gets 403, as on every recovery route;
//   - anything else gets the usual 401.
func (s *Server) activateMasterSecret(w http.ResponseWriter, r *http.Request) {
	user, pass, _ := r.BasicAuth()
	now := s.nowSecond()
	s.mu.Lock()
	defer s.mu.Unlock()
	caller, current := s.authenticateLocked(user, pass)
	pending := !current && s.isPendingPairLocked(user, pass, now)
	switch {
	case !current && !pending:
		writeUnauthorized(w)
	case current && !caller.IsMaster:
		writeRecoveryError(w, http.StatusForbidden, recovery.CodeMasterRequired, "The recovery API needs the master key")
	case r.Method != http.MethodPost:
		setAllow(w, http.MethodPost)
		writeRecoveryError(w, http.StatusMethodNotAllowed, recovery.CodeMethodNotAllowed, "Method not allowed")
	case pending:
		apiKey := s.rotateMasterLocked(pass, now)
		s.acct.lastActivation = activation{secret: pass, at: now}
		writeJSON(w, http.StatusOK, activationJSON{apiKey, now.Format(time.RFC3339), false})
	default:
		// The caller holds the current secret: a repeat only if that
		// secret is the one activated, and not long ago.
		last := s.acct.lastActivation
		if last.secret == "" || last.secret != pass || !now.Before(last.at.Add(activationMemory)) {
			writeUnauthorized(w)
			return
		}
		writeJSON(w, http.StatusOK, activationJSON{caller.APIKey, last.at.Format(time.RFC3339), true})
	}
}

// isPendingPairLocked reports whether user and pass are the master key and
// its unexpired pending secret. Call with s.mu held.
func (s *Server) isPendingPairLocked(user, pass string, now time.Time) bool {
	pending := s.pendingMasterLocked(now)
	master := s.masterKey()
	want := "00000000000000000000000000000000" // compared anyway, so no pending secret takes as long
	if pending != "" {
		want = pending
	}
	keyOK := subtle.ConstantTimeCompare([]byte(master.APIKey), []byte(user)) == 1
	secretOK := subtle.ConstantTimeCompare([]byte(want), []byte(pass)) == 1
	return pending != "" && keyOK && secretOK && master.IsActive
}

// pendingMasterLocked returns the pending master secret, or "" when there
// is none or it expired. Call with s.mu held.
func (s *Server) pendingMasterLocked(now time.Time) string {
	p := s.acct.pendingMaster
	if p.secret == "" || !now.Before(p.expiresAt) {
		return ""
	}
	return p.secret
}

// rotateMasterLocked makes newSecret the master secret: the old one is
// refused at once (and kept, to refuse it in a report), any pending secret
// is dropped, and the status records the rotation. It returns the master
// key. Call with s.mu held.
func (s *Server) rotateMasterLocked(newSecret string, now time.Time) string {
	master := s.masterKey()
	s.acct.retiredSecrets = append(s.acct.retiredSecrets, master.Secret)
	master.Secret = newSecret
	s.acct.masterRotated = true
	s.acct.masterRotatedAt = now
	s.acct.pendingMaster = pendingMaster{}
	s.acct.lastActivation = activation{}
	return master.APIKey
}

// nowSecond is the sandbox clock to the second: the times the two-phase
// reset answers are RFC 3339 without fractions, and the server must
// enforce the same instants the client was told.
func (s *Server) nowSecond() time.Time { return s.now().Truncate(time.Second) }
