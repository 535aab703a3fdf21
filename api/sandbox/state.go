package sandbox

import (
	"time"
)

// keyRecord is one API key pair.
type keyRecord struct {
	ID        int64
	APIKey    string
	Secret    string
	Name      string
	IsActive  bool
	IsMaster  bool
	CreatedAt time.Time
}

// account is what the recovery API changes.
type account struct {
	userID          int64
	email           string
	createdAt       time.Time
	disabled        bool
	masterRotated   bool
	masterRotatedAt time.Time // last reset or activation
	pendingMaster   pendingMaster
	lastActivation  activation
	passwordChanged bool
	retiredSecrets  []string // previous master secrets, refused in a report
	totp            totpState
	codeHashes      []string // hex SHA-256 of the current recovery codes
	ticket          string
}

// pendingMaster is a master secret handed out by POST
// master-secret/pending and not switched on yet.
type pendingMaster struct {
	secret    string // "" when none
	expiresAt time.Time
}

// activation remembers the last switch by POST master-secret/activate, so
// that a client whose answer was lost can ask again and get the same one.
type activation struct {
	secret string // the secret that was activated
	at     time.Time
}

// totpState is the two-factor enrolment. Seeds are kept in clear: TOTP is
// a shared secret, the server must compute the codes.
type totpState struct {
	pending     string // seed waiting for its first code
	active      string // confirmed seed; two-factor is on when set
	lastStep    int64  // time step of the last code accepted for active
	wrongTries  int    // wrong codes in a row
	lockouts    int    // lockouts so far; each doubles the next
	lockedUntil time.Time
}

// seedDemo fills the demo account: compromised (disabled), with a master
// key and two sub-account keys, all active, and what the attacker left
// behind (seedReview).
func (s *Server) seedDemo() {
	date := func(v string) time.Time {
		t, _ := time.Parse(time.RFC3339, v)
		return t
	}
	s.keys = []*keyRecord{
		{ID: DemoMasterID, APIKey: DemoMasterKey, Secret: DemoMasterSecret, Name: DemoMasterName,
			IsActive: true, IsMaster: true, CreatedAt: date("2021-03-14T09:26:53Z")},
		{ID: DemoShopID, APIKey: DemoShopKey, Secret: DemoShopSecret, Name: DemoShopName,
			IsActive: true, CreatedAt: date("2022-06-02T14:05:11Z")},
		{ID: DemoNewsletterID, APIKey: DemoNewsletterKey, Secret: DemoNewsletterSecret, Name: DemoNewsletterName,
			IsActive: true, CreatedAt: date("2023-01-19T08:42:37Z")},
	}
	s.nextID = DemoNewsletterID + 1
	s.acct = account{
		userID:    DemoUserID,
		email:     DemoEmail,
		createdAt: date("2021-03-14T09:25:02Z"),
		disabled:  true,
	}
	s.seedReview(s.now())
}

// keyByID returns the key with id, or nil. Call with s.mu held.
func (s *Server) keyByID(id int64) *keyRecord {
	for _, k := range s.keys {
		if k.ID == id {
			return k
		}
	}
	return nil
}

// masterKey returns the master key. Call with s.mu held.
func (s *Server) masterKey() *keyRecord {
	for _, k := range s.keys {
		if k.IsMaster {
			return k
		}
	}
	return nil
}

// now is the sandbox clock in UTC, to the second (as Mailjet's dates).
func (s *Server) now() time.Time { return s.clock().UTC() }
