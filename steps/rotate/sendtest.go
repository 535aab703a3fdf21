package rotate

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/problem"
)

// SendCheck is what a test email with a new key showed. It holds no
// secret: it goes into the journal and the report.
type SendCheck struct {
	APIKey  string    `json:"api_key"`
	Name    string    `json:"name"`
	From    string    `json:"from,omitempty"` // the sender address used
	To      string    `json:"to,omitempty"`
	OK      bool      `json:"ok"`                // Mailjet accepted the message
	Problem string    `json:"problem,omitempty"` // why not, in plain words
	At      time.Time `json:"at"`
}

// Words says the outcome in a few words, for a screen or the report.
func (c SendCheck) Words() string {
	if c.OK {
		return "test email accepted by Mailjet's Send API (from " + c.From + ", not delivered)"
	}
	return "test email not accepted: " + c.Problem
}

// SendTest proves that r's new pair can send email: it asks Mailjet's
// Send API (v3.1) to check a message from one of the account's senders to
// to, in sandbox mode, where Mailjet validates the credentials and the
// message as for a real send but delivers nothing. Nothing changes at
// Mailjet, so it may be repeated freely.
func SendTest(ctx context.Context, api *mailjet.Client, r Result, to string, now time.Time) SendCheck {
	c := SendCheck{APIKey: r.NewKey, Name: r.Slot.Old.Name, To: to, At: now}
	if r.NewSecret.IsZero() {
		c.Problem = "this session does not hold the new secret"
		return c
	}
	client := api.WithCredentials(mailjet.Credentials{APIKey: r.NewKey, Secret: r.NewSecret})
	senders, err := client.ListSenders(ctx)
	if err != nil {
		c.Problem = "could not read the sender addresses with the new key (" + problem.Words(err) + ")"
		return c
	}
	c.From = pickSender(senders, to)
	if c.From == "" {
		c.Problem = "the account has no validated sender address to send from; add one on Mailjet's site (" + SendersPage + ") and try again"
		return c
	}
	msg := mailjet.Message{
		From:     mailjet.Address{Email: c.From},
		To:       []mailjet.Address{{Email: to}},
		Subject:  "mjrecover: test of your new API key",
		TextPart: "This message checks that the new API key " + r.NewKey + " can send. It was sent in sandbox mode: Mailjet checked it and delivered nothing.",
		CustomID: "mjrecover-test-send",
	}
	_, err = client.Send(ctx, []mailjet.Message{msg}, true)
	var refused *mailjet.SendError
	switch {
	case err == nil:
		c.OK = true
	case errors.As(err, &refused):
		c.Problem = "Mailjet refused the message: " + refusalWords(refused)
	default:
		c.Problem = problem.Words(err)
	}
	return c
}

// SendersPage is where the account's sender addresses are validated, as
// Mailjet's API guide links it ("must be validated in your Mailjet
// account", getting-started guide of the apidoc repository).
const SendersPage = "https://app.mailjet.com/account/sender"

// pickSender is the address a test email comes from: the account's own
// address if it is an active sender, else the default sender, else the
// first active one. A validated domain ("*@example.com") lends its domain
// to the account's address, or to a made-up local part: in sandbox mode
// nothing is delivered.
func pickSender(senders []mailjet.Sender, account string) string {
	var def, first, domain string
	for _, s := range senders {
		if s.Status != "Active" {
			continue
		}
		email := s.Email
		if d, ok := strings.CutPrefix(email, "*@"); ok {
			if strings.HasSuffix(strings.ToLower(account), "@"+strings.ToLower(d)) {
				return account
			}
			if domain == "" {
				domain = "mjrecover-test@" + d
			}
			continue
		}
		switch {
		case strings.EqualFold(email, account):
			return email
		case s.IsDefaultSender && def == "":
			def = email
		case first == "":
			first = email
		}
	}
	for _, e := range []string{def, first, domain} {
		if e != "" {
			return e
		}
	}
	return ""
}

// refusalWords are Mailjet's reasons for refusing a message (the client
// has cleaned them).
func refusalWords(e *mailjet.SendError) string {
	if len(e.Errors) == 0 {
		return problem.Words(e)
	}
	var parts []string
	for _, me := range e.Errors {
		if me.ErrorMessage != "" {
			parts = append(parts, me.ErrorMessage)
		} else {
			parts = append(parts, me.ErrorCode)
		}
	}
	return strings.Join(parts, "; ")
}
