package flow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/record"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

type connectState int

const (
	connectReady  connectState = iota // credentials given: press Enter
	connectAsk                        // type the key pair
	connectNewKey                     // the master got a new secret in an earlier session: type it
	connectBusy                       // checking, opening the journal
	connectLocked                     // the journal is open in another process
	connectResume                     // an earlier run to resume, or not
)

// Field ids of the first screen.
const (
	fieldAPIKey = "api-key"
	fieldSecret = "secret"
)

// connect is the first screen: what happened and what comes, the account's
// master key pair (from the environment or typed), and an earlier run of
// this recovery to resume.
type connect struct {
	base
	f      *Flow
	state  connectState
	form   form
	reveal revealer
	busy   string
	err    string
	note   string // how the wizard signed in, when it is worth saying
	// hint and savedIn describe the master secret an earlier session
	// switched on, when the one given is refused.
	hint, savedIn string
	creds         mailjet.Credentials
	resume        record.Record
	// returnTo is the stage to go back to once signed in again (Mailjet
	// refused the key pair in the middle of the recovery).
	returnTo Stage
}

// Messages of the first screen.
type (
	connectedMsg struct {
		creds   mailjet.Credentials
		account mailjet.Account
		keys    []mailjet.APIKey
		err     error
	}
	peekedMsg struct {
		creds mailjet.Credentials
		rec   record.Record
		found map[string]secret.Secret // from the file the new keys were saved to
		from  string
	}
	openedMsg struct {
		journal *record.Journal
		err     error
	}
)

func newConnect(f *Flow) *connect {
	c := &connect{f: f, reveal: f.revealer()}
	c.form = newForm(
		Field{ID: fieldAPIKey, Label: f.T("API key"), Placeholder: f.T("the Primary API key, 32 characters"), Limit: 64, Width: 50},
		Field{ID: fieldSecret, Label: f.T("Secret key"), Placeholder: f.T("its secret key"), Limit: 64, Width: 50, Secret: true},
	)
	if f.cfg.Credentials == nil {
		c.state = connectAsk
	} else {
		c.creds = *f.cfg.Credentials
	}
	return c
}

// enter shows the first screen again when the user comes back to it: the
// session is signed in, Enter goes on.
func (c *connect) enter() []Cmd {
	if c.f.journal != nil {
		c.state, c.err, c.creds = connectReady, "", c.f.api.Credentials()
	}
	return nil
}

func (c *connect) leave() { c.reveal.hide() }

func (c *connect) drop() {
	c.form.clear(fieldSecret)
	c.creds.Secret = secret.Secret{}
}

func (c *connect) edit(id, v string) []Cmd {
	if c.state == connectAsk || c.state == connectNewKey {
		if c.form.set(id, v) {
			c.err = ""
		}
	}
	return nil
}

func (c *connect) do(a ActionID) []Cmd {
	if cmds, ok := c.reveal.answerAction(a); ok {
		return cmds
	}
	switch c.state {
	case connectReady:
		switch {
		case a == Continue && c.f.journal != nil:
			return c.f.finish(c.result()) // signed in already
		case a == Continue:
			return c.connect(c.creds)
		}
	case connectAsk:
		switch a {
		case Continue:
			if c.form.focus == fieldAPIKey && c.form.secret(fieldSecret).IsZero() {
				c.form.focusOn(fieldSecret)
				return nil
			}
			creds := mailjet.Credentials{APIKey: c.form.text(fieldAPIKey), Secret: c.form.secret(fieldSecret)}
			if creds.APIKey == "" || creds.Secret.IsZero() {
				c.err = c.f.T("Type both the API key and its secret key.")
				return nil
			}
			return c.connect(creds)
		case Reveal:
			c.reveal.toggle()
		}
	case connectNewKey:
		switch a {
		case Continue:
			s := c.form.secret(fieldSecret)
			if s.IsZero() {
				c.err = c.f.T("Paste the new secret key first.")
				return nil
			}
			return c.connect(mailjet.Credentials{APIKey: c.creds.APIKey, Secret: secret.New(strings.TrimSpace(s.Reveal()))})
		case Reveal:
			c.reveal.toggle()
		case Back:
			c.ask("")
		}
	case connectLocked:
		if a == Retry {
			return c.open()
		}
	case connectResume:
		switch a {
		case Yes:
			return c.resumeRun()
		case No:
			return c.startAgain()
		}
	}
	return nil
}

