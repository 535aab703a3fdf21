package password

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

const email = "jane.doe@lafleur-bakery.example"

// randomText returns n code points drawn from alphabet with a fixed seed:
// strong, but the same on every run.
func randomText(n int, alphabet string) string {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	letters := []rune(alphabet)
	var b strings.Builder
	for range n {
		b.WriteRune(letters[r.IntN(len(letters))])
	}
	return b.String()
}

const ascii = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%&*+-=?"

// fakeBreaches answers from a map, or fails with err.
type fakeBreaches struct {
	counts map[string]int
	err    error
	calls  int
}

func (f *fakeBreaches) Count(_ context.Context, pw secret.Secret) (int, error) {
	f.calls++
	return f.counts[pw.Reveal()], f.err
}

func TestCheckRules(t *testing.T) {
	breaches := &fakeBreaches{counts: map[string]int{
		"Summer-Gardens-Forever-2019": 1234,
		"single leak passphrase here": 1,
	}}
	c := NewChecker(breaches, []string{"password12345678"})
	tests := []struct {
		name   string
		pw     string
		ok     bool
		reason string // substring of the reason when refused
	}{
		{"empty", "", false, "Use at least 15 characters; you have 0."},
		{"short", "kq7#Vd9!m", false, "Use at least 15 characters; you have 9."},
		{"14 characters", randomText(14, ascii), false, "you have 14."},
		{"exactly 15", randomText(15, ascii), true, ""},
		{"64", randomText(64, ascii), true, ""},
		{"128", randomText(128, ascii), true, ""},
		{"129", randomText(129, ascii), false, "Use at most 128 characters; you have 129."},
		{"huge input is refused quickly", randomText(100_000, ascii), false, "you have 100000."},
		{"15 emoji count as 15", randomText(15, "😀🎉🚀🌍🍕🐱🎸📚🌈⚡"), true, ""},
		{"14 emoji count as 14", randomText(14, "😀🎉🚀🌍🍕🐱🎸📚🌈⚡"), false, "you have 14."},
		{"15 accents count as 15", randomText(15, "éàüøçñßåœ"), true, ""},
		{"decomposed accents are counted after NFKC", strings.Repeat("e\u0301", 14), false, "you have 14."},
		{"fullwidth letters normalize to mailjet", "ｍａｉｌｊｅｔ-harbour-violet-tractor", false, `the word "mailjet"`},
		{"fullwidth digits count once each", "１２３４５６７８９", false, "you have 9."},
		{"whole email", "x" + strings.ToUpper(email) + "!", false, "your email address"},
		{"local part", "velvet-JANE.DOE-tractor-harbour", false, `"jane.doe" from your email address`},
		{"MailJet any case", "velvet MailJet tractor harbour", false, `the word "mailjet"`},
		{"breached", "Summer-Gardens-Forever-2019", false, "This password appears in 1,234 known data breaches; attackers try these first."},
		{"breached once", "single leak passphrase here", false, "appears in 1 known data breach;"},
		{"common list", "password12345678", false, "This password is on a list of common passwords"},
		{"common list ignores case", "PASSWORD12345678", false, "list of common passwords"},
		{"repeat", "aaaaaaaaaaaaaaaa", false, "the same character over and over"},
		{"sequence", "abcdefghijklmnop", false, "a letter sequence"},
		{"keyboard", "qwertyuiopzxcvbnm", false, "add more unrelated words"},
		{"common word and number sequence", "sunshine1234567890", false, "It is built from"},
		{"strong passphrase", "violet tractor harbour minutes", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := c.Check(context.Background(), secret.New(tt.pw), email)
			if v.OK != tt.ok {
				t.Fatalf("OK = %v, want %v (reason %q)", v.OK, tt.ok, v.Reason)
			}
			if tt.ok && v.Reason != "" {
				t.Errorf("accepted with a reason: %q", v.Reason)
			}
			if !tt.ok && !strings.Contains(v.Reason, tt.reason) {
				t.Errorf("reason = %q, want it to contain %q", v.Reason, tt.reason)
			}
			if v.Strength.Label == "" {
				t.Errorf("no strength label for score %d", v.Strength.Score)
			}
		})
	}
}

func TestShortLocalPartIsAllowed(t *testing.T) {
	c := NewChecker(nil, nil)
	if got := c.Problem("violet-jo-tractor-harbour", "jo@example.com"); got != "" {
		t.Errorf("a 2-letter local part should not be refused, got %q", got)
	}
	if got := c.Problem("violet-joe-tractor-harbour", "joe@example.com"); !strings.Contains(got, `"joe"`) {
		t.Errorf("a 3-letter local part should be refused, got %q", got)
	}
}

