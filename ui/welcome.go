package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/progress"
	"github.com/mjrecover/mjrecover/steps/support"
)

// welcomeScreen says what happened and what comes, and gets the account's
// master key pair: from the environment, or typed by the user.
type welcomeScreen struct {
	c          *Common
	asking     bool // the key pair must be typed
	apiKey     field
	secretKey  field
	focus      int
	reveal     revealer
	connecting bool
	err        string
	resume     *progress.State // an earlier run of this recovery, offered to resume
	done       support.StepResult
}

// progressLoadedMsg brings an earlier run's saved progress, if any.
type progressLoadedMsg struct {
	state progress.State
	ok    bool
	err   error
}

// resumeMsg tells the wizard the session was restored from saved progress.
type resumeMsg struct{}

// connectedMsg is the answer to connecting with a key pair.
type connectedMsg struct {
	creds   mailjet.Credentials
	account mailjet.Account
	keys    []mailjet.APIKey
	err     error
}

func newWelcome(c *Common) *welcomeScreen {
	s := &welcomeScreen{
		c:         c,
		asking:    c.Session.API == nil,
		apiKey:    newField("API key", "the Primary API key, 32 characters", 64),
		secretKey: newSecretField("Secret key", "its secret key", 64),
		reveal:    newRevealer(revealWelcomeSecret, c.Session.Presenting),
	}
	return s
}

func (s *welcomeScreen) Init() tea.Cmd {
	if s.asking && !s.connecting {
		return s.focusField(s.focus)
	}
	return nil
}

func (s *welcomeScreen) Busy() bool { return s.connecting }

func (s *welcomeScreen) focusField(i int) tea.Cmd {
	s.focus = i
	if i == 0 {
		s.secretKey.Blur()
		return s.apiKey.Focus()
	}
	s.apiKey.Blur()
	return s.secretKey.Focus()
}

func (s *welcomeScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	if s.connecting {
		return nil
	}
	if s.resume != nil {
		return []key.Binding{withHelp(k.Yes, "resume"), withHelp(k.No, "start again")}
	}
	if s.asking {
		return []key.Binding{k.Continue, k.Next, k.RevealTxt, k.Clear}
	}
	return []key.Binding{k.Continue}
}

func (s *welcomeScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.apiKey.SetWidth(min(msg.Width, 50))
		s.secretKey.SetWidth(min(msg.Width, 50))
		return s, nil
	case connectedMsg:
		return s, s.connected(msg)
	case progressLoadedMsg:
		return s, s.progressLoaded(msg)
	case hideMsg:
		s.reveal.expire(msg)
	case leaveMsg:
		s.reveal.hide()
	case tea.KeyPressMsg:
		if s.connecting {
			return s, nil
		}
		return s, s.handleKey(msg)
	case tea.PasteMsg:
		return s, s.updateField(msg)
	}
	return s, nil
}

func (s *welcomeScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	if cmd, ok := s.reveal.answerKey(msg, k); ok {
		return cmd
	}
	if s.resume != nil {
		switch {
		case key.Matches(msg, k.Yes):
			return s.answerResume(true)
		case key.Matches(msg, k.No):
			return s.answerResume(false)
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Continue):
		if s.asking && s.focus == 0 {
			return s.focusField(1)
		}
		return s.connect()
	case !s.asking:
		return nil
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		return s.focusField(1 - s.focus)
	case key.Matches(msg, k.RevealTxt):
		return s.reveal.toggle()
	case key.Matches(msg, k.Clear):
		s.current().Clear()
		return nil
	}
	return s.updateField(msg)
}

func (s *welcomeScreen) current() *field {
	if s.focus == 0 {
		return &s.apiKey
	}
	return &s.secretKey
}

func (s *welcomeScreen) updateField(msg tea.Msg) tea.Cmd {
	f := s.current()
	var cmd tea.Cmd
	*f, cmd = f.Update(msg)
	s.err = ""
	return cmd
}

