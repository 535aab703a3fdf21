package sandbox

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// keyTotalsJSON is the apikeytotals entry.
type keyTotalsJSON struct {
	BlockedCount       int64
	BouncedCount       int64
	ClickedCount       int64
	DeliveredCount     int64
	LastActivity       int64 // Unix time, 0 for never
	OpenedCount        int64
	ProcessedCount     int64
	QueuedCount        int64
	SpamcomplaintCount int64
	UnsubscribedCount  int64
}

// serveKeyTotals answers GET /v3/REST/apikeytotals: the counters of the
// key the request authenticates with, since its creation.
func (s *Server) serveKeyTotals(w http.ResponseWriter, r *http.Request, caller keyRecord, rest []string) {
	if len(rest) > 0 {
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		return
	}
	if r.Method != http.MethodGet {
		setAllow(w, http.MethodGet)
		writeMailjetError(w, http.StatusMethodNotAllowed, "", "Method not allowed")
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
		ClickedCount:       sum.sent * 4 / 100,
		DeliveredCount:     sum.sent,
		OpenedCount:        sum.sent * 35 / 100,
		ProcessedCount:     sum.total,
		SpamcomplaintCount: sum.spam,
		UnsubscribedCount:  sum.sent * 2 / 1000,
	}
	if last := p.lastActivity(now); !last.IsZero() {
		out.LastActivity = last.Unix()
	}
	writeEnvelope(w, http.StatusOK, []keyTotalsJSON{out}, 1)
}

// statCounterJSON is a statcounters entry.
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

func statRow(keyID int64, slice string, d dayCounts) statCounterJSON {
	return statCounterJSON{
		APIKeyID:                keyID,
		SourceID:                keyID,
		Timeslice:               slice,
		Total:                   d.total,
		MessageSentCount:        d.sent,
		MessageBlockedCount:     d.blocked,
		MessageHardBouncedCount: d.hardBounced,
		MessageSoftBouncedCount: d.softBounced,
		MessageSpamCount:        d.spam,
		MessageOpenedCount:      d.sent * 35 / 100,
		MessageClickedCount:     d.sent * 4 / 100,
	}
}

// maxStatDays bounds a Day-resolution request.
const maxStatDays = 366

// serveStatCounters answers GET /v3/REST/statcounters for
// CounterSource=APIKey (the authenticated key only, as on Mailjet) with
// CounterResolution Day (one row per day from FromTS to ToTS, Unix or
// RFC 3339) or Lifetime. Other sources answer an empty list.
func (s *Server) serveStatCounters(w http.ResponseWriter, r *http.Request, caller keyRecord, rest []string) {
	if len(rest) > 0 {
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		return
	}
	if r.Method != http.MethodGet {
		setAllow(w, http.MethodGet)
		writeMailjetError(w, http.StatusMethodNotAllowed, "", "Method not allowed")
		return
	}
	q := r.URL.Query()
	source, timing, resolution := q.Get("CounterSource"), q.Get("CounterTiming"), q.Get("CounterResolution")
	switch {
	case source == "" || timing == "" || resolution == "":
		writeMailjetError(w, http.StatusBadRequest, "", "CounterSource, CounterTiming and CounterResolution are required")
		return
	case !strings.EqualFold(timing, "Message") && !strings.EqualFold(timing, "Event"):
		writeMailjetError(w, http.StatusBadRequest, "", errParam("CounterTiming").Error())
		return
	}
	if !strings.EqualFold(source, "APIKey") {
		writeEnvelope(w, http.StatusOK, []statCounterJSON{}, 0)
		return
	}
	if id := q.Get("SourceID"); id != "" && id != strconv.FormatInt(caller.ID, 10) {
		writeEnvelope(w, http.StatusOK, []statCounterJSON{}, 0)
		return
	}
	now := s.now()
	s.mu.Lock()
	p := s.usage[caller.ID]
	s.mu.Unlock()

	var rows []statCounterJSON
	switch {
	case strings.EqualFold(resolution, "Lifetime"):
		rows = []statCounterJSON{statRow(caller.ID, "", p.lifetime(now))}
	case strings.EqualFold(resolution, "Day"):
		from, errFrom := timeParam(q, "FromTS")
		to, errTo := timeParam(q, "ToTS")
		if errFrom != nil || errTo != nil || from.IsZero() || to.IsZero() || !to.After(from) {
			writeMailjetError(w, http.StatusBadRequest, "", "FromTS and ToTS are required, with FromTS before ToTS")
			return
		}
		if to.Sub(from) > maxStatDays*24*time.Hour {
			writeMailjetError(w, http.StatusBadRequest, "", "The period is too long for this resolution")
			return
		}
		for day := startOfDay(from); day.Before(to); day = day.AddDate(0, 0, 1) {
			rows = append(rows, statRow(caller.ID, day.Format(time.RFC3339), p.on(day)))
		}
	default:
		writeMailjetError(w, http.StatusBadRequest, "", errParam("CounterResolution").Error())
		return
	}
	if pg, ok := page(w, r, rows); ok {
		writeEnvelope(w, http.StatusOK, pg, len(rows))
	}
}

// timeParam reads a Unix timestamp or an RFC 3339 date; absent is zero.
func timeParam(q url.Values, name string) (time.Time, error) {
	v := strings.TrimSpace(q.Get(name))
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
