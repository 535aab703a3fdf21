package review

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
)

func TestFindSpike(t *testing.T) {
	day0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	days := func(totals ...int64) []mailjet.DayCounts {
		var out []mailjet.DayCounts
		for i, n := range totals {
			out = append(out, mailjet.DayCounts{Day: day0.AddDate(0, 0, i), Total: n, Blocked: n / 4})
		}
		return out
	}
	since := day0.AddDate(0, 0, 10)
	quiet := []int64{100, 120, 110, 130, 90, 115, 125, 105, 100, 120}
	cases := []struct {
		name     string
		days     []mailjet.DayCounts
		want     bool
		from, to int // day indexes of the spike
		total    int64
		usual    int64
	}{
		{"none", days(append(quiet, 130, 150, 90)...), false, 0, 0, 0, 115},
		{"spike", days(append(quiet, 120, 18000, 21000, 90)...), true, 11, 12, 39000, 115},
		{"before the leak does not count", days(5000, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100), false, 0, 0, 0, 100},
		{"quiet account, small spike", days(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 350), true, 11, 11, 350, 0},
		{"too little history: whole period", days(100, 100, 9000), false, 0, 0, 0, 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ok := findSpike(c.days, since)
			if ok != c.want || s.usual != c.usual {
				t.Fatalf("found %v usual %d, want %v usual %d", ok, s.usual, c.want, c.usual)
			}
			if ok && (!s.from.Equal(day0.AddDate(0, 0, c.from)) || !s.to.Equal(day0.AddDate(0, 0, c.to)) || s.total != c.total || s.refused != c.total/4) {
				t.Errorf("spike = %+v", s)
			}
		})
	}
	it := sendingItem(days(append(quiet, 120, 18000, 21000, 90)...), since, "")
	if it.Verdict != Suspicious || it.Explain.String() != "From 12 October 2026 to 13 October 2026, your account sent 39,000 emails, where it usually sends about 115 emails a day. 25% were refused or bounced, a sign they went to bought address lists." {
		t.Errorf("item = %q", it.Explain)
	}
}

func TestOwnDomains(t *testing.T) {
	since := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	senders := []mailjet.Sender{
		{Email: "shop@www.bakery.co.uk", Status: "Active", CreatedAt: since.AddDate(-1, 0, 0)},
		{Email: "*@other-shop.example", Status: "Active", CreatedAt: since.AddDate(0, -2, 0)},
		{Email: "x@new.example", Status: "Active", CreatedAt: since.AddDate(0, 0, 3)},          // after the leak
		{Email: "y@pending.example", Status: "Inactive", CreatedAt: since.AddDate(-1, 0, 0)},   // never validated
		{Email: "jane.bakery@gmail.com", Status: "Active", CreatedAt: since.AddDate(-1, 0, 0)}, // free mail
	}
	got := ownDomains("jane@Mail.Bakery.co.uk", senders, since, []string{"orders.shop.example", "api.mailjet.com", "10.0.0.1", "localhost"})
	if want := []string{"bakery.co.uk", "other-shop.example", "shop.example"}; !slices.Equal(got, want) {
		t.Errorf("own = %v, want %v", got, want)
	}
	for host, want := range map[string]bool{
		"hooks.bakery.co.uk": true, "bakery.co.uk.evil.example": false, "evil-bakery.co.uk": false, "co.uk": false, "": false,
	} {
		if isOwn(host, got) != want {
			t.Errorf("isOwn(%q) = %v", host, !want)
		}
	}
}

func TestDomainsInFiles(t *testing.T) {
	dir := t.TempDir()
	env := filepath.Join(dir, ".env")
	os.WriteFile(env, []byte("APP_URL=https://orders.lafleur-bakery.example\nMAIL_FROM_ADDRESS=news@la-fleur.example\n"+
		"MAILJET_URL=https://api.mailjet.com/v3\nDOCS=https://unrelated.example/\n"), 0o600)
	wp := filepath.Join(dir, "wp-config.php")
	os.WriteFile(wp, []byte("define( 'WPMS_MAIL_FROM', 'shop@lafleur-bakery.example' );\ndefine('WP_HOME','https://www.lafleur.example');\n"), 0o600)
	got := DomainsInFiles([]string{env, wp, filepath.Join(dir, "missing")})
	if want := []string{"la-fleur.example", "lafleur-bakery.example", "lafleur.example"}; !slices.Equal(got, want) {
		t.Errorf("domains = %v, want %v", got, want)
	}
}
