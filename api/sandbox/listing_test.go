package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	neturl "net/url"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// listed is every resource the sandbox lists, with how many records the
// demo's master key sees in it.
func listed(now time.Time) []struct {
	path string
	n    int
} {
	day := fmt.Sprintf("CounterSource=APIKey&CounterTiming=Message&CounterResolution=Day&FromTS=%d&ToTS=%d",
		now.AddDate(0, 0, -14).Unix(), now.Unix())
	return []struct {
		path string
		n    int
	}{
		{"/v3/REST/apikey?", 3},
		{"/v3/REST/user?", 1},
		{"/v3/REST/eventcallbackurl?", 2},
		{"/v3/REST/parseroute?", 2},
		{"/v3/REST/sender?", 4},
		{"/v3/REST/apikeytotals?", 1},
		{"/v3/REST/statcounters?" + day + "&", 15},
	}
}

type env struct {
	Count, Total int
	Data         []json.RawMessage
}

func list(t *testing.T, url, path string) env {
	t.Helper()
	a := call(t, url, http.MethodGet, path, m, ms, "")
	var e env
	if err := json.Unmarshal([]byte(a.body), &e); err != nil || a.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, a.status, a.body)
	}
	return e
}

// Count and Total are the page's: "When you call a resource without the
// filter countOnly, Count and Total will only show you the number of
// elements extracted and not the global number" (apidoc
// guides/_filtering-resources.md, "The Count Filter"); recorded as
// contact?Limit=2 → Count 2, Total 2 with 4 contacts (mailjet-gem
// Mailjet_Contact/returns_specified_amount_of_contacts.yml).
func TestEveryListingCountsThePageOnly(t *testing.T) {
	now := time.Now()
	_, url := serve(t, sandbox.WithClock(func() time.Time { return now }))
	for _, r := range listed(now) {
		e := list(t, url, r.path+"Limit=1")
		if e.Count != 1 || e.Total != 1 || len(e.Data) != 1 {
			t.Errorf("%sLimit=1: Count %d, Total %d, %d records; want 1, 1, 1", r.path, e.Count, e.Total, len(e.Data))
		}
		e = list(t, url, r.path)
		if want := min(r.n, 10); e.Count != want || e.Total != want || len(e.Data) != want {
			t.Errorf("%s: Count %d, Total %d, %d records; want %d each", r.path, e.Count, e.Total, len(e.Data), want)
		}
	}
}

// countOnly=1 answers {"Count":152,"Data":[ ],"Total":152}: "This filter
// will not extract any list of results but only count them" (apidoc
// guides/_filtering-resources.md, "The Count Filter").
func TestEveryListingCountsOnly(t *testing.T) {
	now := time.Now()
	_, url := serve(t, sandbox.WithClock(func() time.Time { return now }))
	for _, r := range listed(now) {
		a := call(t, url, http.MethodGet, r.path+"countOnly=1&Limit=1", m, ms, "")
		want := fmt.Sprintf(`{"Count":%d,"Data":[],"Total":%d}`, r.n, r.n)
		if a.status != http.StatusOK || a.body != want {
			t.Errorf("%scountOnly=1: %d %s, want %s", r.path, a.status, a.body, want)
		}
	}
	// It counts what the filters match.
	if e := list(t, url, "/v3/REST/sender?countOnly=1&Email=shop@lafleur-bakery.example"); e.Count != 1 || e.Total != 1 {
		t.Errorf("sender countOnly with a filter: %+v, want 1", e)
	}
}

// countrecords=1 keeps the page but makes Total the number that match:
// recorded as contact?countrecords=1&limit=1 → Count 1, Total 4
// (mailjet-gem Mailjet_Contact/returns_total_amount_of_contacts.yml). The
// same recording has lower-case names, so filter names are
// case-insensitive.
func TestCountRecordsAndCaseInsensitiveNames(t *testing.T) {
	_, url := serve(t)
	if e := list(t, url, "/v3/REST/sender?countrecords=1&limit=1"); e.Count != 1 || len(e.Data) != 1 || e.Total != 4 {
		t.Errorf("countrecords=1&limit=1: Count %d, Total %d; want 1 and 4", e.Count, e.Total)
	}
	for _, q := range []string{"LIMIT=2", "limit=2", "Limit=2", "lImIt=2"} {
		if e := list(t, url, "/v3/REST/apikey?"+q); e.Count != 2 {
			t.Errorf("%s: %d records, want 2", q, e.Count)
		}
	}
	for q, want := range map[string]int{
		"isactive=true&ismaster=false": 2,
		"ISACTIVE=TRUE&ISMASTER=FALSE": 2,
		"name=Newsletter&isMaster=0":   1,
	} {
		if e := list(t, url, "/v3/REST/apikey?"+q); e.Count != want {
			t.Errorf("%s: %d records, want %d", q, e.Count, want)
		}
	}
	// The gem's SourceId for statcounters' SourceID.
	q := fmt.Sprintf("/v3/REST/statcounters?countersource=apikey&countertiming=message&counterresolution=lifetime&SourceId=%d", sandbox.DemoMasterID)
	if e := list(t, url, q); e.Count != 1 {
		t.Errorf("statcounters with SourceId: %d rows, want 1", e.Count)
	}
}