// reauth asks for the key pair again, then goes back to stage.
func (c *connect) reauth(stage Stage) {
	c.returnTo = stage
	c.creds = c.f.api.Credentials()
	c.ask(c.f.T("Mailjet refused the wizard's API key and secret. Type the current Primary API key and its secret "+
		"(from %s); the wizard then goes on where it was.", rotate.APIKeysPage))
}

// ask shows the key pair fields, the key filled in when known.
func (c *connect) ask(problem string) {
	c.state, c.err = connectAsk, problem
	c.form.put(fieldAPIKey, c.creds.APIKey)
	c.form.clear(fieldSecret)
	c.form.focusOn(fieldSecret)
	if c.creds.APIKey == "" {
		c.form.focusOn(fieldAPIKey)
	}
}

func (c *connect) connect(creds mailjet.Credentials) []Cmd {
	c.state, c.busy, c.err, c.creds = connectBusy, c.f.T("Connecting to Mailjet…"), "", creds
	api := mailjet.New(c.f.cfg.APIBaseURL, creds, mailjet.WithHTTPClient(c.f.cfg.HTTPClient))
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		account, err := api.Account(ctx)
		if err != nil {
			return connectedMsg{creds: creds, err: fmt.Errorf("read the account: %w", err)}
		}
		keys, err := api.ListAPIKeys(ctx)
		if err != nil {
			return connectedMsg{creds: creds, err: fmt.Errorf("read the API keys: %w", err)}
		}
		return connectedMsg{creds: creds, account: account, keys: keys}
	}}
}

// errNotMaster and errOtherAccount refuse a key pair that works.
var (
	errNotMaster    = errors.New("this is a sub-account key")
	errOtherAccount = errors.New("these keys belong to another account")
)

func (c *connect) update(msg Msg) []Cmd {
	switch m := msg.(type) {
	case hideMsg:
		c.reveal.expire(m)
	case connectedMsg:
		return c.connected(m)
	case peekedMsg:
		return c.peeked(m)
	case openedMsg:
		return c.opened(m)
	}
	return nil
}

func (c *connect) connected(m connectedMsg) []Cmd {
	if m.err == nil && !isMaster(m.keys, m.creds.APIKey) {
		m.err = errNotMaster
	}
	if want := c.f.cfg.RequireAccount; m.err == nil && want != "" && !strings.EqualFold(want, m.account.Email) {
		m.err = errOtherAccount
	}
	switch {
	case errors.Is(m.err, mailjet.ErrUnauthorized):
		return c.peek(m.creds)
	case errors.Is(m.err, errOtherAccount):
		c.ask(c.f.T("These keys belong to another Mailjet account than the one this session was opened for. "+
			"Use the keys of %s.", clean(c.f.cfg.RequireAccount)))
		return nil
	case errors.Is(m.err, errNotMaster):
		c.ask(c.f.T("This is a sub-account key. Use the Primary API key (the main account's): it can see and " +
			"replace every key of the account."))
		return nil
	case m.err != nil:
		c.state = connectReady
		if c.f.cfg.Credentials == nil || c.creds.APIKey != c.f.cfg.Credentials.APIKey || c.returnTo != "" {
			c.state = connectAsk
		}
		c.err = c.f.explain(c.f.T("Could not sign in"), m.err) + " " + c.f.T("(Enter tries again.)")
		return nil
	}
	f := c.f
	f.useCredentials(m.creds)
	f.account, f.keys = m.account, m.keys
	c.form.clear(fieldSecret) // the Flow holds it now; the field need not
	c.reveal.hide()
	if back := c.returnTo; back != "" {
		// Signed in again in the middle of the recovery: the journal is open.
		c.returnTo, c.state = "", connectReady
		if _, rotated := f.Record().Ledger().Log(m.creds.APIKey).Active(); !rotated {
			f.oldMaster = m.creds.Secret
		}
		return f.moveTo(back)
	}
	f.oldMaster = m.creds.Secret
	return c.open()
}

// peek looks, after a refused pair, at whether an earlier session of this
// recovery gave the master key a new secret: then the one given is the old
// one, and the screen asks for the new (reading it from the file the
// customer saved it to, when there is one).
func (c *connect) peek(creds mailjet.Credentials) []Cmd {
	store, id := c.f.store, c.f.progressID(creds.APIKey)
	c.busy = c.f.T("Looking at this recovery's saved progress…")
	return []Cmd{func(context.Context) Msg {
		rec, ok, err := store.Peek(id)
		if err != nil || !ok {
			return peekedMsg{creds: creds}
		}
		m := peekedMsg{creds: creds, rec: rec}
		for _, s := range slices.Backward(rec.Saved) {
			if s.What != savedKeys {
				continue
			}
			if found, err := rotate.ReadSaved(s.Path); err == nil {
				m.found, m.from = found, s.Path
				break
			}
		}
		return m
	}}
}

