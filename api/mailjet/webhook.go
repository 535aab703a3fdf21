package mailjet

import (
	"context"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// EventCallback is an event webhook (the eventcallbackurl resource):
// Mailjet POSTs every event of EventType (sent, open, click, bounce,
// blocked, spam, unsub) to URL.
type EventCallback struct {
	ID        int64
	EventType string
	URL       string
	Status    string // "alive" or "dead"
	IsBackup  bool
	APIKeyID  int64
	Version   int
}

type eventCallbackJSON struct {
	ID        int64
	EventType string
	URL       string `json:"Url"`
	Status    string
	IsBackup  bool
	APIKeyID  flexInt
	Version   flexInt
}

// maxURLLen bounds URLs taken from Mailjet's answers.
const maxURLLen = 500

const eventCallbackPath = "/v3/REST/eventcallbackurl"

// ListEventCallbacks reads every page of GET /v3/REST/eventcallbackurl:
// the webhooks of the key the client authenticates with.
func (c *Client) ListEventCallbacks(ctx context.Context) ([]EventCallback, error) {
	raw, err := listAll[eventCallbackJSON](ctx, c, eventCallbackPath, nil, "event webhooks", maxListed)
	if err != nil {
		return nil, err
	}
	out := make([]EventCallback, 0, len(raw))
	for _, w := range raw {
		out = append(out, EventCallback{
			ID:        w.ID,
			EventType: untrusted.Text(w.EventType, 32),
			URL:       untrusted.Text(w.URL, maxURLLen),
			Status:    untrusted.Text(w.Status, 32),
			IsBackup:  w.IsBackup,
			APIKeyID:  int64(w.APIKeyID),
			Version:   int(w.Version),
		})
	}
	return out, nil
}

// DeleteEventCallback deletes a webhook (DELETE /v3/REST/eventcallbackurl/{ID}).
// It is retried like a GET and succeeds when the webhook is already gone;
// see deleteByID.
func (c *Client) DeleteEventCallback(ctx context.Context, id int64) error {
	return c.deleteByID(ctx, eventCallbackPath, id, "event webhook")
}
