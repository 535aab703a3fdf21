package sandbox

import (
	"bytes"
	"slices"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/secret"
)

// Key is a snapshot of one API key, for tests and the demo.
type Key struct {
	ID        int64
	APIKey    string
	Secret    secret.Secret
	Name      string
	IsActive  bool
	IsMaster  bool
	CreatedAt time.Time
}

// Keys returns a snapshot of every key, ordered by ID.
func (s *Server) Keys() []Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Key, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, Key{
			ID: k.ID, APIKey: k.APIKey, Secret: secret.New(k.Secret), Name: k.Name,
			IsActive: k.IsActive, IsMaster: k.IsMaster, CreatedAt: k.CreatedAt,
		})
	}
	return out
}

// Status returns what GET /recovery/v1/status would answer.
func (s *Server) Status() recovery.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statusLocked()
}

// LastReport returns the last support report received (nil if none).
func (s *Server) LastReport() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.report)
}

// RecoveryCodeHashes returns what the sandbox stores of the current
// recovery codes: hex SHA-256 hashes, never the codes.
func (s *Server) RecoveryCodeHashes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.acct.codeHashes)
}

// Requests counts the requests seen (faulted ones included) whose method
// is method ("" for any) and whose path starts with pathPrefix.
func (s *Server) Requests(method, pathPrefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for key, count := range s.requests {
		m, path, _ := strings.Cut(key, " ")
		if (method == "" || strings.EqualFold(method, m)) && strings.HasPrefix(path, pathPrefix) {
			n += count
		}
	}
	return n
}

// Webhook is a snapshot of one event webhook.
type Webhook struct {
	ID        int64
	APIKeyID  int64
	EventType string
	URL       string
}

// Webhooks returns a snapshot of every event webhook.
func (s *Server) Webhooks() []Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Webhook, 0, len(s.webhooks))
	for _, w := range s.webhooks {
		out = append(out, Webhook{ID: w.ID, APIKeyID: w.APIKeyID, EventType: w.EventType, URL: w.URL})
	}
	return out
}

// ParseRoute is a snapshot of one parse route.
type ParseRoute struct {
	ID       int64
	APIKeyID int64
	Email    string
	URL      string
}

// ParseRoutes returns a snapshot of every parse route.
func (s *Server) ParseRoutes() []ParseRoute {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ParseRoute, 0, len(s.parseRoutes))
	for _, p := range s.parseRoutes {
		out = append(out, ParseRoute{ID: p.ID, APIKeyID: p.APIKeyID, Email: p.Email, URL: p.URL})
	}
	return out
}

// Sender is a snapshot of one sender.
type Sender struct {
	ID        int64
	Email     string
	Status    string
	CreatedAt time.Time
}

// Senders returns a snapshot of every sender, deleted ones included.
func (s *Server) Senders() []Sender {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Sender, 0, len(s.senders))
	for _, r := range s.senders {
		out = append(out, Sender{ID: r.ID, Email: r.Email, Status: r.Status, CreatedAt: r.CreatedAt})
	}
	return out
}
