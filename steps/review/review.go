// Package review looks, read-only, at what an attacker may have left in
// the Mailjet account besides the leaked keys, and acts on it where the
// API allows, after the user confirms:
//
//   - event webhooks and inbound parse routes that send data to a site
//     that is not one of the customer's (delete);
//   - sender addresses added since the leak or on a domain that is not
//     theirs (delete);
//   - sub-account keys created since the leak, or that nobody has used for
//     months (turn off);
//   - a spike in sending since the leak (reported: nothing to undo).
//
// It also checks whether an old key and secret still log in to Mailjet's
// SMTP server (CheckSMTPLogin), which keeps accepting an old secret for
// about an hour after a reset.
//
// "The customer's own domains" are the domain of the account's email
// address (unless it is a free mail provider), the domains of sender
// addresses that were active before the leak started, and any the caller
// adds (DomainsInFiles reads them from the app's settings). A URL counts as
// the customer's when its registrable domain (example.co.uk for
// www.example.co.uk) is one of them.
//
// Call order: ReadKeyUsage before rotating the keys (afterwards the old
// sub-account keys are off and their usage can no longer be read), Run
// after it, Act on the items the user confirms, Lines for the report.
package review

import (
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// Area is what part of the account an item is about.
type Area string

const (
	AreaWebhook    Area = "Event webhook"
	AreaParseRoute Area = "Inbound parse route"
	AreaSender     Area = "Sender address"
	AreaAPIKey     Area = "API key"
	AreaSending    Area = "Sending"
	AreaSMTP       Area = "SMTP login"
)

// Words names the area in p's language (nil: English); the Area itself
// stays English, for the journal and the report's JSON.
func (a Area) Words(p *lang.Printer) string { return p.Say(a.Msg()) }

// areaOrder lists areas in the order a review shows them.
var areaOrder = []Area{AreaWebhook, AreaParseRoute, AreaSender, AreaAPIKey, AreaSending, AreaSMTP}

// Verdict says how worried to be about an item.
type Verdict int

const (
	Suspicious Verdict = iota // likely left by the attacker
	Check                     // worth a look: the user knows best
	OK                        // nothing to do
)

// String returns "suspicious", "check" or "ok".
func (v Verdict) String() string {
	switch v {
	case Suspicious:
		return "suspicious"
	case Check:
		return "check"
	case OK:
		return "ok"
	}
	return "unknown"
}

// Words says the verdict in p's language (nil: English): "suspicious",
// "worth a look", "fine".
func (v Verdict) Words(p *lang.Printer) string {
	switch v {
	case Suspicious:
		return p.T("suspicious")
	case Check:
		return p.T("worth a look")
	case OK:
		return p.T("fine")
	}
	return p.T("unknown")
}

// Action is what Act can do about an item.
type Action int

const (
	NoAction         Action = iota // the API cannot act, or nothing needs doing
	DeleteWebhook                  // DELETE /v3/REST/eventcallbackurl/{ID}
	DeleteParseRoute               // DELETE /v3/REST/parseroute/{ID}
	DeleteSender                   // DELETE /v3/REST/sender/{ID}
	DeactivateKey                  // PUT /v3/REST/apikey/{ID} {"IsActive": false}
)

// String says what the action does, in plain words ("Delete the webhook").
func (a Action) String() string { return a.Words(nil) }

// Words says what the action does in p's language (nil: English).
func (a Action) Words(p *lang.Printer) string {
	switch a {
	case DeleteWebhook:
		return p.T("Delete the webhook")
	case DeleteParseRoute:
		return p.T("Delete the parse route")
	case DeleteSender:
		return p.T("Delete the sender address")
	case DeactivateKey:
		return p.T("Turn the key off")
	}
	return p.T("Nothing to do")
}

// Item is one thing the review found. Its words are messages: a screen
// says them in the customer's language (Input.Lang's printer), Line gives
// them in English for the journal and the report's JSON, with the
// messages for the report's Markdown.
type Item struct {
	Area      Area
	Verdict   Verdict
	Title     lang.Message // one short line: "Webhook to collect.mailstat-cdn.example"
	Explain   lang.Message // what it is and why it matters, in plain words
	Recommend lang.Message // what to do, in plain words
	Action    Action       // what Act can do; NoAction when the API cannot
	TargetID  int64        // the webhook, route, sender or key to act on
	Done      bool         // Act did it
	Result    lang.Message // what Act did, in plain words
	// At is when it began, when the account says: the first day of a
	// sending spike, the creation of a sender or key made after the leak
	// began. Zero otherwise. The report's timeline uses it.
	At time.Time

	keyID int64         // the API key whose webhook or route this is; 0 for the client's own
	lang  *lang.Printer // the customer's language, for Act's errors
}

// CanAct reports whether Act can do something about the item now.
func (it Item) CanAct() bool { return it.Action != NoAction && !it.Done }

// Problem is a part of the account that could not be read.
type Problem struct {
	Area Area
	Text lang.Message // plain words
}

// Review is what Run found.
type Review struct {
	Items      []Item    // suspicious first, then worth a look, then fine
	OwnDomains []string  // the customer's domains, as the review understood them
	Problems   []Problem // what could not be read
	Since      time.Time // the start of the period under suspicion
	CheckedAt  time.Time
}

// Open counts the items of verdict v not acted on yet.
func (r Review) Open(v Verdict) int {
	n := 0
	for _, it := range r.Items {
		if it.Verdict == v && !it.Done {
			n++
		}
	}
	return n
}

// Count returns how many items have verdict v.
func (r Review) Count(v Verdict) int {
	n := 0
	for _, it := range r.Items {
		if it.Verdict == v {
			n++
		}
	}
	return n
}
