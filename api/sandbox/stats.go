package sandbox

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// keyTotalsJSON is the apikeytotals entry with the fields of Mailjet's
// 2021 recording (mailjet-gem Mailjet_Resource/apikeytotals). The Go
// SDK's struct has QueuedCount where the recording has PreQueuedCount;
// the sandbox answers what Mailjet answered.
type keyTotalsJSON struct {
	BlockedCount        int64
	BouncedCount        int64
	ClickedCount        int64
	DeferredCount       int64
	DeliveredCount      int64
	HardBouncedCount    int64
	LastActivity        int64 // Unix time, 0 for never
	OpenedCount         int64
	PreQueuedCount      int64
	ProcessedCount      int64
	SoftBouncedCount    int64
	SpamcomplaintCount  int64
	UnsubscribedCount   int64
	WorkFlowExitedCount int64
}

// serveKeyTotals answers GET /v3/REST/apikeytotals: the counters of the
// key the request authenticates with, since its creation, as a listing
// of one.
func (s *Server) serveKeyTotals(w http.ResponseWriter, r *http.Request, caller keyRecord, rest []string) {
	if len(rest) > 0 {
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		return
	}
	if r.Method != http.MethodGet {
		methodNotAllowed(w, []string{http.MethodGet})
		return
	}
	now := s.now()
	s.mu.Lock()
	p := s.usage[caller.ID]
	s.mu.Unlock()
	sum := p.lifetime(now)
	out := keyTotalsJSON{
		BlockedCount:       sum.blocked,
		BouncedCount:       sum.hardBounced + sum.softBounced,
		ClickedCount:       sum.clicked(),
		DeliveredCount:     sum.sent,
		HardBouncedCount:   sum.hardBounced,
		OpenedCount:        sum.opened(),
		ProcessedCount:     sum.total,
		SoftBouncedCount:   sum.softBounced,
		SpamcomplaintCount: sum.spam,
		UnsubscribedCount:  sum.unsubscribed(),
	}
	if last := p.lastActivity(now); !last.IsZero() {
		out.LastActivity = last.Unix()
	}
	serveList(w, r, []keyTotalsJSON{out}, nil, nil)
}

// statCounterJSON is a statcounters entry: the 22 fields of the node
// SDK's Statistic.ts (StatCounter), as in mailjet-gem's recording
// Mailjet_Statcounters/_all/returns_all_records.
type statCounterJSON struct {
	APIKeyID                   int64
	EventClickDelay            int64
	EventClickedCount          int64
	EventOpenDelay             int64
	EventOpenedCount           int64
	EventSpamCount             int64
	EventUnsubscribedCount     int64
	EventWorkflowExitedCount   int64
	MessageBlockedCount        int64
	MessageClickedCount        int64
	MessageDeferredCount       int64
	MessageHardBouncedCount    int64
	MessageOpenedCount         int64
	MessageQueuedCount         int64
	MessageSentCount           int64
	MessageSoftBouncedCount    int64
	MessageSpamCount           int64
	MessageUnsubscribedCount   int64
	MessageWorkFlowExitedCount int64
	SourceID                   int64
	Timeslice                  string
	Total                      int64
}

// statRow is one slice of a key's counters. In the sandbox's model every
// event happens on the day its message was sent, once per message, so
// the Event counts equal the Message ones and CounterTiming changes
// nothing. Delays, deferrals, queues and workflows are not modelled: 0.
func statRow(keyID int64, slice string, d dayCounts) statCounterJSON {
	return statCounterJSON{
		APIKeyID:                 keyID,
		SourceID:                 keyID,
		Timeslice:                slice,
		Total:                    d.total,
		MessageSentCount:         d.sent,
		MessageBlockedCount:      d.blocked,
		MessageHardBouncedCount:  d.hardBounced,
		MessageSoftBouncedCount:  d.softBounced,
		MessageSpamCount:         d.spam,
		MessageOpenedCount:       d.opened(),
		MessageClickedCount:      d.clicked(),
		MessageUnsubscribedCount: d.unsubscribed(),
		EventOpenedCount:         d.opened(),
		EventClickedCount:        d.clicked(),
		EventSpamCount:           d.spam,
		EventUnsubscribedCount:   d.unsubscribed(),
	}
}

// Bounds of a request with slices (no source gives Mailjet's).
const (
	maxStatDays  = 366
	maxStatHours = 31 * 24
)

