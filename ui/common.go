package ui

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/password"
	"github.com/mjrecover/mjrecover/steps/progress"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

// Config is what main wires into the wizard.
type Config struct {
	Version string
	Demo    bool // running against the embedded sandbox

	APIBaseURL  string
	RecoveryURL string // "" when there is no recovery API: those steps are guided
	HTTPClient  *http.Client

	// Credentials of the account's master key; nil means the welcome
	// screen asks for them.
	Credentials *mailjet.Credentials
	// CredentialsSource says where Credentials came from, for the welcome
	// screen ("MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE", "the demo account").
	CredentialsSource string

	// Presenting: the screen is shared. Secrets stay hidden until the user
	// confirms that no one else can see the screen, and hide again after
	// 30 seconds or when the step is left.
	Presenting bool

	// IdleWarn and IdleLimit end a session nobody types in: a warning
	// after IdleWarn without a key press, the end after IdleLimit. Only
	// key presses count: a spinner or countdown on screen does not keep
	// the session alive. MaxSession ends it regardless. Zero: no limit.
	IdleWarn, IdleLimit, MaxSession time.Duration

	// Kiosk: a session support hosts over SSH. Nothing is saved on the
	// machine for the user (they cannot fetch it): no "save to a file".
	Kiosk bool
	// RequireAccount, when set, is the only account (email) this session
	// may recover: a kiosk access code is issued for one account.
	RequireAccount string
	// OnStep, when set, hears each step's outcome (the kiosk's audit log).
	// It must not block.
	OnStep func(account string, r support.StepResult)

	// StateDir keeps the recovery's progress between runs, so a dropped
	// connection loses nothing ("": nothing is kept). ProgressID names
	// the saved progress ("": the account's master API key).
	StateDir   string
	ProgressID string

	ScanRoot string // default folder for the investigation
	// ScanURLs are the web sites a kiosk session checks from the outside
	// (it cannot read the customer's server); empty: the sites of the
	// account's sender domains.
	ScanURLs  []string
	ReportDir string // where the report and any file the user saves go

	Breaches        password.Breaches // nil: check passwords offline only
	CommonPasswords []string

	Context context.Context // cancelled when the program must stop
	Now     func() time.Time
	Rand    io.Reader
}

// Common is shared by every screen: size, styles, keys and the session.
type Common struct {
	Width, Height int // of the screen's body area
	// DarkBackground is the terminal's background as it reported it
	// (dark when it did not answer); the QR code's polarity follows it.
	DarkBackground bool
	Styles         *Styles
	Keys           *KeyMap
	Session        *Session
	// Spinner is the one busy indicator: a screen that starts work returns
	// Spinner.Tick, and the wizard keeps it turning while the screen is Busy.
	Spinner spinner.Model
}

// Session is what the wizard learns and changes as the user goes. It is
// only touched from Update (the Bubble Tea loop); commands get copies of
// what they need.
type Session struct {
	Config
	API      *mailjet.Client
	Recovery *recovery.Client // nil: guided steps
	Account  mailjet.Account
	Keys     []mailjet.APIKey // the account's keys as last read
	Scan     *investigate.Result
	ScanPath string // the folder the scan was run on
	// Restored holds what an earlier run of this recovery found (redacted),
	// and Leaked the public keys it saw leaked, when the user resumed it.
	Restored []support.Finding
	Leaked   map[string]bool

	// Progress is where the recovery is saved (nil: it is not), under
	// ProgressKey; Journal is the key rotation's journal there.
	Progress    *progress.Store
	ProgressKey string
	Journal     *progress.Journal

	// Results are the steps' outcomes, by step number.
	Results map[int]support.StepResult
	// Actions are what pages within steps did (the settings files, the
	// account review), for the report, by page.
	Actions map[string][]support.Line
	// Rotated holds the rotation's results, new secrets included, from
	// the end of the rotation until the new keys are in the settings files
	// (or the user skips that page); then they are dropped.
	Rotated []rotate.Result
	// Usage is how each key was used, read before the rotation (old keys
	// stop answering after it), for the account review.
	Usage []review.KeyUsage
	// Replacements link the sub-account keys replaced to their new keys.
	Replacements []review.Replacement
	// OldMaster is the master secret the session started with, and
	// MasterResetAt when it was replaced: over SMTP the old one keeps
	// working for about an hour, which the support page offers to check.
	OldMaster     secret.Secret
	MasterResetAt time.Time

	ReportMarkdown, ReportJSON, Ticket string
}

