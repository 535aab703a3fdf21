// Package flow is the recovery as a model, with no user interface in it:
// the stages in order (stage.go), what each shows and asks (Screen), and
// a state machine that takes the user's actions and the results of its own
// work. Every front-end (the full-screen wizard, the accessible line mode,
// the kiosk) drives this one model; none keeps a copy of the flow.
//
// The model does no I/O itself: what needs the network or the disk comes
// back as a Cmd, which the front-end runs off its loop and whose Msg it
// hands to Update. Everything that happens at Mailjet and on disk is
// written to the recovery's journal (steps/record) before and after, so
// an interruption anywhere loses nothing; the record holds no secret.
package flow

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/investigate/remote"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/password"
	"github.com/mjrecover/mjrecover/steps/record"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

// Config is what a front-end wires into a recovery.
type Config struct {
	Version string
	Demo    bool // against the embedded sandbox
	// Lang is the customer's language (nil: English). Every word the
	// recovery says goes through it; the journal and the report's JSON
	// stay in English.
	Lang *lang.Printer

	APIBaseURL  string
	RecoveryURL string // "" when there is no recovery API: those steps are guided
	HTTPClient  *http.Client

	// Credentials of the account's master key; nil means the first screen
	// asks for them. CredentialsSource says where they came from ("the
	// demo account", "MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE"), in the
	// customer's language (the first screen shows it as it is).
	Credentials       *mailjet.Credentials
	CredentialsSource string

	// Presenting: the screen is shared. Secrets stay hidden until the user
	// confirms that no one else can see the screen, and hide again after
	// 30 seconds or when the stage is left.
	Presenting bool
	// Kiosk: a session support hosts over SSH. It cannot reach the
	// customer's files and keeps no file for them.
	Kiosk bool
	// RequireAccount, when set, is the only account (email) this session
	// may recover: a kiosk access code is issued for one account.
	RequireAccount string
	// OnStep, when set, hears each step's outcome (the kiosk's audit log).
	// It must not block.
	OnStep func(account string, r support.StepResult)

	// StateDir keeps the recovery's journal between runs ("": nothing is
	// kept). ProgressID names it ("": the account's master API key).
	StateDir   string
	ProgressID string
	// Journals, when set, keeps the journal instead of StateDir: the
	// kiosk's store, shared by its hosts.
	Journals record.Backend

	ScanRoot string // the folder the investigation starts with
	// GitHub, when set, lets Step 1 also read the public repositories of
	// the customer's GitHub account (asked, optional); nil: not asked.
	GitHub *remote.GitHub
	// LogRoots are where the usual places of web-server access logs
	// (var/log/nginx ...) are looked for: "/" on the customer's server;
	// nil reads only the scanned folder's own logs (the demo, tests).
	LogRoots []string
	// ScanURLs are the web sites a kiosk session checks from the outside;
	// empty: the sites of the account's sender domains.
	ScanURLs  []string
	ReportDir string // where the report and any file the user saves go

	Breaches        password.Breaches // nil: check passwords offline only
	CommonPasswords []string
	// Passwords, when set, is a checker built once (password.NewChecker
	// with no breaches) and shared by many flows, instead of one made
	// from CommonPasswords for each.
	Passwords *password.Checker
	// PassphraseWords are the words a suggested password is made of (nil:
	// no suggestion).
	PassphraseWords []string

	// ReadyWait is how long the rotation waits between checks that a new
	// key works (0: rotate's default).
	ReadyWait time.Duration

	Now  func() time.Time
	Rand io.Reader
	// After is the clock's timer (nil: time.After): how long a secret
	// stays shown in presenting mode, the countdown of a wait. Tests
	// give their own to run time on.
	After func(time.Duration) <-chan time.Time
}

// Cmd is work the model needs done (network, disk, a timer). The
// front-end runs it off its loop, with a context that ends when the
// program must stop, and hands the Msg to Update.
type Cmd func(ctx context.Context) Msg

// Msg is the result of a Cmd.
type Msg any

// Outcome is how the recovery ended, for the front-end to say after exit.
type Outcome struct {
	Finished       bool
	ReportMarkdown string
	ReportJSON     string
	Ticket         string
}