func (c *connect) peeked(m peekedMsg) []Cmd {
	log := m.rec.Ledger().Log(m.creds.APIKey)
	active, rotated := log.Active()
	var pending *rotate.Made
	for i := range log.Made {
		if log.Made[i].Handed != "" && !log.Made[i].Off {
			pending = &log.Made[i]
		}
	}
	if !rotated && pending == nil {
		c.ask(c.f.T("Mailjet refused this API key and secret. Copy both again from %s (the Primary API key), then press Enter.",
			rotate.APIKeysPage))
		return nil
	}
	if !rotated {
		active = *pending
	}
	if s, ok := m.found[m.creds.APIKey]; ok && s.Last4() == active.Hint && !s.Equal(m.creds.Secret) {
		c.note = c.f.T("Signed in with the new secret of the main key, read from %s.", clean(m.from))
		return c.connect(mailjet.Credentials{APIKey: m.creds.APIKey, Secret: s})
	}
	c.state, c.err = connectNewKey, ""
	c.hint, c.savedIn = active.Hint, ""
	if active.Path != "" {
		c.savedIn = active.Path
	}
	c.form.clear(fieldSecret)
	c.form.focusOn(fieldSecret)
	return nil
}

// open opens this recovery's journal.
func (c *connect) open() []Cmd {
	c.state, c.busy = connectBusy, c.f.T("Opening this recovery's saved progress…")
	store, id := c.f.store, c.f.progressID(c.f.api.Credentials().APIKey)
	return []Cmd{func(context.Context) Msg {
		j, err := store.Open(id)
		return openedMsg{journal: j, err: err}
	}}
}

func (c *connect) opened(m openedMsg) []Cmd {
	f := c.f
	switch {
	case errors.Is(m.err, record.ErrBusy):
		c.state = connectLocked
		c.err = f.T("This recovery is open in another mjrecover window right now. Close that one, then press r.")
		return nil
	case m.err != nil:
		// Without its journal the recovery still works, but nothing is
		// kept: the quit prompt says so.
		m.journal = &record.Journal{}
		c.err = ""
		f.saveErr = f.T("Progress cannot be kept (%s): if the connection drops, some steps may need doing again.", errText(m.err))
	}
	f.journal = m.journal
	rec := f.journal.Record()
	cmds := []Cmd{f.confirmActivation(rec)}
	if rec.Started() && !rec.Finished && (rec.Open.Account == "" || strings.EqualFold(rec.Open.Account, f.account.Email)) {
		c.state, c.resume = connectResume, rec
		return cmds
	}
	return append(cmds, c.begin()...)
}

// begin starts the recovery's journal (or a new page of it) and moves on.
func (c *connect) begin() []Cmd {
	f := c.f
	var cmds []Cmd
	if len(f.journal.Events()) == 0 {
		cmds = append(cmds, f.note(record.Event{V: record.Version, Type: record.Opened, Open: &record.Open{
			Account: f.account.Email, MasterKey: f.api.Credentials().APIKey, Mode: f.mode(), Version: f.cfg.Version}}))
	}
	return append(cmds, f.finish(c.result())...)
}

func (c *connect) result() support.StepResult {
	return support.StepResult{Status: support.StatusDone, Say: lang.Msg("Signed in as %s", clean(c.f.account.Email))}
}

// startAgain forgets the earlier run's stages and findings; what it did at
// Mailjet stays done, and its key journal stays so a half-made
// replacement is finished rather than made twice.
func (c *connect) startAgain() []Cmd {
	cmds := []Cmd{c.f.note(record.Event{Type: record.Restarted})}
	return append(cmds, c.begin()...)
}

// resumeRun goes back to where the earlier run stopped.
func (c *connect) resumeRun() []Cmd {
	f := c.f
	rec := c.resume
	if rec.Scan != nil && !rec.Scan.Sites {
		f.scanRoot = rec.Scan.Root
	}
	in := info(Connect)
	r := c.result()
	r.Number, r.Name = in.Step, in.Name
	cmds := []Cmd{f.note(record.Event{Type: record.StageDone, Stage: string(Connect), Step: &r})}
	return append(cmds, f.moveTo(f.resumeAt(rec))...)
}