// An unknown filter is ignored: contact?InvalidParameter=0 answers every
// contact (mailjet-gem
// Mailjet_Contact/returns_all_contacts_when_parameters_invalid.yml).
func TestUnknownFiltersAreIgnored(t *testing.T) {
	now := time.Now()
	_, url := serve(t, sandbox.WithClock(func() time.Time { return now }))
	for _, r := range listed(now) {
		if e := list(t, url, r.path+"InvalidParameter=0&Limit=1000"); e.Count != r.n {
			t.Errorf("%s with an unknown filter: %d records, want %d", r.path, e.Count, r.n)
		}
	}
}

// "Only the first occurrence of a filter is taken in account:
// "?Name=foo&Name=bar&Name=foobar" will only filter on Name=foo. No error
// will be returned" (apidoc guides/_filtering-resources.md).
func TestOnlyTheFirstOccurrenceOfAFilterCounts(t *testing.T) {
	_, url := serve(t)
	cases := []struct {
		query string
		want  int
	}{
		{"Name=Newsletter&Name=" + neturl.QueryEscape(sandbox.DemoShopName), 1},
		{"Name=nobody&Name=Newsletter", 0},
		{"Limit=1&Limit=3", 1},
		{"Limit=1&limit=3", 1}, // the same filter in another case
		{"IsActive=true&IsActive=maybe", 3},
	}
	for _, c := range cases {
		if e := list(t, url, "/v3/REST/apikey?"+c.query); e.Count != c.want {
			t.Errorf("%s: %d records, want %d", c.query, e.Count, c.want)
		}
	}
}

// Sort=prop is ascending, "prop+DESC" descending ("The Sort Filter",
// apidoc guides/_filtering-resources.md, whose example sorts contacts on
// "email": the property's case does not matter). Sort "does not work with
// all properties": the sandbox answers 400 for one it does not sort on
// (no source says what Mailjet answers; see listing.go).
func TestSortAscendingAndDescending(t *testing.T) {
	_, url := serve(t)
	names := func(query string) string {
		var e struct{ Data []struct{ Name string } }
		a := call(t, url, http.MethodGet, "/v3/REST/apikey?"+query, m, ms, "")
		if err := json.Unmarshal([]byte(a.body), &e); err != nil || a.status != http.StatusOK {
			t.Fatalf("%s: %d %s", query, a.status, a.body)
		}
		var out []string
		for _, k := range e.Data {
			out = append(out, k.Name)
		}
		return fmt.Sprint(out)
	}
	cases := map[string]string{
		"Sort=Name":             fmt.Sprint([]string{sandbox.DemoMasterName, sandbox.DemoNewsletterName, sandbox.DemoShopName}),
		"Sort=name+DESC":        fmt.Sprint([]string{sandbox.DemoShopName, sandbox.DemoNewsletterName, sandbox.DemoMasterName}),
		"Sort=CreatedAt%20desc": fmt.Sprint([]string{sandbox.DemoNewsletterName, sandbox.DemoShopName, sandbox.DemoMasterName}),
		"Sort=ID+DESC&Limit=1":  fmt.Sprint([]string{sandbox.DemoNewsletterName}),
		"Sort=ID+DESC&Offset=2": fmt.Sprint([]string{sandbox.DemoMasterName}),
	}
	for q, want := range cases {
		if got := names(q); got != want {
			t.Errorf("%s: %s, want %s", q, got, want)
		}
	}
	for _, path := range []string{
		"/v3/REST/apikey?Sort=SecretKey", "/v3/REST/sender?Sort=Filename", "/v3/REST/apikeytotals?Sort=ID",
		"/v3/REST/apikey?Sort=Name+ASC", "/v3/REST/eventcallbackurl?Sort=APIKeyID",
	} {
		if a := call(t, url, http.MethodGet, path, m, ms, ""); a.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", path, a.status)
		}
	}
	// Every resource sorts on what makes sense for it.
	for _, path := range []string{
		"/v3/REST/sender?Sort=Email+DESC", "/v3/REST/sender?Sort=CreatedAt", "/v3/REST/eventcallbackurl?Sort=EventType",
		"/v3/REST/parseroute?Sort=Url+DESC", "/v3/REST/user?Sort=ID",
	} {
		if a := call(t, url, http.MethodGet, path, m, ms, ""); a.status != http.StatusOK {
			t.Errorf("%s: %d %s, want 200", path, a.status, a.body)
		}
	}
	var senders struct{ Data []struct{ Email string } }
	_ = json.Unmarshal([]byte(call(t, url, http.MethodGet, "/v3/REST/sender?Sort=Email+DESC", m, ms, "").body), &senders)
	if len(senders.Data) != 4 || senders.Data[0].Email != "shop@lafleur-bakery.example" || senders.Data[3].Email != sandbox.DemoSenderUnknownEmail {
		t.Errorf("senders by Email descending = %+v", senders.Data)
	}
}

// Bad values answer a clean 400 in Mailjet's error shape on every
// resource (no source: see listing.go).
func TestBadListingValuesAre400Everywhere(t *testing.T) {
	now := time.Now()
	_, url := serve(t, sandbox.WithClock(func() time.Time { return now }))
	for _, r := range listed(now) {
		for _, q := range []string{"Limit=abc", "Limit=-5", "Offset=x", "countOnly=perhaps"} {
			a := call(t, url, http.MethodGet, r.path+q, m, ms, "")
			var body struct{ StatusCode int }
			if a.status != http.StatusBadRequest || json.Unmarshal([]byte(a.body), &body) != nil || body.StatusCode != 400 {
				t.Errorf("%s%s: %d %s, want Mailjet's 400", r.path, q, a.status, a.body)
			}
		}
	}
}
