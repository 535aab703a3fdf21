package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"time"
	"unicode/utf8"
)

// The Send API v3.1 (POST /v3.1/send) as Mailjet documents it in
// mailjet/api-documentation guides/_send-api.md ("Send API errors",
// "Sandbox Mode", "Message JSON properties") and as the gem's cassettes
// recorded it (spec/cassettes/resource/send_v31*.yml). Where no source
// says what Mailjet does, the comment says "inferred".

// Limits of one v3.1 call.
const (
	maxMessagesV31   = 50  // fact sheet "Send v3.1": at most 50 messages per call
	maxRecipientsV31 = 50  // _send-api.md: "MAX RECIPIENTS: 50"
	maxSubjectRunes  = 255 // _send-api.md: Subject "Maximum length is 255 chars"

	// maxErrorsListed bounds the errors listed for one message, so that a
	// payload of thousands of bad addresses gets a short answer (the
	// sandbox's own bound).
	maxErrorsListed = 20
)

// The v3.1 401 message, word for word from the gem's
// resource/send_v31_invalid_credentials.yml cassette (2023).
const v31Unauthorized = "API key authentication/authorization failure. You may be unauthorized to access the API " +
	"or your API key may be expired. Visit API keys management section to check your keys."

// v31Address is a From or a recipient.
type v31Address struct {
	Email string
	Name  string
}

// v31Message is one message of the payload. Pointers tell a missing
// property from an empty one. Properties the sandbox does not act on
// (Headers, Variables, Attachments, …) are accepted and ignored.
type v31Message struct {
	From       *v31Address
	To         *[]v31Address
	Cc, Bcc    []v31Address
	Subject    string
	TextPart   string
	HTMLPart   string
	TemplateID int64
	CustomID   string
}

// v31Request is the payload. SandboxMode is a root property, "not a
// message JSON property" (_send-api.md, "Sandbox Mode"). A plain bool: a
// string "true" is a type mismatch here, so that no client believes it
// rehearses while a lenient server would send for real.
type v31Request struct {
	Messages    *[]v31Message
	SandboxMode bool
}

// v31Error is one entry of an Errors list.
type v31Error struct {
	ErrorIdentifier string
	ErrorCode       string
	StatusCode      int
	ErrorMessage    string
	ErrorRelatedTo  []string
}

func newV31Error(status int, code, message string, relatedTo ...string) v31Error {
	if relatedTo == nil {
		relatedTo = []string{}
	}
	return v31Error{ErrorIdentifier: randomUUID(), ErrorCode: code, StatusCode: status,
		ErrorMessage: message, ErrorRelatedTo: relatedTo}
}

// v31GlobalError is an error about the whole call, in one object: broken
// JSON (mj-0002, _send-api.md "Global Error"), a property of the wrong
// type (mj-0004, as mailjet-apiv3-php#237 quotes it), or 401 (no
// ErrorCode, as in send_v31_invalid_credentials.yml).
type v31GlobalError struct {
	ErrorIdentifier string
	ErrorCode       string `json:",omitempty"`
	StatusCode      int
	ErrorMessage    string
	ErrorRelatedTo  []string `json:",omitempty"`
}

func writeV31Global(w http.ResponseWriter, status int, code, message string, relatedTo ...string) {
	writeJSON(w, status, v31GlobalError{ErrorIdentifier: randomUUID(), ErrorCode: code, StatusCode: status,
		ErrorMessage: message, ErrorRelatedTo: relatedTo})
}

// writeV31RootErrors answers errors about the Messages property itself in
// the shape Mailjet used for them (mailjet-apiv3-java#103,
// api-documentation#21): {"Errors":[...],"Messages":[]}.
func writeV31RootErrors(w http.ResponseWriter, errs ...v31Error) {
	writeJSON(w, http.StatusBadRequest, struct {
		Errors   []v31Error
		Messages []struct{}
	}{errs, []struct{}{}})
}

// v31Sent is one recipient of a message that was accepted.
type v31Sent struct {
	Email       string
	MessageUUID string
	MessageID   int64
	MessageHref string
}

type v31Success struct {
	Status   string
	CustomID string
	To       []v31Sent
	Cc       []v31Sent
	Bcc      []v31Sent
}

type v31Failure struct {
	Status string
	Errors []v31Error
}

