package sandbox

import "time"

// The demo account's other doors: what an attacker left behind, next to
// the customer's own settings, so the account review has something to
// show. IDs and addresses are fixed; dates are relative to when the
// sandbox starts (see seedReview).
const (
	DemoWebhookOwnID      = 3001
	DemoWebhookOwnURL     = "https://lafleur-bakery.example/wp-json/lafleur-orders/v1/mailjet-events"
	DemoWebhookForeignID  = 3002
	DemoWebhookForeignURL = "https://collect.mailstat-cdn.example/hook"

	DemoParseRouteOwnID      = 4001
	DemoParseRouteOwnURL     = "https://orders.lafleur-bakery.example/inbound-mail"
	DemoParseRouteForeignID  = 4002
	DemoParseRouteForeignURL = "https://inbox-relay.example.net/mj/inbound"

	DemoSenderUnknownID    = 5004
	DemoSenderUnknownEmail = "billing@lafleur-payments.example"

	// DemoUnusedKeyID is the sub-account key that has sent nothing for
	// more than a year: the "Newsletter" key.
	DemoUnusedKeyID = DemoNewsletterID
)

// The demo's timeline, back from when the sandbox starts.
const (
	demoDisabledAgo      = 36 * time.Hour       // Mailjet switched the account off
	demoSpikeFirstDayAgo = 6                    // days: the spam run started
	demoSpikeLastDayAgo  = 3                    // days: the spam run's last day
	demoSpikePerDay      = 18_400               // emails a day during the spam run
	demoUnknownSenderAgo = 5 * 24 * time.Hour   // the attacker added a sender
	demoNewsletterIdle   = 420 * 24 * time.Hour // the Newsletter key's last sending
)

// demoDNSID is the DNSID of the customer's domain; the attacker's domain
// has the next.
const demoDNSID = 6001

// webhookRecord is one eventcallbackurl entry.
type webhookRecord struct {
	ID        int64
	APIKeyID  int64
	EventType string
	URL       string
	Status    string
	IsBackup  bool
	Version   int
}

// parseRouteRecord is one parseroute entry.
type parseRouteRecord struct {
	ID       int64
	APIKeyID int64
	Email    string
	URL      string
}

// senderRecord is one sender entry. Deleting sets Status "Deleted".
// Senders on one domain share its DNSID.
type senderRecord struct {
	ID              int64
	Email           string
	Name            string
	Status          string
	EmailType       string
	IsDefaultSender bool
	CreatedAt       time.Time
	DNSID           int64
}

// seedReview adds the webhooks, parse routes, senders and sending history
// of the demo account. t0 is the sandbox's start.
func (s *Server) seedReview(t0 time.Time) {
	date := func(v string) time.Time {
		t, _ := time.Parse(time.RFC3339, v)
		return t
	}
	s.webhooks = []*webhookRecord{
		{ID: DemoWebhookOwnID, APIKeyID: DemoMasterID, EventType: "bounce", URL: DemoWebhookOwnURL, Status: "alive", Version: 2},
		{ID: DemoWebhookForeignID, APIKeyID: DemoMasterID, EventType: "sent", URL: DemoWebhookForeignURL, Status: "alive", Version: 2},
	}
	// Mailjet gives a key one address on its parse domain: the attacker
	// took it; the customer's route receives on their own subdomain.
	s.parseRoutes = []*parseRouteRecord{
		{ID: DemoParseRouteOwnID, APIKeyID: DemoMasterID, Email: "inbound@orders.lafleur-bakery.example", URL: DemoParseRouteOwnURL},
		{ID: DemoParseRouteForeignID, APIKeyID: DemoMasterID, Email: "replies-7f3k2@parse-in1.mailjet.com", URL: DemoParseRouteForeignURL},
	}
	s.senders = []*senderRecord{
		{ID: 5001, Email: "shop@lafleur-bakery.example", Name: "La Fleur Bakery", Status: "Active",
			EmailType: "transactional", IsDefaultSender: true, CreatedAt: date("2021-03-14T09:41:20Z"), DNSID: demoDNSID},
		{ID: 5002, Email: "orders@lafleur-bakery.example", Name: "La Fleur Orders", Status: "Active",
			EmailType: "transactional", CreatedAt: date("2022-06-02T14:12:45Z"), DNSID: demoDNSID},
		{ID: 5003, Email: "news@lafleur-bakery.example", Name: "La Fleur Bakery", Status: "Active",
			EmailType: "bulk", CreatedAt: date("2023-01-19T08:50:03Z"), DNSID: demoDNSID},
		{ID: DemoSenderUnknownID, Email: DemoSenderUnknownEmail, Name: "La Fleur Billing", Status: "Active",
			EmailType: "transactional", CreatedAt: t0.Add(-demoUnknownSenderAgo).Truncate(time.Second), DNSID: demoDNSID + 1},
	}
	disabled := t0.Add(-demoDisabledAgo).Truncate(time.Second)
	day := startOfDay(t0)
	s.usage = map[int64]usageProfile{
		DemoMasterID: {
			from: date("2021-03-15T00:00:00Z"), last: disabled, perDay: 120,
			spikeFrom: day.AddDate(0, 0, -demoSpikeFirstDayAgo), spikeTo: day.AddDate(0, 0, -demoSpikeLastDayAgo),
			spikePerDay: demoSpikePerDay,
		},
		DemoShopID: {from: date("2022-06-03T00:00:00Z"), last: disabled.Add(-3 * time.Hour), perDay: 35},
		DemoNewsletterID: {
			from: date("2023-01-20T00:00:00Z"), last: t0.Add(-demoNewsletterIdle).Truncate(time.Second),
			perDay: 640, weekly: true,
		},
	}
	s.nextObjectID = 9001
}

// senderByID returns the sender with id, or nil. Call with s.mu held.
func (s *Server) senderByID(id int64) *senderRecord {
	for _, r := range s.senders {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// newObjectID returns the next ID for a created webhook, parse route or
// sender. Call with s.mu held.
func (s *Server) newObjectID() int64 {
	id := s.nextObjectID
	s.nextObjectID++
	return id
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
