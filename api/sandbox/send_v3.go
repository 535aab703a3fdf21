package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
)

// The Send API v3 (POST /v3/send), Mailjet's older one, as
// mailjet/api-documentation guides/_send-api-V3.md documents it and the
// gem's resource/send.yml cassette recorded it. It speaks REST v3's error
// shape and its empty 401.

// maxMessagesV3 bounds a bulk v3 call (fact sheet "Send v3.1": "v3 allows
// 100").
const maxMessagesV3 = 100

// maxRecipientsV3 bounds the recipients of one v3 message. No source
// gives v3's limit; v3.1's is 50 ("MAX RECIPIENTS: 50"), and the sandbox
// takes the same (inferred).
const maxRecipientsV3 = 50

// v3Recipient is an entry of Recipients.
type v3Recipient struct {
	Email string
	Name  string
}

// v3Message is one v3 message. To, Cc and Bcc are comma-separated
// address lists ("john@example.com", "<john@example.com>" or
// "\"John Doe\" <john@example.com>"), which "can't be used in conjunction
// with Recipients". A template counts as content; the sandbox keeps none.
type v3Message struct {
	FromEmail  string
	FromName   string
	Sender     string
	Subject    string
	TextPart   string `json:"Text-part"`
	HTMLPart   string `json:"Html-part"`
	Recipients *[]v3Recipient
	To         string
	Cc         string
	Bcc        string
	CustomID   string          `json:"Mj-CustomID"`
	TemplateID json.RawMessage `json:"Mj-TemplateID"`
}

// v3Request is one message, or several in Messages ("To send messages in
// bulk, package the multiple messages inside a Messages property").
type v3Request struct {
	v3Message
	Messages *[]v3Message
}

// v3Sent is an entry of the answer's Sent list, one per recipient.
type v3Sent struct {
	Email       string
	MessageID   int64
	MessageUUID string
}

// v3Accepted is a message that passed the checks.
type v3Accepted struct {
	from        string
	to, cc, bcc []string
	msg         v3Message
}

// serveSendV3 answers POST /v3/send: {"Sent":[{Email, MessageID,
// MessageUUID}]} for every recipient of every message. Its answer has no
// place for an error per message, so one bad message refuses the whole
// call with REST v3's 400 (inferred). A From that is well formed but not
// a validated sender is accepted and held, as Mailjet's v3 does (it
// answers success and asks the address to validate itself:
// mailjet-apiv3-php#219, mailjet-apiv3-nodejs#78); held messages are not
// counted as sent.
func (s *Server) serveSendV3(w http.ResponseWriter, r *http.Request) {
	caller, ok := s.authenticate(r)
	if !ok {
		writeUnauthorized(w)
		return
	}
	if r.Method != http.MethodPost {
		setAllow(w, http.MethodPost)
		writeMailjetError(w, http.StatusMethodNotAllowed, "", "Method not allowed")
		return
	}
	body, err := readSendBody(w, r)
	if errors.Is(err, errSendBodyTooLarge) {
		writeMailjetError(w, http.StatusBadRequest, "", fmt.Sprintf("The payload is over the limit of %d bytes", maxRequestBody))
		return
	}
	var req v3Request
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", "Malformed JSON, please review the syntax and properties types")
		return
	}
	msgs := []v3Message{req.v3Message}
	prefix := func(int) string { return "" }
	if req.Messages != nil {
		msgs = *req.Messages
		prefix = func(i int) string { return fmt.Sprintf("Messages[%d]: ", i) }
	}
	switch {
	case len(msgs) == 0:
		writeMailjetError(w, http.StatusBadRequest, "", "Messages must hold at least one message")
		return
	case len(msgs) > maxMessagesV3:
		writeMailjetError(w, http.StatusBadRequest, "", fmt.Sprintf("Messages holds %d messages; at most %d are allowed", len(msgs), maxMessagesV3))
		return
	}
	accepted := make([]v3Accepted, 0, len(msgs))
	for i, m := range msgs {
		a, err := checkV3(m)
		if err != nil {
			writeMailjetError(w, http.StatusBadRequest, "", prefix(i)+err.Error())
			return
		}
		accepted = append(accepted, a)
	}

	at := s.nowSecond()
	sent := []v3Sent{}
	s.mu.Lock()
	for _, a := range accepted {
		rec := SentMessage{API: "v3", KeyID: caller.ID, APIKey: caller.APIKey, From: a.from,
			To: a.to, Cc: a.cc, Bcc: a.bcc, Subject: a.msg.Subject, CustomID: a.msg.CustomID, At: at,
			Held: !s.authorizedSenderLocked(a.from)}
		rec.MessageIDs = s.newMessageIDsLocked(rec.recipients())
		s.recordSentLocked(rec)
		ids := rec.MessageIDs
		for _, list := range [][]string{rec.To, rec.Cc, rec.Bcc} {
			for _, email := range list {
				sent = append(sent, v3Sent{Email: email, MessageID: ids[0], MessageUUID: randomUUID()})
				ids = ids[1:]
			}
		}
	}
	s.mu.Unlock()
	// The cassette's v3 answer says "application/json", without a charset.
	out, _ := json.Marshal(struct{ Sent []v3Sent }{sent}) // plain structs: cannot fail
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}

