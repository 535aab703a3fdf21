package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// fieldsOf returns the sorted field names of the first record of a.
func fieldsOf(t *testing.T, a answer) []string {
	t.Helper()
	data, _ := envelopeOf(t, a)
	if len(data) == 0 {
		t.Fatalf("%d %s: no record", a.status, a.body)
	}
	var out []string
	for k := range data[0] {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// The apikey entry has every field of the 2020 recording, RegionID 0 and
// Skipspamd 1 included (mailjet-gem
// Mailjet_Apikey/date_format_on_API_request/is_a_kind_of_DateTime.yml).
func TestAPIKeyFieldsAreTheRecordings(t *testing.T) {
	_, url := serve(t)
	a := call(t, url, http.MethodGet, "/v3/REST/apikey/"+sandbox.DemoShopKey, m, ms, "")
	want := []string{"ACL", "APIKey", "CreatedAt", "ID", "IsActive", "IsMaster", "Name", "QuarantineValue",
		"RegionID", "Runlevel", "SecretKey", "Skipspamd", "TrackHost", "UserID"}
	if got := fieldsOf(t, a); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	data, _ := envelopeOf(t, a)
	if data[0]["RegionID"] != 0.0 || data[0]["Skipspamd"] != 1.0 || data[0]["Runlevel"] != "Normal" || data[0]["QuarantineValue"] != 0.0 {
		t.Errorf("key = %v", data[0])
	}
}

// apikeytotals has the fields of the 2021 recording (mailjet-gem
// Mailjet_Resource/apikeytotals/should_not_be_nil.yml), which the gem
// asked for with Limit=1: it is listed like any resource.
func TestAPIKeyTotalsFieldsAreTheRecordings(t *testing.T) {
	_, url := serve(t)
	a := call(t, url, http.MethodGet, "/v3/REST/apikeytotals?Limit=1", m, ms, "")
	want := []string{"BlockedCount", "BouncedCount", "ClickedCount", "DeferredCount", "DeliveredCount", "HardBouncedCount",
		"LastActivity", "OpenedCount", "PreQueuedCount", "ProcessedCount", "SoftBouncedCount", "SpamcomplaintCount",
		"UnsubscribedCount", "WorkFlowExitedCount"}
	if got := fieldsOf(t, a); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	data, _ := envelopeOf(t, a)
	n := func(k string) float64 { return data[0][k].(float64) }
	if n("BouncedCount") != n("HardBouncedCount")+n("SoftBouncedCount") || n("HardBouncedCount") == 0 ||
		n("ProcessedCount") != n("DeliveredCount")+n("BlockedCount")+n("BouncedCount") {
		t.Errorf("totals do not add up: %v", data[0])
	}
}

// statcounters: CounterSource APIKey/Campaign/List/Sender, CounterTiming
// Message/Event, CounterResolution Highest/Hour/Day/Lifetime, SourceID,
// and the 22 fields of StatCounter (node Statistic.ts); Lifetime has an
// empty Timeslice (mailjet-gem Mailjet_Statcounters/_all/returns_all_records.yml,
// which also sends SourceId).
func TestStatCounters(t *testing.T) {
	now := time.Date(2026, 11, 25, 19, 45, 0, 0, time.UTC)
	_, url := serve(t, sandbox.WithClock(func() time.Time { return now }))
	get := func(query string) answer {
		return call(t, url, http.MethodGet, "/v3/REST/statcounters?"+query, m, ms, "")
	}
	life := get("CounterSource=APIKey&CounterTiming=Message&CounterResolution=Lifetime")
	want := []string{"APIKeyID", "EventClickDelay", "EventClickedCount", "EventOpenDelay", "EventOpenedCount", "EventSpamCount",
		"EventUnsubscribedCount", "EventWorkflowExitedCount", "MessageBlockedCount", "MessageClickedCount", "MessageDeferredCount",
		"MessageHardBouncedCount", "MessageOpenedCount", "MessageQueuedCount", "MessageSentCount", "MessageSoftBouncedCount",
		"MessageSpamCount", "MessageUnsubscribedCount", "MessageWorkFlowExitedCount", "SourceID", "Timeslice", "Total"}
	if got := fieldsOf(t, life); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	rows, _ := envelopeOf(t, life)
	if rows[0]["Timeslice"] != "" || rows[0]["SourceID"] != float64(sandbox.DemoMasterID) || rows[0]["EventOpenedCount"] != rows[0]["MessageOpenedCount"] {
		t.Errorf("lifetime row = %v", rows[0])
	}
	// Event timing: in the sandbox's model events happen on the day the
	// message was sent, so the counts are the same.
	if ev := get("CounterSource=APIKey&CounterTiming=Event&CounterResolution=Lifetime"); ev.body != life.body {
		t.Errorf("Event timing %s, want the Message one %s", ev.body, life.body)
	}

	// A spike day, by day and by hour: the hours add up to the day.
	spike := now.AddDate(0, 0, -4).Truncate(24 * time.Hour)
	period := fmt.Sprintf("&FromTS=%d&ToTS=%d", spike.Unix(), spike.Add(24*time.Hour).Unix())
	day, _ := envelopeOf(t, get("CounterSource=APIKey&CounterTiming=Message&CounterResolution=Day"+period))
	if len(day) != 1 || day[0]["Total"].(float64) < 18_000 {
		t.Fatalf("spike day = %v", day)
	}
	for _, resolution := range []string{"Hour", "Highest"} {
		hours, _ := envelopeOf(t, get("CounterSource=APIKey&CounterTiming=Message&CounterResolution="+resolution+period+"&Limit=0"))
		if len(hours) != 24 || hours[0]["Timeslice"] != spike.Format(time.RFC3339) || hours[23]["Timeslice"] != spike.Add(23*time.Hour).Format(time.RFC3339) {
			t.Fatalf("%s: %d rows", resolution, len(hours))
		}
		for _, field := range []string{"Total", "MessageSentCount", "MessageBlockedCount", "MessageHardBouncedCount", "MessageSoftBouncedCount", "MessageSpamCount"} {
			var sum float64
			for _, h := range hours {
				sum += h[field].(float64)
			}
			if sum != day[0][field] {
				t.Errorf("%s %s: hours add up to %v, the day says %v", resolution, field, sum, day[0][field])
			}
		}
	}
	// The account was switched off 36 hours ago: no hour after that sends.
	off := now.Add(-36 * time.Hour)
	hours, _ := envelopeOf(t, get(fmt.Sprintf("CounterSource=APIKey&CounterTiming=Message&CounterResolution=Hour&FromTS=%d&ToTS=%d&Limit=0",
		off.Add(-3*time.Hour).Unix(), off.Add(5*time.Hour).Unix())))
	for _, h := range hours {
		slice, _ := time.Parse(time.RFC3339, h["Timeslice"].(string))
		if sent := h["Total"].(float64); slice.After(off) && sent != 0 {
			t.Errorf("%s: %v emails after the account was switched off", slice, sent)
		}
	}

	// Sources with nothing the sandbox can attribute answer no rows.
	for _, source := range []string{"Campaign", "List", "Sender", "sender"} {
		a := get("CounterSource=" + source + "&CounterTiming=Message&CounterResolution=Lifetime&SourceId=5001")
		if data, _ := envelopeOf(t, a); a.status != http.StatusOK || len(data) != 0 {
			t.Errorf("%s: %d %s, want no rows", source, a.status, a.body)
		}
	}
	for _, q := range []string{
		"CounterSource=Contact&CounterTiming=Message&CounterResolution=Lifetime",
		"CounterSource=APIKey&CounterTiming=Open&CounterResolution=Lifetime",
		"CounterSource=APIKey&CounterTiming=Message&CounterResolution=Week",
		"CounterSource=APIKey&CounterTiming=Message&CounterResolution=Hour", // no period
		"CounterSource=APIKey&CounterTiming=Message&CounterResolution=Lifetime&SourceID=abc",
		fmt.Sprintf("CounterSource=APIKey&CounterTiming=Message&CounterResolution=Hour&FromTS=%d&ToTS=%d", now.AddDate(0, 0, -40).Unix(), now.Unix()),
	} {
		var body struct{ StatusCode int }
		if a := get(q); a.status != http.StatusBadRequest || json.Unmarshal([]byte(a.body), &body) != nil || body.StatusCode != 400 {
			t.Errorf("%s: %d %s, want 400", q, a.status, a.body)
		}
	}
}
