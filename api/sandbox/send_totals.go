package sandbox

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
)

// isKeyTotalsPath reports whether path names the apikeytotals resource,
// however serveREST would read it.
func isKeyTotalsPath(path string) bool {
	rest, ok := strings.CutPrefix(path, "/v3/REST/")
	return ok && strings.EqualFold(strings.Trim(rest, "/"), "apikeytotals")
}

// serveKeyTotalsWithSends answers /v3/REST/apikeytotals as serveREST
// does, then adds what the caller's key sent through the Send API to
// ProcessedCount and LastActivity. The key's generated history
// (usage.go) stays as it is: this wraps its answer instead of changing
// how it is computed, so the two evolve apart.
func (s *Server) serveKeyTotalsWithSends(w http.ResponseWriter, r *http.Request) {
	rec := &capturedReply{header: make(http.Header)}
	s.serveREST(rec, r)
	body := rec.body.Bytes()
	if rec.status == http.StatusOK && r.Method == http.MethodGet {
		if caller, ok := s.authenticate(r); ok {
			if t := s.sentBy(caller.ID); t.messages > 0 {
				body = addSendsToTotals(body, t)
			}
		}
	}
	maps.Copy(w.Header(), rec.header)
	w.Header().Del("Content-Length")
	if rec.status == 0 {
		rec.status = http.StatusOK // nothing written: net/http would have said 200 too
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(body)
}

// addSendsToTotals adds t to every entry of an apikeytotals envelope. A
// body it cannot read is returned as it is.
func addSendsToTotals(body []byte, t sendTally) []byte {
	var env map[string]json.RawMessage
	if json.Unmarshal(body, &env) != nil {
		return body
	}
	var data []map[string]json.RawMessage
	if json.Unmarshal(env["Data"], &data) != nil {
		return body
	}
	for _, entry := range data {
		var processed, last int64
		if json.Unmarshal(entry["ProcessedCount"], &processed) == nil {
			entry["ProcessedCount"] = rawJSON(processed + t.messages)
		}
		if json.Unmarshal(entry["LastActivity"], &last) == nil && t.last.Unix() > last {
			entry["LastActivity"] = rawJSON(t.last.Unix())
		}
	}
	env["Data"] = rawJSON(data)
	out, err := json.Marshal(env)
	if err != nil {
		return body
	}
	return out
}

// rawJSON encodes a value that cannot fail to encode (numbers, and maps
// of raw messages that were just decoded).
func rawJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// capturedReply is an http.ResponseWriter that keeps the answer, so it
// can be changed before it is sent.
type capturedReply struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *capturedReply) Header() http.Header { return c.header }

func (c *capturedReply) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

func (c *capturedReply) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return c.body.Write(b)
}
