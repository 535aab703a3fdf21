package mailjet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// The Send API v3.1 (POST /v3.1/send): sources in the fact sheet
// (shared/notes/mailjet-api.md, "Send v3.1") and the sandbox's send_v31.go.

const sendPath = "/v3.1/send"

// MaxMessagesPerSend is the most messages one Send call takes.
const MaxMessagesPerSend = 50

// Address is a sender or a recipient.
type Address struct {
	Email string
	Name  string // optional
}

// Message is one email. From must be a validated sender of the account;
// at least one of TextPart and HTMLPart is needed.
type Message struct {
	From     Address
	To       []Address
	Cc, Bcc  []Address
	Subject  string
	TextPart string
	HTMLPart string
	CustomID string // echoed back in the result, and in Mailjet's events
}

// SendResult is Mailjet's answer for one message, in the order sent.
type SendResult struct {
	Status      string // "success" or "error"
	CustomID    string
	To, Cc, Bcc []Delivery     // when Status is "success"
	Errors      []MessageError // when Status is "error"
}

// OK reports whether Mailjet accepted the message.
func (r SendResult) OK() bool { return r.Status == "success" }

// Delivery is the message made for one recipient. In SandboxMode,
// Mailjet answers without MessageID and MessageUUID (0 and "").
type Delivery struct {
	Email       string
	MessageID   int64
	MessageUUID string
	MessageHref string
}

// MessageError is one reason Mailjet gives for refusing a message, or a
// whole call. Text from the server is sanitized.
type MessageError struct {
	ErrorIdentifier string
	ErrorCode       string // "send-0003", "mj-0013", …
	StatusCode      int
	ErrorMessage    string
	ErrorRelatedTo  []string // properties: "From", "To[0].Email", …
}

func (e MessageError) String() string {
	s := e.ErrorCode
	if e.ErrorMessage != "" {
		s = strings.TrimSpace(s + " " + e.ErrorMessage)
	}
	if len(e.ErrorRelatedTo) > 0 {
		s += " (" + strings.Join(e.ErrorRelatedTo, ", ") + ")"
	}
	return s
}

// SendError is a Send call that Mailjet refused in part or in whole
// (400 or 403). Refused counts the messages answered "error" (the others
// were sent); it is 0 when the call itself was refused (broken JSON, too
// many messages), and Errors then says why.
type SendError struct {
	StatusCode int
	Refused    int
	Messages   int
	Errors     []MessageError // the call's own errors, or the first refused message's
}

func (e *SendError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "send: POST %s: Mailjet answered %d (%s): ", sendPath, e.StatusCode, apicall.StatusWords(e.StatusCode))
	if e.Refused > 0 {
		fmt.Fprintf(&b, "%d of %d messages refused", e.Refused, e.Messages)
	} else {
		b.WriteString("the call was refused")
	}
	for i, me := range e.Errors {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Errors)-i)
			break
		}
		b.WriteString("; ")
		b.WriteString(me.String())
	}
	return b.String()
}

// Send sends msgs (POST /v3.1/send). With sandboxMode, Mailjet checks
// and answers as for a real send but delivers nothing.
//
// It is sent once, never retried: a repeated POST could send every email
// twice. After a network error or a 5xx the messages may have gone out.
//
// The results follow msgs. When Mailjet refuses some or all messages
// (400, 403), Send returns the results it got with a *SendError; a 401
// wraps ErrUnauthorized; any other failure is an *Error or a network
// error, without results.
func (c *Client) Send(ctx context.Context, msgs []Message, sandboxMode bool) ([]SendResult, error) {
	switch {
	case len(msgs) == 0:
		return nil, errors.New("send: no message to send")
	case len(msgs) > MaxMessagesPerSend:
		return nil, fmt.Errorf("send: %d messages; Mailjet takes at most %d per call", len(msgs), MaxMessagesPerSend)
	}
	call := apicall.Call{
		Method: http.MethodPost,
		Path:   sendPath,
		JSON:   sendRequest{Messages: toWire(msgs), SandboxMode: sandboxMode},
	}
	reply, err := c.ep.Do(ctx, call)
	if err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	switch reply.StatusCode {
	case http.StatusOK, http.StatusBadRequest, http.StatusForbidden:
	default:
		return nil, fmt.Errorf("send: %w", c.replyError(call.Method, call.Path, reply))
	}

	var body sendReply
	if err := json.Unmarshal(reply.Body, &body); err != nil {
		if reply.StatusCode == http.StatusOK {
			return nil, fmt.Errorf("send: POST %s: Mailjet's answer is not the expected JSON: %w", sendPath, err)
		}
		return nil, fmt.Errorf("send: %w", c.replyError(call.Method, call.Path, reply))
	}
	results := make([]SendResult, 0, len(body.Messages))
	refused := 0
	var firstErrors []MessageError
	for _, m := range body.Messages {
		r := SendResult{
			Status:   untrusted.Text(m.Status, 16),
			CustomID: untrusted.Text(m.CustomID, untrusted.MaxLen),
			To:       deliveries(m.To),
			Cc:       deliveries(m.Cc),
			Bcc:      deliveries(m.Bcc),
			Errors:   c.messageErrors(m.Errors),
		}
		if !r.OK() {
			refused++
			if firstErrors == nil {
				firstErrors = r.Errors
			}
		}
		results = append(results, r)
	}

	switch {
	case reply.StatusCode != http.StatusOK && len(results) == 0:
		// The whole call was refused: its errors are in Errors, or the
		// body is one error (the "Global Error" shape).
		errs := c.messageErrors(body.Errors)
		if len(errs) == 0 && (body.ErrorCode != "" || body.ErrorMessage != "") {
			errs = c.messageErrors([]messageErrorJSON{body.messageErrorJSON})
		}
		return nil, &SendError{StatusCode: reply.StatusCode, Messages: len(msgs), Errors: errs}
	case len(results) != len(msgs):
		return results, fmt.Errorf("send: POST %s: Mailjet answered %d results for %d messages", sendPath, len(results), len(msgs))
	case refused > 0 || reply.StatusCode != http.StatusOK:
		return results, &SendError{StatusCode: reply.StatusCode, Refused: refused, Messages: len(msgs), Errors: firstErrors}
	}
	return results, nil
}