// The rules run in order: a short password is refused for its length
// even when it is also breached, and the breach lookup is not made.
func TestCheckOrder(t *testing.T) {
	breaches := &fakeBreaches{counts: map[string]int{"mailjet": 5, "mailjet-velvet-tractor": 5}}
	c := NewChecker(breaches, nil)
	v := c.Check(context.Background(), secret.New("mailjet"), email)
	if !strings.HasPrefix(v.Reason, "Use at least") {
		t.Errorf("short: reason = %q", v.Reason)
	}
	v = c.Check(context.Background(), secret.New("mailjet-velvet-tractor"), email)
	if !strings.Contains(v.Reason, `"mailjet"`) {
		t.Errorf("mailjet before breach: reason = %q", v.Reason)
	}
	if breaches.calls != 0 {
		t.Errorf("breach lookup made %d times for locally refused passwords", breaches.calls)
	}
}

func TestProblemIsLocalOnly(t *testing.T) {
	c := NewChecker(&fakeBreaches{err: errors.New("must not be called")}, []string{"password12345678"})
	if got := c.Problem("short", email); got != "Use at least 15 characters; you have 5." {
		t.Errorf("Problem(short) = %q", got)
	}
	// Breach data and strength are not local rules.
	if got := c.Problem("password12345678", email); got != "" {
		t.Errorf("Problem(password12345678) = %q, want \"\"", got)
	}
}

func TestStrengthMeter(t *testing.T) {
	c := NewChecker(nil, nil)
	tests := []struct {
		pw    string
		score int
		label string
	}{
		{"", 0, "very weak"},
		{"aaaaaaaaaaaaaaaa", 0, "very weak"},
		{"violet tractor harbour minutes", 4, "very strong"},
	}
	for _, tt := range tests {
		got := c.Strength(tt.pw, email)
		if got.Score != tt.score || got.Label != tt.label {
			t.Errorf("Strength(%q) = %+v, want %d %q", tt.pw, got, tt.score, tt.label)
		}
	}
	// The account's own words make a password weaker.
	plain := c.Strength("lafleurbakery", "")
	own := c.Strength("lafleurbakery", "lafleurbakery@example.com")
	if own.Score > plain.Score || own.Score > 1 {
		t.Errorf("user inputs ignored: with email %d, without %d", own.Score, plain.Score)
	}
	for score := range 5 {
		if Label(score) == "" {
			t.Errorf("Label(%d) is empty", score)
		}
	}
}

// newSandboxChecker serves the sandbox's range API over loopback.
func newSandboxChecker(t *testing.T) *Checker {
	t.Helper()
	srv := httptest.NewServer(sandbox.New())
	t.Cleanup(srv.Close)
	return NewChecker(pwned.New(srv.URL, pwned.WithHTTPClient(srv.Client())), nil)
}

func TestBreachedViaSandbox(t *testing.T) {
	c := newSandboxChecker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	v := c.Check(ctx, secret.New("password12345678"), email)
	if v.OK || !strings.Contains(v.Reason, "known data breach") {
		t.Errorf("password12345678: %+v, want refused as breached", v)
	}
	if v.Note != "" {
		t.Errorf("the breach database answered, but note = %q", v.Note)
	}
	v = c.Check(ctx, secret.New("violet tractor harbour minutes"), email)
	if !v.OK || v.Note != "" {
		t.Errorf("strong passphrase: %+v", v)
	}
}

func TestOfflineFallbackWhenBreachServerIsDown(t *testing.T) {
	srv := httptest.NewServer(sandbox.New())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c := NewChecker(pwned.New(url, pwned.WithRetry(1, 0)), []string{"password12345678", "letmeinletmein123"})
	ctx := context.Background()

	for _, pw := range []string{"password12345678", "LetMeInLetMeIn123"} {
		v := c.Check(ctx, secret.New(pw), email)
		if v.OK || v.Reason != "This password is on a list of common passwords; attackers try these first." {
			t.Errorf("%s: %+v, want refused from the common list", pw, v)
		}
		if v.Note != NoteUnreachable {
			t.Errorf("%s: note = %q, want %q", pw, v.Note, NoteUnreachable)
		}
	}
	v := c.Check(ctx, secret.New("violet tractor harbour minutes"), email)
	if !v.OK || v.Note != NoteUnreachable || v.Unchecked != UncheckedUnreachable {
		t.Errorf("strong passphrase while offline: %+v, want passed with the breach check said not to be made", v)
	}
}

