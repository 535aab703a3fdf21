package mailjet

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// envelope is the REST v3 answer: {"Count":n,"Data":[...],"Total":n}.
// Some of Mailjet's answers give the counts as strings ("Count": "1").
type envelope[T any] struct {
	Count flexInt
	Data  []T
	Total flexInt
}

func decodeEnvelope[T any](method, path string, body []byte) (envelope[T], error) {
	var env envelope[T]
	if err := json.Unmarshal(body, &env); err != nil {
		// The JSON error names a type or offset, never the body's content.
		return env, fmt.Errorf("%s %s: Mailjet's answer is not the expected JSON: %w", method, path, err)
	}
	return env, nil
}

// flexTime reads an RFC 3339 date and tolerates a missing, empty, null or
// unparsable one (the zero time): a date is never worth failing a listing.
type flexTime struct{ time.Time }

func (t *flexTime) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil {
		return nil
	}
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05"} {
		if parsed, err := time.Parse(layout, s); err == nil {
			t.Time = parsed
			return nil
		}
	}
	return nil
}
