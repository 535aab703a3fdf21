// Package access issues and checks the one-time access codes of kiosk
// sessions. Support issues a code for one account (`mjrecover kiosk
// issue-code`); the customer types it on the first screen of a kiosk
// session, which then may recover that account only.
//
// A code is 12 characters of Crockford's base 32 (60 random bits), valid for
// a set time and for one session. Only a SHA-256 hash of each code is kept:
// by the kiosk's store (steps/kioskstore, which makes its records with
// NewRecord and opens them with Record.Grant), or, by kiosks before it, in
// a JSON file of mode 0600 (Store) that the server and the issuing command
// shared under a file lock; the store imports that file once.
//
// Why a plain SHA-256 and not a slow password hash: a slow hash makes
// guessing a low-entropy secret (a password) expensive. These codes are not
// low-entropy: finding one 60-bit code from its hash takes about 2^59
// SHA-256 computations (years on a GPU), while the code lives 30 minutes
// and is single use. A slow hash would add nothing there, and it would let
// every wrong try cost the server real CPU time.
//
// No error, log line or string this package makes contains a code: only
// Issue hands one out, to the issuer.
package access

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mjrecover/mjrecover/steps/internal/filelock"
)

// Code format: Crockford's base 32 (no I, L, O or U), 12 characters shown
// as three groups of four.
const (
	alphabet  = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeLen   = 12
	groupSize = 4
)

// DefaultValid is how long a code stays valid unless the issuer says.
const DefaultValid = 30 * time.Minute

// MaxValid bounds the validity an issuer may ask for.
const MaxValid = 7 * 24 * time.Hour

// KeepSpent is how long a code that opens nothing any more (expired, or
// its recovery finished) is kept, so that the gate can tell "already used"
// or "expired" from "not right".
const KeepSpent = 24 * time.Hour

// fileVersion is the codes file's format.
const fileVersion = 1

// What Redeem says about a code that does not open a session. None of them
// holds the code.
var (
	ErrWrongCode = errors.New("this access code is not right")
	ErrExpired   = errors.New("this access code has expired")
	ErrUsed      = errors.New("this access code was already used")
	ErrInUse     = errors.New("this access code is open in another session right now")
)

// Record is one issued code, as the file keeps it: its hash, never the
// code.
type Record struct {
	ID      string     `json:"id"` // random, not derived from the code: names the code in the audit log
	Hash    string     `json:"sha256"`
	Account string     `json:"account"`
	Issued  time.Time  `json:"issued"`
	Expires time.Time  `json:"expires"`
	Used    *time.Time `json:"used,omitempty"`
	// Finished is when the recovery the code opened was done; from then
	// on the code opens nothing.
	Finished *time.Time `json:"finished,omitempty"`
}

type codesFile struct {
	Version int      `json:"version"`
	Codes   []Record `json:"codes"`
}

// Store is the codes file at Path.
type Store struct {
	Path string
	Now  func() time.Time // time.Now when nil
	Rand io.Reader        // crypto/rand when nil

	mu sync.Mutex // one change at a time in this process; the file lock covers others
}

// Issued is a new code, for the issuer to hand to the customer.
type Issued struct {
	Code    string // the only copy; the store keeps its hash
	ID      string
	Account string
	Expires time.Time
}

// Grant is what a right code opens: a session for Account.
type Grant struct {
	ID      string // the code's record id (not the code)
	Account string
	Expires time.Time
	// StateKey is derived from the code (an HMAC keyed by it), so only the
	// holder of the code can name the session's saved progress; it is not
	// stored anywhere and cannot be found from the file.
	StateKey string
	// Resumed: the code had opened a session before (one the line dropped
	// or the person left), and this one goes on with the same recovery.
	Resumed bool
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Store) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

// Issue makes a code for account, valid for valid (DefaultValid when 0).
func (s *Store) Issue(account string, valid time.Duration) (Issued, error) {
	rec, issued, err := NewRecord(account, valid, s.now(), s.rand())
	if err != nil {
		return Issued{}, err
	}
	err = s.update(func(f *codesFile) error {
		f.Codes = append(f.Codes, rec)
		return nil
	})
	if err != nil {
		return Issued{}, err
	}
	return issued, nil
}