// Flow is one recovery.
type Flow struct {
	cfg     Config
	store   record.Store
	journal *record.Journal // nil until signed in

	api     *mailjet.Client
	rec     *recovery.Client // nil: guided steps
	account mailjet.Account
	keys    []mailjet.APIKey // the account's keys, as last read
	// oldMaster is the master secret the session signed in with, until
	// the rotation replaced it: the old pair must then be refused, and
	// over SMTP it works for about an hour more.
	oldMaster     secret.Secret
	masterResetAt time.Time
	held          rotate.Secrets // new secrets in memory, by rotate.Made.Ref

	scan     *investigate.Result // this run's scan, in full
	scanRoot string
	plan     rotate.Plan // as confirmed, or rebuilt for a resumed rotation

	stages  map[Stage]stage
	current Stage

	saveErr  string // why the journal could not be written, until it can
	refused  bool   // Mailjet refused the wizard's key pair after it signed in
	finished bool
	outcome  Outcome
}

// New starts a recovery.
func New(cfg Config) *Flow {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	f := &Flow{cfg: cfg, store: record.Store{Dir: cfg.StateDir, Backend: cfg.Journals}, held: rotate.Secrets{}}
	f.stages = map[Stage]stage{
		Connect:       newConnect(f),
		Investigate:   newInvestigate(f),
		Plan:          newPlan(f),
		Rotate:        newRotation(f),
		Files:         newFiles(f),
		Password:      newPassword(f),
		TwoFactor:     newTwoFactor(f),
		RecoveryCodes: newCodes(f),
		Review:        newReview(f),
		Report:        newReport(f),
	}
	f.current = Connect
	return f
}

// stage is one stage's controller. Its Cmds' messages come back to it
// (wrapped by the Flow), even after the user moved on.
type stage interface {
	enter() []Cmd
	leave()
	screen() Screen
	do(ActionID) []Cmd
	edit(field, value string) []Cmd
	pick(i int)
	update(Msg) []Cmd
}

// base gives a stage the methods it has no use for.
type base struct{}

func (base) leave()                    {}
func (base) edit(string, string) []Cmd { return nil }
func (base) pick(int)                  {}

// T says the message key (a constant English format) in the customer's
// language.
func (f *Flow) T(key string, args ...any) string { return f.cfg.Lang.T(key, args...) }

// Lang is the customer's language, for the front-end's own words.
func (f *Flow) Lang() *lang.Printer { return f.cfg.Lang }

// Start returns the first stage's work.
func (f *Flow) Start() []Cmd { return f.wrap(Connect, f.stages[Connect].enter()) }

// Current is the stage on screen.
func (f *Flow) Current() Stage { return f.current }

// Screen is what to show now.
func (f *Flow) Screen() Screen {
	s := f.stages[f.current].screen()
	in := info(f.current)
	s.Stage, s.Step, s.Name = f.current, in.Step, f.Lang().Text(in.Name)
	if s.Why == "" {
		s.Why = f.Lang().Text(in.Why)
	}
	if f.saveErr != "" {
		s.Why, s.Alert = f.saveErr, true
	}
	if f.refused && f.current != Connect && !s.Busy {
		s.Actions = append(s.Actions, act(SignIn, f.T("sign in again")))
	}
	return s
}

// Do takes an action of the current screen.
func (f *Flow) Do(a ActionID) []Cmd {
	if a == SignIn && f.refused && f.current != Connect {
		return f.signInAgain()
	}
	if !f.allowed(a) {
		return nil
	}
	return f.wrap(f.current, f.stages[f.current].do(a))
}

// allowed: only what the screen offers can be done (a front-end that maps
// keys loosely must not reach a hidden action). A busy screen offers only
// what stops its work.
func (f *Flow) allowed(a ActionID) bool {
	s := f.stages[f.current].screen()
	for _, x := range s.Actions {
		if x.ID == a {
			return true
		}
	}
	return false
}

// Edit tells the model a field's text changed.
func (f *Flow) Edit(field, value string) []Cmd {
	return f.wrap(f.current, f.stages[f.current].edit(field, value))
}

// Select chooses the row at index i of the screen's list (List.Items,
// headings counted).
func (f *Flow) Select(i int) { f.stages[f.current].pick(i) }

// stageMsg carries a stage's message back to it.
type stageMsg struct {
	stage Stage
	msg   Msg
}

// savedMsg reports a write of the journal.
type savedMsg struct{ err error }

