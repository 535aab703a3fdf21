package ui

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// TestEveryScreenFits walks the whole demo, in English and in French, and
// draws every screen it meets at 60x18, 80x24 and 120x40. A screen fails
// when a line is wider than the window or there are more lines than
// rows, when text was cut ("…" the screen's own words do not have), when
// a box lost a border, when the question is not whole on screen, or when
// the footer lost the next key.
func TestEveryScreenFits(t *testing.T) {
	for _, tag := range lang.Supported() {
		t.Run(tag.String(), func(t *testing.T) {
			t.Parallel()
			cfg, _ := demoConfig(t, sandbox.New())
			cfg.Lang = lang.New(tag).Strict(func(key string) { t.Errorf("not translated: %q", key) })
			fw := newFitWalk(t, cfg)
			fw.walk()
			if fw.checked < 25 {
				t.Errorf("only %d screens were drawn: the walk stopped early", fw.checked)
			}
		})
	}
}

// fitWalk drives the recovery model directly, as the page does, and
// draws the wizard's frame around each screen at every size.
type fitWalk struct {
	t       *testing.T
	w       *Wizard
	f       *flow.Flow
	ctx     context.Context
	msgs    chan flow.Msg
	pending int
	timers  *fitClock
	checked int
	seen    map[string]bool
}

func newFitWalk(t *testing.T, cfg Config) *fitWalk {
	clock := &fitClock{changed: make(chan struct{}, 1)}
	cfg.After = clock.After
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := New(cfg)
	t.Cleanup(func() { _ = w.Close() })
	return &fitWalk{t: t, w: w, f: w.Flow(), ctx: ctx, msgs: make(chan flow.Msg, 64), timers: clock, seen: map[string]bool{}}
}

func (fw *fitWalk) run(cmds []flow.Cmd) {
	for _, c := range cmds {
		fw.pending++
		go func() { fw.msgs <- c(fw.ctx) }()
	}
}

// settle hands the model its messages until only timers are left, then
// draws the screen.
func (fw *fitWalk) settle() {
	fw.t.Helper()
	guard := time.After(60 * time.Second) // against a hang, not a timing
	for fw.pending > fw.timers.waiters() {
		select {
		case m := <-fw.msgs:
			fw.pending--
			fw.run(fw.f.Update(m))
		case <-fw.timers.changed:
		case <-guard:
			fw.t.Fatalf("the recovery never settled at %s", fw.f.Current())
		}
	}
	fw.check()
}

func (fw *fitWalk) do(a flow.ActionID) {
	fw.t.Helper()
	if !fitHas(fw.f.Screen(), a) {
		fw.t.Fatalf("at %s, the screen offers no %q:\n%s", fw.f.Current(), a, fw.draw(120, 40))
	}
	fw.run(fw.f.Do(a))
	fw.settle()
}

// edit types into the screen's n-th field.
func (fw *fitWalk) edit(n int, value string) {
	fw.t.Helper()
	sc := fw.f.Screen()
	if n >= len(sc.Fields) {
		fw.t.Fatalf("at %s, no field to type in:\n%s", fw.f.Current(), fw.draw(120, 40))
	}
	fw.run(fw.f.Edit(sc.Fields[n].ID, value))
	fw.settle()
}

// draw is the whole window at width x height, as plain text.
func (fw *fitWalk) draw(width, height int) string {
	fw.w.flow.refresh()
	fw.w.Update(tea.WindowSizeMsg{Width: width, Height: height})
	return ansi.Strip(fw.w.render())
}

var borders = regexp.MustCompile(`[│╭╮╰╯─]+`)

// check draws the screen at every size and fails on what a user could
// not read.
func (fw *fitWalk) check() {
	fw.t.Helper()
	sc := fw.f.Screen()
	source := fmt.Sprintf("%+v", sc)
	for _, size := range [][2]int{{60, 18}, {80, 24}, {120, 40}} {
		width, height := size[0], size[1]
		scr := fw.draw(width, height)
		where := fmt.Sprintf("%s at %dx%d", fw.f.Current(), width, height)
		rows := strings.Split(scr, "\n")
		if len(rows) > height {
			fw.t.Errorf("%s: %d lines for %d rows:\n%s", where, len(rows), height, scr)
		}
		for i, r := range rows {
			if ansi.StringWidth(r) > width {
				fw.t.Errorf("%s: line %d is %d cells wide: %q", where, i, ansi.StringWidth(r), r)
			}
		}
		if strings.Count(scr, "…") > strings.Count(source, "…") {
			fw.t.Errorf("%s: text was cut with \"…\":\n%s", where, scr)
		}
		if strings.Count(scr, "╭") != strings.Count(scr, "╰") {
			fw.t.Errorf("%s: a box lost a border:\n%s", where, scr)
		}
		flat := strings.Join(strings.Fields(borders.ReplaceAllString(scr, " ")), " ")
		for _, b := range sc.Blocks {
			if !b.Ask || b.Text == "" {
				continue
			}
			if q := strings.Join(strings.Fields(b.Text), " "); !strings.Contains(flat, q) {
				fw.t.Errorf("%s: the question %q is not whole on screen:\n%s", where, q, scr)
			}
		}
		if keys := fw.w.page.ShortHelp(); len(keys) > 0 && !sc.Busy {
			next := keys[0].Help()
			if last := rows[len(rows)-1]; !strings.Contains(last, next.Key+" "+next.Desc) {
				fw.t.Errorf("%s: the footer lost the next key %q:\n%s", where, next.Key+" "+next.Desc, scr)
			}
		}
		fw.checked++
	}
}

