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
