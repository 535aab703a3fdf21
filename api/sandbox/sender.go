package sandbox

import (
	"net/http"
	"strings"
)

// senderJSON is a sender entry on the wire.
type senderJSON struct {
	CreatedAt       string
	DNSID           int64
	Email           string
	EmailType       string
	Filename        string
	ID              int64
	IsDefaultSender bool
	Name            string
	Status          string
}

func (r *senderRecord) toJSON() senderJSON {
	return senderJSON{CreatedAt: r.CreatedAt.UTC().Format(timeFormat), DNSID: 6001, Email: r.Email,
		EmailType: r.EmailType, ID: r.ID, IsDefaultSender: r.IsDefaultSender, Name: r.Name, Status: r.Status}
}

// serveSenders answers /v3/REST/sender: the account's sender addresses,
// shared by its keys. Creating one needs a validation email, which the
// sandbox does not fake, so POST is not offered. DELETE keeps the sender
// with the status "Deleted", listed only with ShowDeleted=true.
func (s *Server) serveSenders(w http.ResponseWriter, r *http.Request, rest []string) {
	serveObjects(w, r, rest, objectRoutes{
		list: s.listSenders,
		get: func(w http.ResponseWriter, id int64) {
			s.mu.Lock()
			rec := s.senderByID(id)
			var out senderJSON
			if rec != nil {
				out = rec.toJSON()
			}
			s.mu.Unlock()
			if rec == nil {
				writeMailjetError(w, http.StatusNotFound, "", "Object not found")
				return
			}
			writeEnvelope(w, http.StatusOK, []senderJSON{out}, 1)
		},
		remove: func(w http.ResponseWriter, id int64) {
			s.mu.Lock()
			defer s.mu.Unlock()
			rec := s.senderByID(id)
			if rec == nil || rec.Status == "Deleted" {
				writeMailjetError(w, http.StatusNotFound, "", "Object not found")
				return
			}
			rec.Status = "Deleted"
			rec.IsDefaultSender = false
			deleted(w)
		},
	})
}

// listSenders answers GET /v3/REST/sender with the filters Status, Email
// and ShowDeleted.
func (s *Server) listSenders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	showDeleted, err := boolParam(q, "ShowDeleted")
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	status, email := q.Get("Status"), q.Get("Email")
	s.mu.Lock()
	var all []senderJSON
	for _, rec := range s.senders {
		if rec.Status == "Deleted" && (showDeleted == nil || !*showDeleted) {
			continue
		}
		if (status == "" || strings.EqualFold(status, rec.Status)) && (email == "" || strings.EqualFold(email, rec.Email)) {
			all = append(all, rec.toJSON())
		}
	}
	s.mu.Unlock()
	if p, ok := page(w, r, all); ok {
		writeEnvelope(w, http.StatusOK, p, len(all))
	}
}
