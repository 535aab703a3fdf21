package mailjet

import (
	"context"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// Sender is a sender address or domain (the sender resource). Email is
// "name@domain" for an address, "*@domain" for a whole domain.
type Sender struct {
	ID              int64
	Email           string
	Name            string
	Status          string // "Active", "Inactive" (not validated yet) or "Deleted"
	EmailType       string // "transactional", "bulk" or "unknown"
	IsDefaultSender bool
	DNSID           int64
	CreatedAt       time.Time
}

type senderJSON struct {
	ID              int64
	Email           string
	Name            string
	Status          string
	EmailType       string
	IsDefaultSender bool
	DNSID           flexInt
	CreatedAt       flexTime
}

const senderPath = "/v3/REST/sender"

// ListSenders reads every page of GET /v3/REST/sender (deleted senders
// are not listed).
func (c *Client) ListSenders(ctx context.Context) ([]Sender, error) {
	raw, err := listAll[senderJSON](ctx, c, senderPath, nil, "senders", maxListed)
	if err != nil {
		return nil, err
	}
	out := make([]Sender, 0, len(raw))
	for _, s := range raw {
		out = append(out, Sender{
			ID:              s.ID,
			Email:           untrusted.Text(s.Email, 254),
			Name:            untrusted.Text(s.Name, untrusted.MaxLen),
			Status:          untrusted.Text(s.Status, 32),
			EmailType:       untrusted.Text(s.EmailType, 32),
			IsDefaultSender: s.IsDefaultSender,
			DNSID:           int64(s.DNSID),
			CreatedAt:       s.CreatedAt.Time,
		})
	}
	return out, nil
}

// DeleteSender deletes a sender (DELETE /v3/REST/sender/{ID}); Mailjet
// keeps it with the status "Deleted". It is retried like a GET and
// succeeds when the sender is already gone; see deleteByID.
func (c *Client) DeleteSender(ctx context.Context, id int64) error {
	return c.deleteByID(ctx, senderPath, id, "sender")
}
