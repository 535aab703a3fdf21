package mailjet

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// KeyTotals are the counters of one API key since its creation (the
// apikeytotals resource). Mailjet gives them only for the key the request
// authenticates with.
type KeyTotals struct {
	Processed      int64
	Delivered      int64
	Queued         int64 // QueuedCount of the Go SDK's struct; Mailjet's 2021 answer has none
	PreQueued      int64
	Deferred       int64
	Blocked        int64
	Bounced        int64 // hard and soft
	HardBounced    int64
	SoftBounced    int64
	SpamComplaints int64
	Opened         int64
	Clicked        int64
	Unsubscribed   int64
	LastActivity   time.Time // zero when the key never sent anything
}

// keyTotalsJSON has the fields of Mailjet's 2021 recording (mailjet-gem
// Mailjet_Resource/apikeytotals) and QueuedCount, which the Go SDK
// declares.
type keyTotalsJSON struct {
	ProcessedCount     flexInt
	DeliveredCount     flexInt
	QueuedCount        flexInt
	PreQueuedCount     flexInt
	DeferredCount      flexInt
	BlockedCount       flexInt
	BouncedCount       flexInt
	HardBouncedCount   flexInt
	SoftBouncedCount   flexInt
	SpamcomplaintCount flexInt
	OpenedCount        flexInt
	ClickedCount       flexInt
	UnsubscribedCount  flexInt
	LastActivity       flexInt // Unix time; 0 for never
}

const keyTotalsPath = "/v3/REST/apikeytotals"

// APIKeyTotals reads GET /v3/REST/apikeytotals for the client's key.
func (c *Client) APIKeyTotals(ctx context.Context) (KeyTotals, error) {
	env, err := getPage[keyTotalsJSON](ctx, c, keyTotalsPath, nil)
	if err != nil {
		return KeyTotals{}, fmt.Errorf("read the key's totals: %w", err)
	}
	if len(env.Data) == 0 {
		return KeyTotals{}, nil // a key that never sent may have no row
	}
	t := env.Data[0]
	out := KeyTotals{
		Processed:      int64(t.ProcessedCount),
		Delivered:      int64(t.DeliveredCount),
		Queued:         int64(t.QueuedCount),
		PreQueued:      int64(t.PreQueuedCount),
		Deferred:       int64(t.DeferredCount),
		Blocked:        int64(t.BlockedCount),
		Bounced:        int64(t.BouncedCount),
		HardBounced:    int64(t.HardBouncedCount),
		SoftBounced:    int64(t.SoftBouncedCount),
		SpamComplaints: int64(t.SpamcomplaintCount),
		Opened:         int64(t.OpenedCount),
		Clicked:        int64(t.ClickedCount),
		Unsubscribed:   int64(t.UnsubscribedCount),
	}
	if t.LastActivity > 0 {
		out.LastActivity = time.Unix(int64(t.LastActivity), 0).UTC()
	}
	return out, nil
}

// DayCounts are one day of a key's sending, counted by the day the
// messages were sent (statcounters, CounterTiming=Message).
type DayCounts struct {
	Day         time.Time // start of the day, as Mailjet slices it
	Total       int64     // messages processed
	Sent        int64     // delivered to the recipient's server
	Blocked     int64
	SoftBounced int64
	HardBounced int64
	Spam        int64 // marked as spam by recipients
	Deferred    int64
}

type statCounterJSON struct {
	Timeslice               flexTime
	Total                   flexInt
	MessageSentCount        flexInt
	MessageBlockedCount     flexInt
	MessageSoftBouncedCount flexInt
	MessageHardBouncedCount flexInt
	MessageSpamCount        flexInt
	MessageDeferredCount    flexInt
}

const statCountersPath = "/v3/REST/statcounters"

// maxStatDays bounds the period of DailySending.
const maxStatDays = 366

// DailySending reads the client key's sending per day from from to to
// (GET /v3/REST/statcounters with CounterSource=APIKey,
// CounterTiming=Message, CounterResolution=Day). Days are in the order
// Mailjet gives them.
func (c *Client) DailySending(ctx context.Context, from, to time.Time) ([]DayCounts, error) {
	if !to.After(from) {
		return nil, fmt.Errorf("read daily sending: the period ends before it starts")
	}
	if to.Sub(from) > maxStatDays*24*time.Hour {
		return nil, fmt.Errorf("read daily sending: at most %d days at a time", maxStatDays)
	}
	query := url.Values{
		"CounterSource":     {"APIKey"},
		"CounterTiming":     {"Message"},
		"CounterResolution": {"Day"},
		"FromTS":            {strconv.FormatInt(from.Unix(), 10)},
		"ToTS":              {strconv.FormatInt(to.Unix(), 10)},
	}
	raw, err := listAll[statCounterJSON](ctx, c, statCountersPath, query, "daily sending counts", maxListed)
	if err != nil {
		return nil, err
	}
	out := make([]DayCounts, 0, len(raw))
	for _, r := range raw {
		out = append(out, DayCounts{
			Day:         r.Timeslice.Time,
			Total:       int64(r.Total),
			Sent:        int64(r.MessageSentCount),
			Blocked:     int64(r.MessageBlockedCount),
			SoftBounced: int64(r.MessageSoftBouncedCount),
			HardBounced: int64(r.MessageHardBouncedCount),
			Spam:        int64(r.MessageSpamCount),
			Deferred:    int64(r.MessageDeferredCount),
		})
	}
	return out, nil
}