// LeakedKeys are the public keys found leaked, by this run's scan or an
// earlier run's.
func (s *Session) LeakedKeys() map[string]bool {
	if s.Scan != nil {
		return investigate.LeakedKeys(s.Scan.Findings)
	}
	return s.Leaked
}

// keepProgress sets up the saved progress for the account whose master key
// is apiKey (unless the session already has a ProgressID).
func (s *Session) keepProgress(apiKey string) {
	if s.StateDir == "" {
		return
	}
	id := s.ProgressID
	if id == "" {
		id = apiKey
	}
	s.Progress = &progress.Store{Dir: s.StateDir}
	s.ProgressKey = progress.Key(id)
	s.Journal = s.Progress.Journal(s.ProgressKey)
}

// snapshot is the progress to save now: no secret in it.
func (s *Session) snapshot() progress.State {
	st := progress.State{
		Account: s.Account.Email, Steps: map[int]support.StepResult{},
		UpdatedAt: s.Now(), ScanRoot: s.ScanPath, Findings: s.Restored,
	}
	if s.API != nil {
		st.MasterKey = s.API.Credentials().APIKey
	}
	for n, r := range s.Results {
		if n > 0 {
			st.Steps[n] = r
		}
	}
	if s.Scan != nil {
		st.Findings = support.Redacted(s.ScanPath, s.Scan.Findings)
	}
	for k := range s.LeakedKeys() {
		st.Leaked = append(st.Leaked, k)
	}
	st.Actions = s.actionLines()
	return st
}

// UseCredentials points the clients at a (new) master key pair.
func (s *Session) UseCredentials(creds mailjet.Credentials) {
	if s.API == nil {
		s.API = mailjet.New(s.APIBaseURL, creds, mailjet.WithHTTPClient(s.HTTPClient))
	} else {
		s.API = s.API.WithCredentials(creds)
	}
	if s.RecoveryURL != "" {
		if s.Recovery == nil {
			s.Recovery = recovery.New(s.RecoveryURL, creds, recovery.WithHTTPClient(s.HTTPClient))
		} else {
			s.Recovery = s.Recovery.WithCredentials(creds)
		}
	}
}

// screen is one page of the wizard. Only the wizard returns a tea.View;
// screens draw their body into the area Common gives them.
type screen interface {
	Init() tea.Cmd
	Update(tea.Msg) (screen, tea.Cmd)
	View() string
	// ShortHelp lists the keys that work right now.
	ShortHelp() []key.Binding
	// Busy reports work in flight: Esc does not leave the screen then.
	Busy() bool
}

// stepDoneMsg moves the wizard to the next step.
type stepDoneMsg struct{ result support.StepResult }

func stepDone(r support.StepResult) tea.Cmd {
	return func() tea.Msg { return stepDoneMsg{r} }
}

// stepBackMsg moves the wizard to the previous step.
type stepBackMsg struct{}

func stepBack() tea.Msg { return stepBackMsg{} }

// finishMsg ends the wizard after the last step.
type finishMsg struct{}

// fileSavedMsg says where a file the user asked for was saved.
type fileSavedMsg struct {
	path string
	err  error
}

// saveFile writes a file the user asked for into dir, named prefix plus
// the time and ".txt"; write does the writing (0600, never replacing).
func saveFile(dir, prefix string, now time.Time, write func(path string) error) tea.Cmd {
	return func() tea.Msg {
		path := filepath.Join(dir, prefix+now.Format("20060102-150405")+".txt")
		return fileSavedMsg{path: path, err: write(path)}
	}
}

// actionLines are the pages' report lines in the wizard's order.
func (s *Session) actionLines() []support.Line {
	var out []support.Line
	for _, name := range []string{"restored", filesPage, reviewPage} {
		out = append(out, s.Actions[name]...)
	}
	return out
}