// NewRecord makes a code for account, valid for valid (DefaultValid when
// 0) from now, drawn from r: the record to keep (its hash, never the
// code) and the Issued that holds the only copy of the code.
func NewRecord(account string, valid time.Duration, now time.Time, r io.Reader) (Record, Issued, error) {
	account = strings.TrimSpace(account)
	if account == "" || !strings.Contains(account, "@") || strings.ContainsAny(account, " \t\r\n") {
		return Record{}, Issued{}, fmt.Errorf("issue an access code: %q is not an email address", account)
	}
	if valid == 0 {
		valid = DefaultValid
	}
	if valid < 0 || valid > MaxValid {
		return Record{}, Issued{}, fmt.Errorf("issue an access code: validity %s is not between 0 and %s", valid, MaxValid)
	}
	code, err := newCode(r)
	if err != nil {
		return Record{}, Issued{}, fmt.Errorf("issue an access code: %w", err)
	}
	id, err := newID(r)
	if err != nil {
		return Record{}, Issued{}, fmt.Errorf("issue an access code: %w", err)
	}
	now = now.UTC()
	rec := Record{ID: id, Hash: Hash(code), Account: account, Issued: now, Expires: now.Add(valid)}
	return rec, Issued{Code: Format(code), ID: id, Account: account, Expires: rec.Expires}, nil
}

// Redeem checks a typed code. A right code is marked used and gives its
// grant; otherwise the error is ErrWrongCode, ErrExpired or ErrUsed (or an
// I/O error naming the file, never the code).
//
// A code opens one recovery, not one connection: until it expires or its
// recovery is finished (Finish), it opens that recovery again, so a
// dropped line does not cost the customer their progress or a call to
// support. Only one session at a time may hold it; the server keeps that
// rule (ErrInUse), since only it knows which sessions are live.
func (s *Store) Redeem(typed string) (Grant, error) {
	code, ok := Normalize(typed)
	if !ok {
		return Grant{}, ErrWrongCode
	}
	want := Hash(code)
	var g Grant
	err := s.update(func(f *codesFile) error {
		i := find(f.Codes, want)
		if i < 0 {
			return ErrWrongCode
		}
		rec := &f.Codes[i]
		now := s.now().UTC()
		var err error
		if g, err = rec.Grant(code, now); err != nil {
			return err
		}
		if rec.Used == nil {
			rec.Used = &now
		}
		return nil
	})
	return g, err
}

// Grant is what the record opens for code (normalized, the record's own)
// at now: ErrUsed once its recovery is finished, ErrExpired after it
// expired; else the grant, Resumed when the code had opened a session.
// It does not mark the record used: the caller keeps it.
func (r Record) Grant(code string, now time.Time) (Grant, error) {
	switch {
	case r.Finished != nil:
		return Grant{}, ErrUsed
	case !now.Before(r.Expires):
		return Grant{}, ErrExpired
	}
	return Grant{ID: r.ID, Account: r.Account, Expires: r.Expires, StateKey: stateKey(code), Resumed: r.Used != nil}, nil
}

// Finish marks the recovery opened by the code with record id done: the
// code opens nothing any more.
func (s *Store) Finish(id string) error {
	return s.update(func(f *codesFile) error {
		for i := range f.Codes {
			if f.Codes[i].ID == id {
				now := s.now().UTC()
				f.Codes[i].Finished = &now
				return nil
			}
		}
		return fmt.Errorf("finish an access code: no code with id %s", id)
	})
}

// Records lists the codes in the file (hashes only), for tests and tools.
func (s *Store) Records() ([]Record, error) {
	var out []Record
	err := s.update(func(f *codesFile) error {
		out = append(out, f.Codes...)
		return errNoChange
	})
	if errors.Is(err, errNoChange) {
		err = nil
	}
	return out, err
}