// resumeAt is where a resumed recovery goes on: the stage it was in, else
// the first one not done.
func (f *Flow) resumeAt(rec record.Record) Stage {
	if s := Stage(rec.Current); s != "" && s != Connect && info(s).Name != "" && (info(s).Kiosk || !f.cfg.Kiosk) {
		return s
	}
	for s := after(Connect, f.cfg.Kiosk); s != ""; s = after(s, f.cfg.Kiosk) {
		if _, done := rec.Done[string(s)]; !done {
			return s
		}
	}
	return Report
}

// confirmActivation notes what signing in proved: a new master secret
// the journal did not know was switched on (its answer lost) is the one
// that works now. The secret is held for this session.
func (f *Flow) confirmActivation(rec record.Record) Cmd {
	creds := f.api.Credentials()
	log := rec.Ledger().Log(creds.APIKey)
	for _, m := range slices.Backward(log.Made) {
		if m.Hint != creds.Secret.Last4() || m.Off {
			continue
		}
		f.held[m.Ref] = creds.Secret
		if m.Active {
			return nil
		}
		slot := rotate.Slot{Old: mailjet.APIKey{APIKey: creds.APIKey, IsMaster: true}}
		e := rotate.HandedOver(slot, m, rotate.HandTyped, "")
		e.Op, e.Problem = rotate.OpActivate, "confirmed at sign-in: the new secret works"
		e.At = f.cfg.Now()
		return f.note(record.Event{Type: record.Rotation, Key: &e})
	}
	return nil
}

// progressID names this recovery's journal.
func (f *Flow) progressID(apiKey string) string {
	if f.cfg.ProgressID != "" {
		return f.cfg.ProgressID
	}
	return apiKey
}

// mode is how the wizard runs, for the record.
func (f *Flow) mode() string {
	switch {
	case f.cfg.Kiosk:
		return "kiosk"
	case f.cfg.Demo:
		return "demo"
	}
	return "live"
}

// useCredentials points the clients at a (new) master key pair.
func (f *Flow) useCredentials(creds mailjet.Credentials) {
	if f.api == nil {
		f.api = mailjet.New(f.cfg.APIBaseURL, creds, mailjet.WithHTTPClient(f.cfg.HTTPClient))
	} else {
		f.api = f.api.WithCredentials(creds)
	}
	if f.cfg.RecoveryURL == "" {
		return
	}
	if f.rec == nil {
		f.rec = recovery.New(f.cfg.RecoveryURL, creds, recovery.WithHTTPClient(f.cfg.HTTPClient))
	} else {
		f.rec = f.rec.WithCredentials(creds)
	}
}

func isMaster(keys []mailjet.APIKey, apiKey string) bool {
	for _, k := range keys {
		if k.APIKey == apiKey {
			return k.IsMaster
		}
	}
	return false
}

func (c *connect) screen() Screen {
	f := c.f
	s := Screen{Busy: c.state == connectBusy}
	intro := f.T("Mailjet switched off your account because its API keys were found where they should not be. " +
		"This wizard takes you through the five steps Mailjet asks for before support can switch it back on:")
	steps := StepNames()
	switch c.state {
	case connectResume:
		return c.resumeScreen()
	case connectAsk, connectNewKey:
		// The fields need the room: the steps go on one line.
		var names []string
		for i, n := range steps {
			names = append(names, fmt.Sprintf("%d. %s", i+1, f.Lang().Text(n)))
		}
		s.Blocks = append(s.Blocks, text(intro), text(strings.Join(names, " · ")))
	default:
		var items []Item
		for i, n := range steps {
			items = append(items, Item{Cols: []string{fmt.Sprintf("  %d. %s", i+1, f.Lang().Text(n))}})
		}
		s.Blocks = append(s.Blocks, text(intro), Block{Kind: ListBlock, List: &List{Items: items, Selected: -1}})
	}
	s.Blocks = append(s.Blocks, text(f.T("It takes about 15 to 30 minutes. Nothing changes at Mailjet until you say so.")))
	switch c.state {
	case connectAsk:
		s.Blocks = append(s.Blocks, text(f.T("Your Primary API key and its secret are on %s.", rotate.APIKeysPage)),
			tight(input(fieldAPIKey)), tight(input(fieldSecret)))
		s.Fields, s.Focus = c.form.view(c.reveal.shown), c.form.focus
		s.Actions = []Action{act(Continue, f.T("continue")), act(Reveal, f.T("show/hide"))}
	case connectNewKey:
		s.Blocks = append(s.Blocks, toned(Bad, c.newKeyText()), tight(input(fieldSecret)))
		s.Fields, s.Focus = c.form.view(c.reveal.shown)[1:], fieldSecret
		s.Actions = []Action{act(Continue, f.T("check it")), act(Reveal, f.T("show/hide")), act(Back, f.T("type another key pair"))}
	default:
		if f.cfg.Demo {
			s.Blocks = append(s.Blocks, toned(Warn, f.T("Demo: a practice account on a built-in sandbox. Nothing real changes.")))
		}
		src := f.cfg.CredentialsSource
		if src == "" {
			src = f.T("the environment")
		}
		s.Blocks = append(s.Blocks, tight(Block{Kind: PairsBlock, Pairs: []Pair{{Label: f.T("API key"), Value: c.creds.APIKey}}}),
			tight(toned(Muted, f.T("from %s", src))))
	}
	if c.reveal.ask(&s) {
		return s
	}
	switch {
	case c.state == connectBusy:
		s.Blocks = append(s.Blocks, working(c.busy))
	case c.err != "":
		s.Blocks = append(s.Blocks, toned(Bad, c.err))
		if c.state == connectLocked {
			s.Actions = []Action{act(Retry, f.T("try again"))}
		}
	case c.state == connectReady:
		s.Blocks = append(s.Blocks, question(f.T("Press Enter to start.")))
	}
	if c.state == connectReady {
		s.Actions = []Action{act(Continue, f.T("continue"))}
	}
	return s
}