func fitHas(sc flow.Screen, a flow.ActionID) bool {
	for _, x := range sc.Actions {
		if x.ID == a {
			return true
		}
	}
	return false
}

// walk is the demo from the first screen to the last, with a detour to
// each screen that only shows on a key (details, a refused code, the
// questions asked before leaving something undone).
func (fw *fitWalk) walk() {
	t := fw.t
	fw.run(fw.f.Start())
	fw.settle()
	fw.do(flow.Continue) // welcome
	fw.do(flow.Continue) // the folder to check
	fw.do(flow.Details)  // a finding, whole
	fw.do(flow.Back)
	fw.do(flow.Continue) // the results
	fw.do(flow.Continue) // the plan
	fw.do(flow.Yes)      // the confirmation
	fw.do(flow.Reveal)   // the new keys, shown
	fw.do(flow.Save)
	fw.do(flow.Continue) // rotated
	// The files: one detail, the question before leaving them, then all done.
	fw.do(flow.Details)
	fw.do(flow.Back)
	fw.do(flow.Continue)
	fw.do(flow.No)
	for i := 0; i < 20 && fitHas(fw.f.Screen(), flow.Update) || fitHas(fw.f.Screen(), flow.Move); i++ {
		if fitHas(fw.f.Screen(), flow.Update) {
			fw.do(flow.Update)
		} else {
			fw.do(flow.Move)
			fw.do(flow.Yes)
		}
	}
	for i := 0; i < 3 && fw.f.Current() == flow.Files; i++ {
		fw.do(flow.Continue)
	}

	// The password: too short first, then a good one twice.
	fw.edit(0, "short")
	fw.do(flow.Continue)
	const pw = "walnut tidal prism eleven 47!"
	fw.edit(0, pw)
	fw.edit(1, pw)
	fw.do(flow.Continue)
	// Past "changed" and the app to install, to the code.
	for i := 0; i < 4 && len(fw.f.Screen().Fields) == 0; i++ {
		fw.do(flow.Continue)
	}
	seed := fitSeed(t, fw.f.Screen(), fw.draw(120, 40))
	fw.edit(0, "000000") // a wrong code
	fw.do(flow.Continue)
	code, err := recovery.GenerateTOTP(seed, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	fw.edit(0, code)
	fw.do(flow.Continue)
	fw.do(flow.Reveal) // the recovery codes
	fw.do(flow.WroteDown)
	fw.do(flow.Yes)
	fw.do(flow.Continue)

	// The review: a detail, the question before leaving things in place.
	fw.do(flow.Details)
	fw.do(flow.Back)
	fw.do(flow.Continue)
	fw.do(flow.Yes)
	// The report: read, then sent.
	fw.do(flow.Continue)
	if fw.f.Current() != flow.Report {
		t.Fatalf("the walk ended at %s, not at the report", fw.f.Current())
	}
}

func fitSeed(t *testing.T, sc flow.Screen, drawn string) string {
	t.Helper()
	for _, b := range sc.Blocks {
		if b.Kind == flow.QRBlock {
			u, err := url.Parse(b.URI.Reveal())
			if err != nil {
				t.Fatal(err)
			}
			return u.Query().Get("secret")
		}
	}
	t.Fatalf("no QR code on the two-factor screen:\n%s", drawn)
	return ""
}

// fitClock's timers go off only when told; it counts who waits, so the
// walk knows when all that is left is waiting for time.
type fitClock struct {
	mu      sync.Mutex
	waiting int
	changed chan struct{}
}

func (c *fitClock) After(time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.waiting++
	c.mu.Unlock()
	select {
	case c.changed <- struct{}{}:
	default:
	}
	return make(chan time.Time) // never: no screen here waits for the clock
}

func (c *fitClock) waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waiting
}

func TestColumnWidthsShareFairly(t *testing.T) {
	for _, c := range []struct {
		natural []int
		w       int
		want    []int
	}{
		{[]int{5, 10}, 40, []int{5, 10}},                         // all fit
		{[]int{18, 32, 11, 6, 10}, 78, []int{18, 29, 11, 6, 10}}, // only the widest gives way
		{[]int{30, 30}, 41, []int{20, 20}},                       // equal shares
		{[]int{4, 50, 50}, 30, []int{4, 12, 12}},
	} {
		got := columnWidths(c.natural, c.w, 8)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("columnWidths(%v, %d) = %v, want %v", c.natural, c.w, got, c.want)
		}
	}
}
