package rotate

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/problem"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// SendCheck is what a test email with a new key showed. It holds no
// secret: it goes into the journal and the report.
type SendCheck struct {
	APIKey  string    `json:"api_key"`
	Name    string    `json:"name"`
	From    string    `json:"from,omitempty"` // the sender address used
	To      string    `json:"to,omitempty"`
	OK      bool      `json:"ok"`                // Mailjet accepted the message
	Problem string    `json:"problem,omitempty"` // why not, in plain English words
	At      time.Time `json:"at"`
	// What went wrong, kept so that Trouble says it in any language.
	Why     SendTrouble      `json:"why,omitempty"`
	Fault   *problem.Problem `json:"fault,omitempty"`   // Mailjet's answer (WhySenders, WhyError, a WhyRefused without reasons)
	Refusal string           `json:"refusal,omitempty"` // Mailjet's own reasons (WhyRefused)
}

// SendTrouble is why a test email was not accepted.
type SendTrouble string

const (
	WhyNoSecret SendTrouble = "no-secret" // this session does not hold the new secret
	WhySenders  SendTrouble = "senders"   // the sender addresses could not be read
	WhyNoSender SendTrouble = "no-sender" // the account has no validated sender
	WhyRefused  SendTrouble = "refused"   // Mailjet refused the message
	WhyError    SendTrouble = "error"     // the call failed
)

// Words says the outcome in a few words, in p's language (nil: English),
// for a screen or the report.
func (c SendCheck) Words(p *lang.Printer) string { return p.Say(c.Msg()) }

// Msg is Words as a message, to be said later.
func (c SendCheck) Msg() lang.Message {
	if c.OK {
		return lang.Msg("test email accepted by Mailjet's Send API (from %s, not delivered)", c.From)
	}
	return lang.Msg("test email not accepted: %s", c.trouble())
}

// Trouble says why the test email was not accepted, in p's language (nil:
// English): Problem, said again from what the check kept.
func (c SendCheck) Trouble(p *lang.Printer) string { return p.Say(c.trouble()) }

func (c SendCheck) trouble() lang.Message {
	fault := lang.Msg("Mailjet gave no clear answer")
	if c.Fault != nil {
		fault = FaultMsg(*c.Fault)
	}
	switch c.Why {
	case WhyNoSecret:
		return lang.Msg("this session does not hold the new secret")
	case WhySenders:
		return lang.Msg("could not read the sender addresses with the new key (%s)", fault)
	case WhyNoSender:
		return lang.Msg("the account has no validated sender address to send from; add one on Mailjet's site (%s) and try again", SendersPage)
	case WhyRefused:
		if c.Refusal != "" {
			return lang.Msg("Mailjet refused the message: %s", c.Refusal)
		}
		return lang.Msg("Mailjet refused the message: %s", fault)
	case WhyError:
		return fault
	}
	return lang.Kept(c.Problem) // from an older journal
}

// SendTest proves that r's new pair can send email: it asks Mailjet's
// Send API (v3.1) to check a message from one of the account's senders to
// to, in sandbox mode, where Mailjet validates the credentials and the
// message as for a real send but delivers nothing. Nothing changes at
// Mailjet, so it may be repeated freely.
func SendTest(ctx context.Context, api *mailjet.Client, r Result, to string, now time.Time) SendCheck {
	c := SendCheck{APIKey: r.NewKey, Name: r.Slot.Old.Name, To: to, At: now}
	if r.NewSecret.IsZero() {
		c.Why = WhyNoSecret
		c.Problem = c.Trouble(nil)
		return c
	}
	client := api.WithCredentials(mailjet.Credentials{APIKey: r.NewKey, Secret: r.NewSecret})
	senders, err := client.ListSenders(ctx)
	if err != nil {
		c.Why, c.Fault = WhySenders, fault(err)
		c.Problem = c.Trouble(nil)
		return c
	}
	c.From = pickSender(senders, to)
	if c.From == "" {
		c.Why = WhyNoSender
		c.Problem = c.Trouble(nil)
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
		c.Why, c.Refusal = WhyRefused, refusalWords(refused)
		if c.Refusal == "" {
			c.Fault = fault(refused)
		}
		c.Problem = c.Trouble(nil)
	default:
		c.Why, c.Fault = WhyError, fault(err)
		c.Problem = c.Trouble(nil)
	}
	return c
}

func fault(err error) *problem.Problem {
	p := problem.Of(err)
	return &p
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
// has cleaned them), "" when it gave none.
func refusalWords(e *mailjet.SendError) string {
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