// serveSendV31 answers POST /v3.1/send. Every answer carries an
// X-Mj-Request-Guid header, as every recorded v3.1 answer does.
//
// Each message is checked on its own, and every error it has is listed
// ("For a single message, Send API can return multiple errors"); a call
// whose messages all pass answers 200. "In bulk sending … we will process
// each message separately. As a result, the response can contain both
// success and error notifications" (_send-api.md): the messages that pass
// are sent even when others fail. Such a call answers 403 when every
// error is a 403 (send-0008 alone: the Go SDK's TestSendMailV31 expects
// 403 for it), 400 otherwise (inferred).
func (s *Server) serveSendV31(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Mj-Request-Guid", randomUUID())
	caller, ok := s.authenticate(r)
	if !ok {
		writeV31Global(w, http.StatusUnauthorized, "", v31Unauthorized)
		return
	}
	if r.Method != http.MethodPost {
		setAllow(w, http.MethodPost)
		writeV31Global(w, http.StatusMethodNotAllowed, "", "Method not allowed")
		return
	}
	body, err := readSendBody(w, r)
	if errors.Is(err, errSendBodyTooLarge) {
		// mj-0011: "when the payload size is over the limit".
		writeV31Global(w, http.StatusBadRequest, "mj-0011", fmt.Sprintf("The payload is over the limit of %d bytes.", maxRequestBody))
		return
	}
	var req v31Request
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeV31DecodeError(w, err)
		return
	}
	switch {
	case req.Messages == nil:
		// mj-0003 with the text Mailjet answered in mailjet-apiv3-java#103.
		writeV31RootErrors(w, newV31Error(http.StatusBadRequest, "mj-0003", "Missing mandatory property.", "Messages"))
		return
	case len(*req.Messages) == 0:
		// mj-0007: "when an empty array is provided that cannot be empty" (wording inferred).
		writeV31RootErrors(w, newV31Error(http.StatusBadRequest, "mj-0007", "Messages must hold at least one message.", "Messages"))
		return
	case len(*req.Messages) > maxMessagesV31:
		// mj-0008: "when an array property contains more than the maximum allowed number of elements" (wording inferred).
		writeV31RootErrors(w, newV31Error(http.StatusBadRequest, "mj-0008",
			fmt.Sprintf("Messages holds %d messages; at most %d are allowed.", len(*req.Messages), maxMessagesV31), "Messages"))
		return
	}

	base := requestBase(r)
	at := s.nowSecond()
	results := make([]any, 0, len(*req.Messages))
	status := http.StatusOK
	s.mu.Lock()
	for _, msg := range *req.Messages {
		if errs := s.checkV31Locked(msg); len(errs) > 0 {
			results = append(results, v31Failure{Status: "error", Errors: errs})
			status = worseV31Status(status, errs)
			continue
		}
		results = append(results, s.sendV31Locked(caller, msg, req.SandboxMode, base, at))
	}
	s.mu.Unlock()
	writeJSON(w, status, struct{ Messages []any }{results})
}

// worseV31Status folds the errors of one message into the call's status:
// 403 while every error so far is a 403, 400 as soon as one is not.
func worseV31Status(status int, errs []v31Error) int {
	for _, e := range errs {
		switch {
		case e.StatusCode != http.StatusForbidden:
			status = http.StatusBadRequest
		case status == http.StatusOK:
			status = http.StatusForbidden
		}
	}
	return status
}

// checkV31Locked lists what is wrong with msg, with the codes of the
// "Send API errors" table. Call with s.mu held (it reads the senders).
func (s *Server) checkV31Locked(msg v31Message) []v31Error {
	var errs []v31Error
	add := func(status int, code, message string, relatedTo ...string) {
		if len(errs) < maxErrorsListed {
			errs = append(errs, newV31Error(status, code, message, relatedTo...))
		}
	}
	checkAddress := func(a v31Address, field string) bool {
		switch {
		case a.Email == "":
			add(http.StatusBadRequest, "mj-0012", "An empty string is not allowed.", field) // "when an empty string value is provided" (wording inferred)
		case !validEmail(a.Email):
			// Text and ErrorRelatedTo as in the gem's send_v31_incorrect_email.yml.
			add(http.StatusBadRequest, "mj-0013", fmt.Sprintf("%q is an invalid email address.", a.Email), field)
		default:
			return true
		}
		return false
	}

	switch {
	case msg.From == nil:
		add(http.StatusBadRequest, "mj-0003", "Missing mandatory property.", "From")
	case checkAddress(*msg.From, "From.Email") && !s.authorizedSenderLocked(msg.From.Email):
		// Text, 403 and ErrorRelatedTo as in the Go SDK's TestSendMailV31 (mailjet_client_test.go).
		add(http.StatusForbidden, "send-0008", fmt.Sprintf("%q is not an authorized sender email address for your account.", msg.From.Email), "From")
	}

	switch {
	case msg.To == nil:
		add(http.StatusBadRequest, "mj-0003", "Missing mandatory property.", "To")
	case len(*msg.To) == 0:
		add(http.StatusBadRequest, "mj-0007", "To must hold at least one recipient.", "To")
	}
	seen := recipientSet{}
	for _, list := range []struct {
		name  string
		addrs []v31Address
	}{{"To", recipientList(msg.To)}, {"Cc", msg.Cc}, {"Bcc", msg.Bcc}} {
		for i, a := range list.addrs {
			if checkAddress(a, fmt.Sprintf("%s[%d].Email", list.name, i)) {
				seen.first(a.Email)
			}
		}
	}
	if len(seen) > maxRecipientsV31 {
		add(http.StatusBadRequest, "send-0015",
			fmt.Sprintf("The message has %d recipients; at most %d are allowed.", len(seen), maxRecipientsV31), "To", "Cc", "Bcc")
	}

	if msg.TextPart == "" && msg.HTMLPart == "" && msg.TemplateID == 0 {
		// Word for word from _send-api.md and the fact sheet.
		add(http.StatusBadRequest, "send-0003", `At least "HTMLPart", "TextPart" or "TemplateID" must be provided.`,
			"TextPart", "HTMLPart", "TemplateID")
	}
	if n := utf8.RuneCountInString(msg.Subject); n > maxSubjectRunes {
		add(http.StatusBadRequest, "mj-0006", fmt.Sprintf("Subject has %d characters; at most %d are allowed.", n, maxSubjectRunes), "Subject")
	}
	return errs
}

