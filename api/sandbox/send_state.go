package sandbox

import (
	"crypto/rand"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// SentMessage is a snapshot of one message the Send API accepted, for
// tests and rehearsals. It names the key that sent it by its ID and public
// key, never by its secret.
type SentMessage struct {
	API         string // "v3.1" or "v3"
	KeyID       int64
	APIKey      string
	From        string
	To, Cc, Bcc []string // addresses, in the order given, each once
	Subject     string
	CustomID    string
	MessageIDs  []int64 // one per recipient, To then Cc then Bcc; zeros in SandboxMode
	SandboxMode bool    // validated and answered, not sent (v3.1 only)
	// Held is a v3 message from an address that is not a validated sender:
	// Mailjet's v3 answers success for it and waits for the sender to be
	// validated (mailjet-apiv3-php#219, mailjet-apiv3-nodejs#78). It is not
	// counted as sent.
	Held bool
	At   time.Time
}

// recipients is how many messages Mailjet makes of m: one per address.
func (m SentMessage) recipients() int { return len(m.To) + len(m.Cc) + len(m.Bcc) }

// counted reports whether m went out and so shows in the key's statistics.
func (m SentMessage) counted() bool { return !m.SandboxMode && !m.Held }

// The log's bounds: the messages Sent keeps (the oldest go first; the
// per-key counters keep counting past it), and how much of a Subject or
// CustomID it keeps, so that a flood of large payloads cannot fill the
// memory (recipients are bounded per message by the Send APIs' limits).
const (
	maxSentLog   = 1000
	maxSentField = 1000 // bytes
)

// firstMessageID is where the sandbox's message IDs start: Mailjet's are
// about 2^60 (1152921509597813712 in the gem's send_v31 cassette), so a
// client that keeps them in 32 bits or in a float64 fails here as it would
// there.
const firstMessageID int64 = 1 << 60

// sendState is what the Send API adds to the sandbox. The Server's lock
// guards it.
type sendState struct {
	log    []SentMessage // oldest first, at most maxSentLog
	tally  map[int64]sendTally
	nextID int64 // next MessageID; 0 before the first
}

// sendTally is what a key sent through the Send API, for apikeytotals.
type sendTally struct {
	messages int64     // one per recipient
	last     time.Time // the latest send
}

// Sent returns a snapshot of the messages the Send API accepted, oldest
// first (at most the last 1,000, with the first 1,000 bytes of a Subject
// or CustomID), SandboxMode and held ones included.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SentMessage, len(s.sends.log))
	for i, m := range s.sends.log {
		m.To, m.Cc, m.Bcc = slices.Clone(m.To), slices.Clone(m.Cc), slices.Clone(m.Bcc)
		m.MessageIDs = slices.Clone(m.MessageIDs)
		out[i] = m
	}
	return out
}

// recordSentLocked keeps m in the log and, when it went out, counts it
// for its key. Call with s.mu held.
func (s *Server) recordSentLocked(m SentMessage) {
	m.Subject, m.CustomID = clip(m.Subject, maxSentField), clip(m.CustomID, maxSentField)
	if len(s.sends.log) >= maxSentLog {
		s.sends.log = slices.Delete(s.sends.log, 0, len(s.sends.log)-maxSentLog+1)
	}
	s.sends.log = append(s.sends.log, m)
	if m.counted() {
		s.noteSentLocked(m.KeyID, m.recipients(), m.At)
	}
}

// noteSentLocked counts n messages sent by the key keyID at at. Call with
// s.mu held.
func (s *Server) noteSentLocked(keyID int64, n int, at time.Time) {
	if n <= 0 {
		return
	}
	if s.sends.tally == nil {
		s.sends.tally = make(map[int64]sendTally)
	}
	t := s.sends.tally[keyID]
	t.messages += int64(n)
	if at.After(t.last) {
		t.last = at
	}
	s.sends.tally[keyID] = t
}

// sentBy returns what keyID sent through the Send API.
func (s *Server) sentBy(keyID int64) sendTally {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sends.tally[keyID]
}

// newMessageIDsLocked returns n consecutive message IDs. Call with s.mu
// held.
func (s *Server) newMessageIDsLocked(n int) []int64 {
	if s.sends.nextID == 0 {
		s.sends.nextID = firstMessageID
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = s.sends.nextID
		s.sends.nextID++
	}
	return ids
}

// clip cuts s to at most n bytes, at a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// randomUUID returns a random (version 4) UUID, the shape of Mailjet's
// MessageUUID and ErrorIdentifier.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails on supported platforms (see randomHex)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