func (s *welcomeScreen) connect() tea.Cmd {
	sess := s.c.Session
	api := sess.API
	if s.asking {
		creds := mailjet.Credentials{
			APIKey: strings.TrimSpace(s.apiKey.Text()),
			Secret: s.secretKey.Secret(),
		}
		if creds.APIKey == "" || creds.Secret.IsZero() {
			s.err = "Type both the API key and its secret key."
			return nil
		}
		api = mailjet.New(sess.APIBaseURL, creds, mailjet.WithHTTPClient(sess.HTTPClient))
	}
	s.connecting, s.err = true, ""
	return tea.Batch(connectCmd(sess.Context, api), s.c.Spinner.Tick)
}

// connectCmd checks the key pair and reads the account and its keys.
func connectCmd(ctx context.Context, api *mailjet.Client) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		creds := api.Credentials()
		account, err := api.Account(ctx)
		if err != nil {
			return connectedMsg{err: fmt.Errorf("read the account: %w", err)}
		}
		keys, err := api.ListAPIKeys(ctx)
		if err != nil {
			return connectedMsg{err: fmt.Errorf("read the API keys: %w", err)}
		}
		return connectedMsg{creds: creds, account: account, keys: keys}
	}
}

// errNotMaster: rotating every key needs the account's master key.
var errNotMaster = errors.New("this is a sub-account key")

// errOtherAccount: the session was opened for another account.
var errOtherAccount = errors.New("these keys belong to another account")

func (s *welcomeScreen) connected(msg connectedMsg) tea.Cmd {
	s.connecting = false
	if msg.err == nil && !isMaster(msg.keys, msg.creds.APIKey) {
		msg.err = errNotMaster
	}
	if want := s.c.Session.RequireAccount; msg.err == nil && want != "" && !strings.EqualFold(want, msg.account.Email) {
		msg.err = errOtherAccount
	}
	switch {
	case errors.Is(msg.err, mailjet.ErrUnauthorized):
		s.err = "Mailjet refused this API key and secret. Copy both again from " +
			"https://app.mailjet.com/account/apikeys (the Primary API key), then press Enter."
		return nil
	case errors.Is(msg.err, errOtherAccount):
		s.err = "These keys belong to another Mailjet account than the one this session was opened for. " +
			"Use the keys of " + clean(s.c.Session.RequireAccount) + "."
		return nil
	case errors.Is(msg.err, errNotMaster):
		s.err = "This is a sub-account key. Use the Primary (master) API key: it can see and " +
			"replace every key of the account."
		return nil
	case msg.err != nil:
		s.err = "Could not reach Mailjet: " + errText(msg.err) +
			". Check the internet connection, then press Enter to try again."
		return nil
	}
	sess := s.c.Session
	sess.UseCredentials(msg.creds)
	sess.Account, sess.Keys = msg.account, msg.keys
	sess.OldMaster = msg.creds.Secret
	s.secretKey.Clear() // the session holds it now; the field need not
	s.reveal.hide()
	s.done = support.StepResult{
		Number: 0, Name: "Welcome", Status: support.StatusDone,
		Detail: "Signed in as " + clean(msg.account.Email),
	}
	sess.keepProgress(msg.creds.APIKey)
	if sess.Progress == nil {
		return stepDone(s.done)
	}
	s.connecting = true
	store, key := *sess.Progress, sess.ProgressKey
	return func() tea.Msg {
		st, ok, err := store.Load(key)
		return progressLoadedMsg{state: st, ok: ok, err: err}
	}
}

// progressLoaded offers to resume an earlier run that got somewhere.
func (s *welcomeScreen) progressLoaded(msg progressLoadedMsg) tea.Cmd {
	s.connecting = false
	if msg.err != nil || !msg.ok || len(msg.state.Steps) == 0 ||
		!strings.EqualFold(msg.state.Account, s.c.Session.Account.Email) {
		return stepDone(s.done) // nothing to resume: a fresh start
	}
	s.resume = &msg.state
	return nil
}

