package timeline

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

var (
	published = time.Date(2026, 11, 17, 9, 30, 0, 0, time.UTC)
	firstGet  = time.Date(2026, 11, 20, 4, 14, 7, 0, time.UTC)
	probeAt   = time.Date(2026, 11, 19, 2, 12, 40, 0, time.UTC)
	spikeDay  = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
)

// story is what a scan of the done-means site finds.
func story() []investigate.Finding {
	return []investigate.Finding{
		{Rule: investigate.RuleDownloaded, Category: investigate.CategoryDownload, Path: "/srv/site/public_html/.env.bak",
			Access: &investigate.Access{URLPath: "/.env.bak", Client: "203.0.113.7", UserAgent: "python-requests/2.31.0",
				First: firstGet, Last: firstGet.Add(50 * time.Hour), Count: 3}},
		{Rule: investigate.RuleExposedEnv, Category: investigate.CategoryExposure, Path: "/srv/site/public_html/.env.bak", Modified: published},
		// Changed after its first download: its time says nothing of when
		// it was put there.
		{Rule: investigate.RuleExposedEnv, Category: investigate.CategoryExposure, Path: "/srv/site/public_html/old/.env.bak", Modified: firstGet.Add(time.Hour)},
		{Rule: investigate.RuleDownloaded, Category: investigate.CategoryDownload, Path: "/srv/site/public_html/old/.env.bak",
			Access: &investigate.Access{Client: "203.0.113.7", First: firstGet.Add(time.Minute), Count: 1}},
		// An exposed file nobody took and holding no key of the account:
		// not part of the story.
		{Rule: investigate.RuleExposedPhpinfo, Category: investigate.CategoryExposure, Path: "/srv/site/public_html/info.php", Modified: published},
		{Rule: investigate.RuleProbing, Category: investigate.CategoryProbe, Path: "/srv/site/logs/access.log.2.gz",
			Access: &investigate.Access{Client: "192.0.2.66", UserAgent: "Mozilla/5.0 zgrab/0.x", First: probeAt, Count: 3}},
		{Rule: investigate.RuleProbing, Category: investigate.CategoryProbe, Path: "/srv/site/logs/access.log.1",
			Access: &investigate.Access{Client: "203.0.113.99", First: probeAt.Add(48 * time.Hour), Count: 1}},
	}
}

func TestFromScanKeepsTheStory(t *testing.T) {
	events := FromScan(story(), "/srv/site")
	var kinds []Kind
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	if !slices.Equal(kinds, []Kind{Published, Probed, Downloaded, Downloaded}) {
		t.Fatalf("kinds %v: %+v", kinds, events)
	}
	if e := events[2]; e.Path != "public_html/.env.bak" || e.Count != 3 || e.Client != "203.0.113.7" || !e.At.Equal(firstGet) {
		t.Errorf("download %+v", e)
	}
	if e := events[1]; e.Clients != 2 || e.Client != "192.0.2.66" {
		t.Errorf("probe %+v", e)
	}
}

func TestStoryInPlainWords(t *testing.T) {
	events := append(FromScan(story(), "/srv/site"), SpikeOn(spikeDay))
	got := Story(nil, events, time.UTC)
	want := []string{
		"public_html/.env.bak last changed on 17 November 2026 at 09:30 UTC: it may have been on the website since then.",
		"2 addresses searched the site for secret files, the first on 19 November 2026 at 02:12 UTC by 192.0.2.66 (zgrab).",
		"public_html/.env.bak was downloaded 3 times, first on 20 November 2026 at 04:14 UTC by 203.0.113.7 (python-requests), 2 days before the sending spike.",
		"public_html/old/.env.bak was downloaded once, on 20 November 2026 at 04:15 UTC by 203.0.113.7, 2 days before the sending spike.",
		"Your account began sending far more email than usual on 22 November 2026.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("story:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c := Cause(nil, events, time.UTC); c != want[2] {
		t.Errorf("cause %q", c)
	}
}

func TestStoryInFrenchLocalTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	p, misses := lang.Strictly(lang.French)
	events := append(FromScan(story(), "/srv/site"), SpikeOn(spikeDay),
		Event{At: spikeDay.Add(30 * time.Hour), Kind: Added, What: lang.Msg("Sender %s", "billing@lafleur-payments.example")},
		Event{At: spikeDay.Add(80 * time.Hour), Kind: Rotated})
	got := strings.Join(Story(p, events, paris), "\n")
	for _, want := range []string{
		"public_html/.env.bak a été téléchargé 3 fois, la première fois le 20 novembre 2026 à 05:14 CET par 203.0.113.7 (python-requests), 2 jours avant le pic d'envois.",
		"Votre compte a commencé à envoyer bien plus d'e-mails que d'habitude le 22 novembre 2026.",
		"Ajouté au compte le 23 novembre 2026\u00a0: Expéditeur billing@lafleur-payments.example.",
		"Les anciennes clés secrètes ont cessé de fonctionner le 25 novembre 2026 à 09:00 CET.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("French story lacks\n%q\nin\n%s", want, got)
		}
	}
	misses.Report(t.Errorf)
}

func TestRelationCountsCalendarDays(t *testing.T) {
	late := time.Date(2026, 11, 21, 23, 59, 0, 0, time.UTC)
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{late, "1 day before the sending spike"},
		{spikeDay.Add(time.Hour), "the day the sending spike began"},
		{spikeDay.Add(49 * time.Hour), "2 days after the sending spike began"},
	} {
		if got := relation(nil, c.at, spikeDay, time.UTC); got != c.want {
			t.Errorf("relation(%v) = %q, want %q", c.at, got, c.want)
		}
	}
}

func TestSortedKeepsOneSpikeAndSurvivesTheJournal(t *testing.T) {
	events := Sorted([]Event{SpikeOn(spikeDay.Add(24 * time.Hour)), SpikeOn(spikeDay), {At: firstGet, Kind: Downloaded, Path: "a"}})
	if len(events) != 2 || events[1].Kind != Spike || !events[1].At.Equal(spikeDay) {
		t.Fatalf("%+v", events)
	}
	data, err := json.Marshal(events)
	if err != nil {
		t.Fatal(err)
	}
	var back []Event
	if err := json.Unmarshal(data, &back); err != nil || !slices.EqualFunc(back, events, func(a, b Event) bool {
		return a.Kind == b.Kind && a.At.Equal(b.At) && a.Path == b.Path
	}) {
		t.Errorf("round trip: %v %+v", err, back)
	}
}