// find is the index of the record whose hash is want, comparing every
// record in constant time.
func find(recs []Record, want string) int {
	found := -1
	for i := range recs {
		if subtle.ConstantTimeCompare([]byte(recs[i].Hash), []byte(want)) == 1 {
			found = i
		}
	}
	return found
}

// errNoChange ends an update without writing the file.
var errNoChange = errors.New("no change")

// update reads the file under the lock, lets change edit it, drops codes
// spent long ago, and writes it back atomically. An error from change
// (ErrWrongCode…) is returned as is and nothing is written.
func (s *Store) update(change func(*codesFile) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	dir := filepath.Dir(s.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("access codes: %w", err)
	}
	lock, err := os.OpenFile(s.Path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("access codes: %w", err)
	}
	defer lock.Close()
	if err := filelock.Lock(lock); err != nil {
		return fmt.Errorf("access codes: lock %s: %w", lock.Name(), err)
	}
	defer filelock.Unlock(lock)

	f, err := s.read()
	if err != nil {
		return err
	}
	if err := change(&f); err != nil {
		return err
	}
	now := s.now()
	kept := f.Codes[:0]
	for _, r := range f.Codes {
		spent := r.Expires
		if r.Used != nil && r.Used.Before(spent) {
			spent = *r.Used
		}
		if now.Sub(spent) < KeepSpent {
			kept = append(kept, r)
		}
	}
	f.Codes = kept
	return s.write(f)
}

func (s *Store) read() (codesFile, error) {
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return codesFile{Version: fileVersion}, nil
	}
	if err != nil {
		return codesFile{}, fmt.Errorf("access codes: %w", err)
	}
	var f codesFile
	if err := json.Unmarshal(data, &f); err != nil {
		return codesFile{}, fmt.Errorf("access codes: %s is damaged: %w", s.Path, err)
	}
	if f.Version != fileVersion {
		return codesFile{}, fmt.Errorf("access codes: %s has format %d, want %d", s.Path, f.Version, fileVersion)
	}
	return f, nil
}

func (s *Store) write(f codesFile) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("access codes: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.Path), ".codes-*")
	if err != nil {
		return fmt.Errorf("access codes: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, nothing to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("access codes: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("access codes: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("access codes: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("access codes: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.Path); err != nil {
		return fmt.Errorf("access codes: %w", err)
	}
	return nil
}

// newCode draws codeLen characters of the alphabet without bias (the
// alphabet has 32 letters: 5 bits of each random byte).
func newCode(r io.Reader) (string, error) {
	var b [codeLen]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("draw a code: %w", err)
	}
	out := make([]byte, codeLen)
	for i, v := range b {
		out[i] = alphabet[v&31]
	}
	return string(out), nil
}

func newID(r io.Reader) (string, error) {
	var b [8]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("draw an id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Normalize turns what a person typed into the code's canonical form:
// upper case, without spaces or dashes, with the look-alikes Crockford's
// base 32 allows (O for 0, I and L for 1). ok is false when the result
// cannot be a code.
func Normalize(typed string) (code string, ok bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || strings.IndexByte(alphabet, byte(r)) < 0 {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != codeLen {
		return "", false
	}
	return b.String(), true
}

// Format groups a code for reading aloud: ABCD-EFGH-JKMN.
func Format(code string) string {
	var parts []string
	for i := 0; i < len(code); i += groupSize {
		parts = append(parts, code[i:min(i+groupSize, len(code))])
	}
	return strings.Join(parts, "-")
}

// Hash is what is kept of a code (normalized): a SHA-256 of it, by which
// the code is found again.
func Hash(code string) string {
	sum := sha256.Sum256([]byte("mjrecover kiosk access code v1\x00" + code))
	return hex.EncodeToString(sum[:])
}

func stateKey(code string) string {
	m := hmac.New(sha256.New, []byte(code))
	m.Write([]byte("mjrecover kiosk session state v1"))
	return hex.EncodeToString(m.Sum(nil))
}