// serveStatCounters answers GET /v3/REST/statcounters. CounterSource
// (APIKey, Campaign, List, Sender), CounterTiming (Message, Event) and
// CounterResolution (Highest, Hour, Day, Lifetime) are required (node
// Statistic.ts); SourceID is optional (the gem sends "SourceId": filter
// names are case-insensitive anyway).
//
//   - APIKey: the authenticated key's counters only, as on Mailjet (its
//     ID by default; another key's ID gets no rows).
//   - Campaign, List, Sender: no rows. The demo account has no campaigns
//     or lists, and the sandbox does not record which sender sent what.
//   - Lifetime is one row with an empty Timeslice (as recorded); Day and
//     Hour are one row per slice from FromTS to ToTS (Unix or RFC 3339).
//     The sandbox's history is by day: an hour gets an even share of its
//     day. Highest is taken as Hour, the sandbox's finest slice (no
//     source says what Mailjet's finest is).
func (s *Server) serveStatCounters(w http.ResponseWriter, r *http.Request, caller keyRecord, rest []string) {
	if len(rest) > 0 {
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		return
	}
	if r.Method != http.MethodGet {
		methodNotAllowed(w, []string{http.MethodGet})
		return
	}
	q := filtersOf(r)
	rows, err := s.statRows(q, caller)
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	serveList(w, r, rows, nil, sortKeys[statCounterJSON]{
		"timeslice": by(func(c statCounterJSON) string { return c.Timeslice }),
	})
}

// statRows computes the rows q asks for.
func (s *Server) statRows(q query, caller keyRecord) ([]statCounterJSON, error) {
	if q.get("CounterSource") == "" || q.get("CounterTiming") == "" || q.get("CounterResolution") == "" {
		return nil, errors.New("CounterSource, CounterTiming and CounterResolution are required")
	}
	source, err := oneOf(q, "CounterSource", "APIKey", "Campaign", "List", "Sender")
	if err != nil {
		return nil, err
	}
	if _, err := oneOf(q, "CounterTiming", "Message", "Event"); err != nil {
		return nil, err
	}
	resolution, err := oneOf(q, "CounterResolution", "Highest", "Hour", "Day", "Lifetime")
	if err != nil {
		return nil, err
	}
	var from, to time.Time
	if resolution != "Lifetime" {
		if from, to, err = statPeriod(q, resolution); err != nil {
			return nil, err
		}
	}
	sourceID, err := q.count("SourceID", 0)
	if err != nil {
		return nil, err
	}
	if source != "APIKey" || (sourceID != 0 && int64(sourceID) != caller.ID) {
		return nil, nil
	}

	now := s.now()
	s.mu.Lock()
	p := s.usage[caller.ID]
	s.mu.Unlock()
	var rows []statCounterJSON
	switch resolution {
	case "Lifetime":
		rows = []statCounterJSON{statRow(caller.ID, "", p.lifetime(now))}
	case "Day":
		for day := startOfDay(from); day.Before(to); day = day.AddDate(0, 0, 1) {
			rows = append(rows, statRow(caller.ID, day.Format(time.RFC3339), p.on(day)))
		}
	default: // Hour, Highest
		for hour := from.Truncate(time.Hour); hour.Before(to); hour = hour.Add(time.Hour) {
			rows = append(rows, statRow(caller.ID, hour.Format(time.RFC3339), p.onHour(hour)))
		}
	}
	return rows, nil
}

// statPeriod reads FromTS and ToTS, required for sliced resolutions.
func statPeriod(q query, resolution string) (from, to time.Time, err error) {
	from, errFrom := timeParam(q, "FromTS")
	to, errTo := timeParam(q, "ToTS")
	if errFrom != nil || errTo != nil || from.IsZero() || to.IsZero() || !to.After(from) {
		return from, to, errors.New("FromTS and ToTS are required, with FromTS before ToTS")
	}
	longest := maxStatHours * time.Hour
	if resolution == "Day" {
		longest = maxStatDays * 24 * time.Hour
	}
	if to.Sub(from) > longest {
		return from, to, errors.New("The period is too long for this resolution")
	}
	return from, to, nil
}

// oneOf reads filter name, one of allowed in any case, and returns it as
// allowed spells it.
func oneOf(q query, name string, allowed ...string) (string, error) {
	v := q.get(name)
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return a, nil
		}
	}
	return "", errParam(name)
}

// timeParam reads a Unix timestamp or an RFC 3339 date; absent is zero.
func timeParam(q query, name string) (time.Time, error) {
	v := q.get(name)
	if v == "" {
		return time.Time{}, nil
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		return time.Unix(n, 0).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, errParam(name)
	}
	return t.UTC(), nil
}