func (c *connect) newKeyText() string {
	f := c.f
	t := []string{f.T("Mailjet refused this secret: it is the old one. An earlier session of this recovery gave the main key a new secret.")}
	if c.hint != "" {
		t[0] = f.T("Mailjet refused this secret: it is the old one. An earlier session of this recovery gave the main key a new secret, ending in %s.", c.hint)
	}
	if c.savedIn != "" {
		t = append(t, f.T("You saved it to %s.", clean(c.savedIn)))
	}
	t = append(t, f.T("Paste it below. If you no longer have it, reset the main key's secret on %s "+
		"(the gear menu next to the key, Reset Secret Key) and paste that one.", rotate.APIKeysPage))
	out := strings.Join(t, " ")
	if c.err != "" {
		out += "\n" + c.err
	}
	return out
}

func (c *connect) resumeScreen() Screen {
	f := c.f
	r := c.resume
	s := Screen{Actions: []Action{act(Yes, f.T("resume")), act(No, f.T("start again"))}}
	s.Blocks = append(s.Blocks, toned(Title, f.T("You have started this recovery before.")),
		text(f.T("Account %[1]s, last saved %[2]s. Done so far:", clean(r.Open.Account), f.Lang().Moment(r.Updated.Local()))))
	var items []Item
	for i, name := range StepNames() {
		mark, tone, word := "·", Muted, f.T("not yet")
		if res, ok := checklistResult(r, i+1); ok {
			mark, tone, word = "✓", Good, f.statusWords(res.Status)
		}
		items = append(items, Item{Mark: mark, MarkTone: tone, Cols: []string{fmt.Sprintf("%d. %s", i+1, f.Lang().Text(name)), word}})
	}
	s.Blocks = append(s.Blocks, Block{Kind: ListBlock, List: &List{Items: items, Selected: -1}})
	if at := info(f.resumeAt(r)); at.Step > 0 {
		s.Blocks = append(s.Blocks, text(f.T("It goes on at step %[1]d, %[2]s.", at.Step, f.Lang().Text(at.Name))))
	}
	s.Blocks = append(s.Blocks, question(f.T("Pick up where you left off? y: resume   n: start again (what was done at Mailjet stays done)")))
	if c.note != "" {
		s.Blocks = append(s.Blocks, toned(Good, c.note))
	}
	return s
}

// statusWords says a step's outcome.
func (f *Flow) statusWords(st support.Status) string {
	switch st {
	case support.StatusDone:
		return f.T("done")
	case support.StatusGuided:
		return f.T("guided")
	case support.StatusSkipped:
		return f.T("skipped")
	case support.StatusPending:
		return f.T("not done")
	}
	return clean(string(st))
}

// checklistResult is step n's outcome in a record: its checklist stage's.
func checklistResult(r record.Record, n int) (support.StepResult, bool) {
	for _, s := range Stages() {
		if s.Step == n && s.Checklist {
			res, ok := r.Done[string(s.ID)]
			return res, ok
		}
	}
	return support.StepResult{}, false
}
