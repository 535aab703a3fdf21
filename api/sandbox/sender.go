package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"time"
)

// senderJSON is a sender entry on the wire (the 2021 recording's fields).
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
	return senderJSON{CreatedAt: r.CreatedAt.UTC().Format(timeFormat), DNSID: r.DNSID, Email: r.Email,
		EmailType: r.EmailType, ID: r.ID, IsDefaultSender: r.IsDefaultSender, Name: r.Name, Status: r.Status}
}

// serveSenders answers /v3/REST/sender: the account's sender addresses,
// shared by its keys. {ID} is the ID or the Email (mailjet-gem#157 reads
// and validates a sender by its address). A new sender is "Inactive"
// until validated, which the sandbox does not fake. DELETE keeps the
// sender with the status "Deleted", listed only with ShowDeleted=true.
func (s *Server) serveSenders(w http.ResponseWriter, r *http.Request, rest []string) {
	serveObjects(w, r, rest, objectRoutes{
		list:   s.listSenders,
		create: s.createSender,
		update: s.updateSender,
		ref:    s.senderByEmail,
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

// listSenders answers GET /v3/REST/sender.
func (s *Server) listSenders(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	all := make([]senderJSON, 0, len(s.senders))
	for _, rec := range s.senders {
		all = append(all, rec.toJSON())
	}
	s.mu.Unlock()
	serveList(w, r, all, senderFilter, sortKeys[senderJSON]{
		"id":        by(func(x senderJSON) int64 { return x.ID }),
		"createdat": by(func(x senderJSON) string { return x.CreatedAt }), // the format sorts as text
		"email":     by(func(x senderJSON) string { return strings.ToLower(x.Email) }),
		"name":      by(func(x senderJSON) string { return x.Name }),
		"status":    by(func(x senderJSON) string { return x.Status }),
	})
}

// senderFilter reads the GET filters of the node SDK's
// SenderAddressAndDomain.ts: DnsID, Domain, Email, IsDomainSender,
// LocalPart, ShowDeleted, Status. Deleted senders are left out unless
// ShowDeleted is true.
func senderFilter(q query) (func(senderJSON) bool, error) {
	showDeleted, err := q.boolean("ShowDeleted")
	if err != nil {
		return nil, err
	}
	domainSender, err := q.boolean("IsDomainSender")
	if err != nil {
		return nil, err
	}
	dnsID, err := q.count("DnsID", 0)
	if err != nil {
		return nil, err
	}
	status, email, domain, local := q.get("Status"), q.get("Email"), q.get("Domain"), q.get("LocalPart")
	return func(x senderJSON) bool {
		l, d, _ := strings.Cut(x.Email, "@")
		return (x.Status != "Deleted" || (showDeleted != nil && *showDeleted)) &&
			(status == "" || strings.EqualFold(status, x.Status)) &&
			(email == "" || strings.EqualFold(email, x.Email)) &&
			(domain == "" || strings.EqualFold(domain, d)) &&
			(local == "" || strings.EqualFold(local, l)) &&
			(domainSender == nil || (l == "*") == *domainSender) &&
			(dnsID == 0 || x.DNSID == int64(dnsID))
	}, nil
}

// senderBody is the POST and PUT body (node SenderAddressAndDomain.ts:
// Email, EmailType, IsDefaultSender, Name; the PUT body has no Email). A
// field left out is nil.
type senderBody struct {
	Email           *string
	EmailType       *string
	IsDefaultSender *bool
	Name            *string
}

// apply returns rec with the fields b sets but Email, or why one is
// invalid. An Email other than rec's is refused: it cannot be changed.
func (b senderBody) apply(rec senderRecord) (senderRecord, error) {
	if b.Email != nil && !strings.EqualFold(strings.TrimSpace(*b.Email), rec.Email) {
		return rec, errors.New(`A sender's "Email" cannot be changed; create another sender`)
	}
	if b.EmailType != nil {
		rec.EmailType = strings.ToLower(strings.TrimSpace(*b.EmailType))
		if rec.EmailType != "transactional" && rec.EmailType != "bulk" && rec.EmailType != "unknown" {
			return rec, errors.New(`Invalid value for "EmailType"`)
		}
	}
	if b.IsDefaultSender != nil {
		rec.IsDefaultSender = *b.IsDefaultSender
	}
	if b.Name != nil {
		rec.Name = strings.TrimSpace(*b.Name)
		if len(rec.Name) > 255 {
			return rec, errors.New(`The value of "Name" is too long`)
		}
	}
	return rec, nil
}

// senderAddress checks a sender's Email: an address ("name@domain") or a
// whole domain ("*@domain").
func senderAddress(email string) bool {
	if domain, ok := strings.CutPrefix(email, "*@"); ok {
		email = "x@" + domain
	}
	a, err := mail.ParseAddress(email)
	return err == nil && a.Address == email && len(email) <= 254
}

// createSender answers POST /v3/REST/sender: Email is required ({} is a
// 400, as mailjet-apiv3-python's test_post_with_no_param records); the
// EmailType defaults to "unknown" and the Name to "" (the fields of a
// sender made by the API in mailjet-gem#157). An address already known,
// deleted senders included, is refused (mailjet-gem#157: "a deleted user
// already exists"); the message follows Mailjet's MJ18 wording for
// webhooks (inferred).
func (s *Server) createSender(w http.ResponseWriter, r *http.Request) {
	var body senderBody
	if err := decodeJSON(w, r, &body); err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	if body.Email == nil || strings.TrimSpace(*body.Email) == "" {
		writeMailjetError(w, http.StatusBadRequest, "", `A non-empty value is required for "Email"`)
		return
	}
	email := strings.TrimSpace(*body.Email)
	if !senderAddress(email) {
		writeMailjetError(w, http.StatusBadRequest, "", `Invalid value for "Email"`)
		return
	}
	rec, err := body.apply(senderRecord{Email: email, EmailType: "unknown", Status: "Inactive",
		CreatedAt: s.now().Truncate(time.Second)})
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.senderWithEmail(email) != nil {
		writeMailjetError(w, http.StatusBadRequest, "",
			fmt.Sprintf("MJ18 A Sender resource with value %q for Email already exists.", email))
		return
	}
	if len(s.senders) >= maxObjects {
		writeMailjetError(w, http.StatusBadRequest, "", "Too many senders")
		return
	}
	rec.ID = s.newObjectID()
	rec.DNSID = s.dnsIDFor(email)
	s.senders = append(s.senders, &rec)
	writeEnvelope(w, http.StatusCreated, []senderJSON{rec.toJSON()}, 1)
}

// updateSender answers PUT /v3/REST/sender/{ID}: like PATCH, only the
// fields sent change; 304 when nothing did. A deleted sender is not
// found, as for DELETE.
func (s *Server) updateSender(w http.ResponseWriter, r *http.Request, id int64) {
	var body senderBody
	if err := decodeJSON(w, r, &body); err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.senderByID(id)
	if rec == nil || rec.Status == "Deleted" {
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		return
	}
	next, err := body.apply(*rec)
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	changed := next != *rec
	*rec = next
	writeUpdated(w, changed, rec.toJSON())
}

// senderByEmail resolves a sender's address used as its {ID}.
func (s *Server) senderByEmail(ref string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.senderWithEmail(ref); rec != nil {
		return rec.ID, true
	}
	return 0, false
}

// senderWithEmail returns the sender with email (any case), the live one
// first, or nil. Call with s.mu held.
func (s *Server) senderWithEmail(email string) *senderRecord {
	var found *senderRecord
	for _, rec := range s.senders {
		if strings.EqualFold(rec.Email, email) && (found == nil || found.Status == "Deleted") {
			found = rec
		}
	}
	return found
}

// dnsIDFor returns the DNSID of email's domain: the one its other senders
// have, or a new one. Call with s.mu held.
func (s *Server) dnsIDFor(email string) int64 {
	_, domain, _ := strings.Cut(email, "@")
	for _, rec := range s.senders {
		if _, d, _ := strings.Cut(rec.Email, "@"); strings.EqualFold(d, domain) {
			return rec.DNSID
		}
	}
	return s.newObjectID()
}