// Update takes the result of a Cmd.
func (f *Flow) Update(msg Msg) []Cmd {
	switch m := msg.(type) {
	case stageMsg:
		return f.wrap(m.stage, f.stages[m.stage].update(m.msg))
	case savedMsg:
		f.saveErr = ""
		if m.err != nil {
			f.saveErr = f.T("Progress could not be saved (%s): if the connection drops, some steps may need doing again.", errText(m.err))
		}
	}
	return nil
}

// wrap tags a stage's Cmds so their messages come back to it.
func (f *Flow) wrap(s Stage, cmds []Cmd) []Cmd {
	out := make([]Cmd, 0, len(cmds))
	for _, c := range cmds {
		if c == nil {
			continue
		}
		out = append(out, func(ctx context.Context) Msg {
			m := c(ctx)
			switch m.(type) {
			case nil, savedMsg, stageMsg:
				return m
			}
			return stageMsg{s, m}
		})
	}
	return out
}

// note adds events to the journal (no I/O) and returns the Cmd that
// writes them.
func (f *Flow) note(es ...record.Event) Cmd {
	if f.journal == nil {
		return nil
	}
	now := f.cfg.Now()
	for i := range es {
		if es[i].At.IsZero() {
			es[i].At = now
		}
	}
	f.journal.Add(es...)
	return f.save()
}

// save writes what the journal holds that is not on disk yet.
func (f *Flow) save() Cmd {
	j := f.journal
	if j == nil || !j.OnDisk() {
		return nil
	}
	return func(context.Context) Msg { return savedMsg{err: j.Save()} }
}

// Record is the recovery's record as it stands.
func (f *Flow) Record() record.Record {
	if f.journal == nil {
		return record.Record{}
	}
	return f.journal.Record()
}

// finish ends the current stage with its outcome and moves on. The
// outcome is a message (r.Say): the journal keeps it with its English
// (r.Detail), so the report says it in any language.
func (f *Flow) finish(r support.StepResult) []Cmd {
	in := info(f.current)
	r.Number, r.Name = in.Step, in.Name
	if r.Detail == "" {
		r.Detail = r.Say.String()
	}
	cmds := []Cmd{f.note(record.Event{Type: record.StageDone, Stage: string(f.current), Step: &r})}
	if in.Checklist && f.cfg.OnStep != nil {
		f.cfg.OnStep(f.account.Email, r)
	}
	next := after(f.current, f.cfg.Kiosk)
	if next == "" {
		return append(cmds, f.end()...)
	}
	return append(cmds, f.moveTo(next)...)
}

// moveTo leaves the current stage for s.
func (f *Flow) moveTo(s Stage) []Cmd {
	f.stages[f.current].leave()
	f.current = s
	cmds := []Cmd{f.note(record.Event{Type: record.Entered, Stage: string(s)})}
	return append(cmds, f.wrap(s, f.stages[s].enter())...)
}

// back goes to the stage before, where that is safe.
func (f *Flow) back() []Cmd {
	prev := before(f.current, f.cfg.Kiosk)
	if prev == "" {
		return nil
	}
	return f.moveTo(prev)
}

// end closes a finished recovery: its journal goes (a finished recovery
// is not resumed), and the front-end hears it is over.
func (f *Flow) end() []Cmd {
	f.finished = true
	f.outcome.Finished = true
	j := f.journal
	f.dropSecrets()
	if j == nil {
		return nil
	}
	j.Add(record.Event{At: f.cfg.Now(), Type: record.Finished})
	return []Cmd{func(context.Context) Msg { return savedMsg{err: j.Delete()} }}
}

// Finished reports that the recovery is over.
func (f *Flow) Finished() bool { return f.finished }

// Outcome reports how the recovery ended.
func (f *Flow) Outcome() Outcome { return f.outcome }

// End drops every secret the recovery holds (a session that timed out):
// nothing is left in memory for the next person at the keyboard.
func (f *Flow) End() {
	f.dropSecrets()
	f.api, f.rec = nil, nil
	f.cfg.Credentials = nil
}

func (f *Flow) dropSecrets() {
	f.held = rotate.Secrets{}
	f.oldMaster = secret.Secret{}
	for _, s := range f.stages {
		s.leave()
		if d, ok := s.(dropper); ok {
			d.drop()
		}
	}
}

// dropper is a stage that holds a secret of its own (a typed password, a
// two-factor key, recovery codes): drop forgets it.
type dropper interface{ drop() }

// Close releases the journal (its lock), keeping it for the next run.
func (f *Flow) Close() error {
	if f.journal == nil {
		return nil
	}
	return f.journal.Close()
}