// sendRequest is the v3.1 payload.
type sendRequest struct {
	Messages    []messageJSON
	SandboxMode bool
}

type addressJSON struct {
	Email string
	Name  string `json:",omitempty"`
}

type messageJSON struct {
	From     addressJSON
	To       []addressJSON
	Cc       []addressJSON `json:",omitempty"`
	Bcc      []addressJSON `json:",omitempty"`
	Subject  string        `json:",omitempty"`
	TextPart string        `json:",omitempty"`
	HTMLPart string        `json:",omitempty"`
	CustomID string        `json:",omitempty"`
}

func toWire(msgs []Message) []messageJSON {
	addrs := func(in []Address) []addressJSON {
		if len(in) == 0 {
			return nil
		}
		out := make([]addressJSON, len(in))
		for i, a := range in {
			out[i] = addressJSON(a)
		}
		return out
	}
	out := make([]messageJSON, len(msgs))
	for i, m := range msgs {
		out[i] = messageJSON{
			From: addressJSON(m.From), To: addrs(m.To), Cc: addrs(m.Cc), Bcc: addrs(m.Bcc),
			Subject: m.Subject, TextPart: m.TextPart, HTMLPart: m.HTMLPart, CustomID: m.CustomID,
		}
	}
	return out
}

// sendReply reads every shape of a v3.1 answer: per-message results,
// errors about Messages itself ({"Errors":[...],"Messages":[]}), or one
// error about the whole call.
type sendReply struct {
	Messages []struct {
		Status      string
		CustomID    string
		To, Cc, Bcc []deliveryJSON
		Errors      []messageErrorJSON
	}
	Errors []messageErrorJSON
	messageErrorJSON
}

type deliveryJSON struct {
	Email       string
	MessageID   int64
	MessageUUID string
	MessageHref string
}

type messageErrorJSON struct {
	ErrorIdentifier string
	ErrorCode       string
	StatusCode      int
	ErrorMessage    string
	ErrorRelatedTo  []string
}

func deliveries(in []deliveryJSON) []Delivery {
	if len(in) == 0 {
		return nil
	}
	out := make([]Delivery, len(in))
	for i, d := range in {
		out[i] = Delivery{
			Email:       untrusted.Text(d.Email, untrusted.MaxLen),
			MessageID:   d.MessageID,
			MessageUUID: untrusted.Text(d.MessageUUID, 64),
			MessageHref: untrusted.Text(d.MessageHref, untrusted.MaxLen),
		}
	}
	return out
}

// messageErrors sanitizes errors from the server; the message also loses
// any echo of the client's own secret.
func (c *Client) messageErrors(in []messageErrorJSON) []MessageError {
	if len(in) == 0 {
		return nil
	}
	out := make([]MessageError, len(in))
	for i, e := range in {
		related := make([]string, 0, len(e.ErrorRelatedTo))
		for _, r := range e.ErrorRelatedTo {
			related = append(related, untrusted.Text(r, 64))
		}
		out[i] = MessageError{
			ErrorIdentifier: untrusted.Text(e.ErrorIdentifier, 64),
			ErrorCode:       untrusted.Text(e.ErrorCode, 32),
			StatusCode:      e.StatusCode,
			ErrorMessage:    c.ep.ServerText(e.ErrorMessage),
			ErrorRelatedTo:  related,
		}
	}
	return out
}