// answerResume restores the earlier run, or starts afresh.
func (s *welcomeScreen) answerResume(yes bool) tea.Cmd {
	st := s.resume
	s.resume = nil
	sess := s.c.Session
	if !yes {
		store, key := *sess.Progress, sess.ProgressKey
		return tea.Batch(func() tea.Msg {
			return progressSavedMsg{err: store.DeleteState(key)}
		}, stepDone(s.done))
	}
	sess.Results[stepWelcome] = s.done
	for n, r := range st.Steps {
		if n > stepWelcome && n < stepCount {
			sess.Results[n] = r
		}
	}
	sess.Restored, sess.ScanPath = st.Findings, st.ScanRoot
	// Restored lines are kept under one name; a page done again replaces
	// its own.
	sess.Actions["restored"] = st.Actions
	sess.Leaked = map[string]bool{}
	for _, k := range st.Leaked {
		sess.Leaked[k] = true
	}
	return func() tea.Msg { return resumeMsg{} }
}

func isMaster(keys []mailjet.APIKey, apiKey string) bool {
	for _, k := range keys {
		if k.APIKey == apiKey {
			return k.IsMaster
		}
	}
	return false
}

func (s *welcomeScreen) View() string {
	st := s.c.Styles
	w := s.c.Width
	var b strings.Builder
	b.WriteString("\n")
	b.WriteString(wrap("Mailjet switched off your account because its API keys were found where "+
		"they should not be. This wizard takes you through the five steps Mailjet asks for "+
		"before support can switch it back on:", w))
	b.WriteString("\n\n")
	infos := stepInfos()
	if s.asking {
		// The key pair fields need the room: the steps go on one line.
		var names []string
		for i := 1; i <= stepTotal; i++ {
			names = append(names, fmt.Sprintf("%d. %s", i, infos[i].Name))
		}
		b.WriteString(wrap(strings.Join(names, " · "), w) + "\n")
	} else {
		for i := 1; i <= stepTotal; i++ {
			fmt.Fprintf(&b, "  %d. %s\n", i, infos[i].Name)
		}
	}
	b.WriteString("\n")
	b.WriteString(wrap("It takes about 15 to 30 minutes. Nothing changes at Mailjet until you say so.", w))
	b.WriteString("\n\n")

	sess := s.c.Session
	switch {
	case s.asking:
		b.WriteString(wrap("Your Primary API key and its secret are on https://app.mailjet.com/account/apikeys.", w))
		b.WriteString("\n")
		b.WriteString(s.apiKey.View(st, true) + "\n" + s.secretKey.View(st, s.reveal.shown) + "\n")
		b.WriteString(s.reveal.promptView(st, w))
	default:
		if sess.Demo {
			b.WriteString(st.Warning.Render(wrap("Demo: a practice account on a built-in sandbox. Nothing real changes.", w)) + "\n")
		}
		src := sess.CredentialsSource
		if src == "" {
			src = "the environment"
		}
		b.WriteString(st.Label.Render("API key ") + sess.API.Credentials().APIKey + "\n")
		b.WriteString(st.Muted.Render(wrap("from "+src, w)) + "\n")
	}
	if s.resume != nil {
		return s.resumeView(w)
	}
	switch {
	case s.connecting:
		b.WriteString("\n" + s.c.Spinner.View() + " Connecting to Mailjet…")
	case s.err != "":
		b.WriteString("\n" + st.Error.Render(wrap(s.err, w)))
	case !s.asking:
		b.WriteString("\nPress Enter to start.")
	}
	return b.String()
}

func (s *welcomeScreen) resumeView(w int) string {
	st := s.c.Styles
	r := s.resume
	var b strings.Builder
	b.WriteString("\n" + st.Title.Render("You have started this recovery before.") + "\n\n")
	b.WriteString(wrap(fmt.Sprintf("Account %s, last saved %s. Done so far:", clean(r.Account),
		r.UpdatedAt.Local().Format("2 Jan 2006 at 15:04")), w) + "\n\n")
	infos := stepInfos()
	for i := stepInvestigate; i < stepCount; i++ {
		res, ok := r.Steps[i]
		mark, word := st.Muted.Render("·"), "not yet"
		if ok {
			mark, word = st.Success.Render("✓"), string(res.Status)
		}
		fmt.Fprintf(&b, "  %s %d. %-26s %s\n", mark, i, infos[i].Name, word)
	}
	b.WriteString("\n" + wrap("Pick up where you left off? y: resume   n: start again (steps done at Mailjet stay done)", w) + "\n")
	return b.String()
}