// Without a breach service or a common list, password12345678 is still
// refused with a reason the user can act on.
func TestPassword12345678RefusedOffline(t *testing.T) {
	v := NewChecker(nil, nil).Check(context.Background(), secret.New("password12345678"), email)
	if v.OK || v.Reason == "" {
		t.Fatalf("password12345678 accepted offline: %+v", v)
	}
	if v.Note != NoteOffline {
		t.Errorf("note = %q", v.Note)
	}
}

func TestWeaknessReasons(t *testing.T) {
	tests := []struct{ pw, want string }{
		{"password12345678", "It is built from two common passwords; add more unrelated words."},
		{"aaaaaaaaaaaaaaaa", "It is built from the same character over and over; add more unrelated words."},
		{"abcdefghijklmnop", "It is built from a letter sequence; add more unrelated words."},
		{"p@ssw0rdp@ssw0rd!", "look-alike symbols"},
		{"iloveyou19901990", "a recent year"},
	}
	for _, tt := range tests {
		if got := weaknessReason(nil, estimate(Normalize(tt.pw), email).Sequence); !strings.Contains(got, tt.want) {
			t.Errorf("weaknessReason(%q) = %q, want %q", tt.pw, got, tt.want)
		}
	}
}

func TestNormalizeSecret(t *testing.T) {
	if got := NormalizeSecret(secret.New("ｐａｓｓ")).Reveal(); got != "pass" {
		t.Errorf("NormalizeSecret = %q", got)
	}
}

// The union of NIST and Mailjet's rule: a long passphrase without a number
// or a special character is refused with that reason; with both it passes.
func TestMailjetRule(t *testing.T) {
	c := NewChecker(nil, nil).WithRule(MailjetRule())
	for pw, want := range map[string]string{
		"tulip orbit saddle quiver lantern":    "at least 1 number and 1 special character (such as ! ? # or %); add them",
		"tulip orbit saddle quiver lantern 42": "at least 1 special character (such as ! ? # or %); add one",
		"tulip orbit saddle quiver lantern!":   "at least 1 number; add one",
		"tulip-7?":                             "Use at least 15 characters; you have 8.",
		"tulip orbit saddle quiver lantern 4!": "",
	} {
		got := c.Problem(pw, "jane@lafleur-bakery.example")
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("Problem(%q) = %q, want %q", pw, got, want)
		}
	}
	v := c.Check(context.Background(), secret.New("tulip orbit saddle quiver lantern 4!"), "jane@lafleur-bakery.example")
	if !v.OK || v.Unchecked != UncheckedOffline {
		t.Errorf("verdict %+v", v)
	}
	advice := c.Advice()
	for _, want := range []string{"at least 15 characters", "1 number and 1 special character", "Mailjet asks for both"} {
		if !strings.Contains(advice, want) {
			t.Errorf("advice %q lacks %q", advice, want)
		}
	}
	if NewChecker(nil, nil).Problem("tulip orbit saddle quiver lantern", "") != "" {
		t.Error("without a service rule, NIST alone asks for no composition")
	}
}

// A suggestion meets every local rule and the strength check, and two are
// not the same.
func TestSuggest(t *testing.T) {
	c := NewChecker(nil, nil).WithRule(MailjetRule())
	words := strings.Fields("acorn almond amber anchor apple apron arrow aspen atlas attic autumn badge bakery bamboo banjo barley " +
		"basil basket beacon beaver bellow berry bicycle birch biscuit blanket blossom bonnet border bottle bramble branch breeze brick " +
		"bridge brook bubble bucket buckle bugle butter button cabin cactus camel candle canoe canyon carpet carrot castle cedar cello " +
		"cereal chalk cherry chimney cider cinder circus citrus clover cobalt cocoa comet compass copper coral")
	a, err := c.Suggest(nil, words, "jane@lafleur-bakery.example")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Suggest(nil, words, "jane@lafleur-bakery.example")
	if a == b {
		t.Errorf("two suggestions are the same: %q", a)
	}
	if p := c.Problem(a, "jane@lafleur-bakery.example"); p != "" || c.Strength(a, "").Score < MinScore {
		t.Errorf("suggestion %q: %q", a, p)
	}
	if _, err := c.Suggest(nil, words[:3], ""); err == nil {
		t.Error("a suggestion from three words")
	}
}