// sendV31Locked accepts msg, which passed checkV31Locked: one message per
// distinct recipient, recorded and, unless sandboxMode, counted for the
// caller's key. Call with s.mu held.
//
// In SandboxMode "the response will follow the normal response payload
// format, omitting only the MessageID and MessageUUID", and the example
// beside it answers "MessageUUID": "", "MessageID": 0 and "MessageHref":
// "https://api.mailjet.com/v3/message/0" (_send-api.md, "Sandbox Mode"):
// the sandbox answers exactly that shape, on its own host.
func (s *Server) sendV31Locked(caller keyRecord, msg v31Message, sandboxMode bool, base string, at time.Time) v31Success {
	seen := recipientSet{}
	pick := func(addrs []v31Address) []string {
		var out []string
		for _, a := range addrs {
			if seen.first(a.Email) {
				out = append(out, a.Email)
			}
		}
		return out
	}
	rec := SentMessage{API: "v3.1", KeyID: caller.ID, APIKey: caller.APIKey, From: msg.From.Email,
		To: pick(recipientList(msg.To)), Cc: pick(msg.Cc), Bcc: pick(msg.Bcc),
		Subject: msg.Subject, CustomID: msg.CustomID, SandboxMode: sandboxMode, At: at}
	if sandboxMode {
		rec.MessageIDs = make([]int64, rec.recipients())
	} else {
		rec.MessageIDs = s.newMessageIDsLocked(rec.recipients())
	}
	s.recordSentLocked(rec)

	ids := rec.MessageIDs
	answer := func(emails []string) []v31Sent {
		out := make([]v31Sent, 0, len(emails))
		for _, e := range emails {
			sent := v31Sent{Email: e, MessageHref: base + "/v3/message/0"}
			if !sandboxMode {
				sent.MessageUUID = randomUUID()
				sent.MessageID = ids[0]
				// As in the gem's send_v31.yml: <host>/v3/REST/message/<MessageID>.
				sent.MessageHref = fmt.Sprintf("%s/v3/REST/message/%d", base, ids[0])
			}
			ids = ids[1:]
			out = append(out, sent)
		}
		return out
	}
	return v31Success{Status: "success", CustomID: msg.CustomID, To: answer(rec.To), Cc: answer(rec.Cc), Bcc: answer(rec.Bcc)}
}

// writeV31DecodeError answers a payload that is not JSON of the expected
// shape. A property of the wrong type is mj-0004, naming the property's
// path and the type Mailjet expects ("Type mismatch. Expected type
// \"emailIn\"." for a From that is not an object, mailjet-apiv3-php#237;
// "array of emails" for a recipient list, _send-api.md); a Messages that
// is not an array is answered in the root shape (mailjet-apiv3-java#103).
// Anything else is mj-0002, the documented "Global Error".
func writeV31DecodeError(w http.ResponseWriter, err error) {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		message := fmt.Sprintf("Type mismatch. Expected type %q.", v31TypeName(typeErr.Type))
		if typeErr.Field == "Messages" {
			writeV31RootErrors(w, newV31Error(http.StatusBadRequest, "mj-0004", message, "Messages"))
			return
		}
		writeV31Global(w, http.StatusBadRequest, "mj-0004", message, typeErr.Field)
		return
	}
	writeV31Global(w, http.StatusBadRequest, "mj-0002", "Malformed JSON, please review the syntax and properties types.")
}

// v31TypeName is the name Mailjet gives the type a property should have.
func v31TypeName(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[v31Address](), reflect.TypeFor[*v31Address]():
		return "emailIn"
	case reflect.TypeFor[[]v31Address](), reflect.TypeFor[*[]v31Address]():
		return "array of emails"
	case reflect.TypeFor[[]v31Message](), reflect.TypeFor[*[]v31Message]():
		return "Messages"
	case reflect.TypeFor[v31Message]():
		return "Message"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "integer"
	}
	return t.Kind().String()
}

// requestBase is the scheme and host the request was sent to, for the
// MessageHref links (Mailjet's point at https://api.mailjet.com).
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// recipientList is the To list, nil when it is missing.
func recipientList(p *[]v31Address) []v31Address {
	if p == nil {
		return nil
	}
	return *p
}