// checkV3 checks one v3 message and gathers its distinct recipients. The
// texts are the sandbox's own, except the missing sender's, which is
// Mailjet's (mailjet-apiv3-php#246, mailjet-apiv3-nodejs#157).
func checkV3(m v3Message) (v3Accepted, error) {
	a := v3Accepted{from: m.FromEmail, msg: m}
	if a.from == "" {
		a.from = m.Sender
	}
	switch {
	case a.from == "":
		return a, errors.New("At least FromEmail or Sender must be provided")
	case !validEmail(a.from):
		return a, fmt.Errorf("%q is an invalid email address", a.from)
	case m.Recipients != nil && (m.To != "" || m.Cc != "" || m.Bcc != ""):
		return a, errors.New("To, Cc and Bcc can't be used in conjunction with Recipients")
	}
	seen := recipientSet{}
	if m.Recipients != nil {
		for i, rc := range *m.Recipients {
			if !validEmail(rc.Email) {
				return a, fmt.Errorf("Recipients[%d]: %q is an invalid email address", i, rc.Email)
			}
			if seen.first(rc.Email) {
				a.to = append(a.to, rc.Email)
			}
		}
	}
	for _, list := range []struct {
		name string
		text string
		dst  *[]string
	}{{"To", m.To, &a.to}, {"Cc", m.Cc, &a.cc}, {"Bcc", m.Bcc, &a.bcc}} {
		if list.text == "" {
			continue
		}
		addrs, err := mail.ParseAddressList(list.text)
		if err != nil {
			return a, fmt.Errorf("%s is not a list of email addresses", list.name)
		}
		for _, ad := range addrs {
			if !validEmail(ad.Address) {
				return a, fmt.Errorf("%s: %q is an invalid email address", list.name, ad.Address)
			}
			if seen.first(ad.Address) {
				*list.dst = append(*list.dst, ad.Address)
			}
		}
	}
	switch {
	case len(seen) > maxRecipientsV3:
		return a, fmt.Errorf("The message has %d recipients; at most %d are allowed", len(seen), maxRecipientsV3)
	case len(seen) == 0:
		return a, errors.New("At least one recipient must be provided in Recipients or To")
	case m.TextPart == "" && m.HTMLPart == "" && !hasTemplate(m.TemplateID):
		return a, errors.New("At least Text-part, Html-part or Mj-TemplateID must be provided")
	}
	return a, nil
}

// hasTemplate reports whether Mj-TemplateID holds a value (a number or a
// string; null, 0 and "" are none).
func hasTemplate(raw json.RawMessage) bool {
	v := bytes.TrimSpace(raw)
	return len(v) > 0 && !bytes.Equal(v, []byte("null")) && !bytes.Equal(v, []byte("0")) && !bytes.Equal(v, []byte(`""`))
}
