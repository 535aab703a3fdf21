package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/investigate/verify"
	"github.com/mjrecover/mjrecover/steps/support"
)

type investigateState int

const (
	investigateAsk investigateState = iota
	investigateScanning
	investigateResults
	investigateDetail
)

// investigateScreen asks what to scan, shows the scan's progress and then
// the findings.
type investigateScreen struct {
	c        *Common
	state    investigateState
	path     field
	cancel   context.CancelFunc
	updates  <-chan tea.Msg
	progress investigate.Progress
	started  time.Time
	now      time.Time
	root     string
	list     findingsList
	result   investigate.Result
	err      string
}

// scanProgressMsg and scanDoneMsg stream from the scan's goroutine.
type (
	scanProgressMsg struct{ p investigate.Progress }
	scanDoneMsg     struct {
		result investigate.Result
		err    error
	}
)

func newInvestigate(c *Common) *investigateScreen {
	s := &investigateScreen{
		c:    c,
		path: newField("Folder to check", "for example /var/www", 4096),
	}
	s.path.SetValue(c.Session.ScanRoot)
	if c.Session.Kiosk {
		// A kiosk runs on support's server, not the customer's: it checks
		// the customer's web sites from the outside instead, and must not
		// be pointed at the files of the server it runs on.
		s.path = newField("Web sites to check", "https://www.example.com (several: separate with spaces)", 2048)
		s.path.SetValue(strings.Join(c.Session.ScanURLs, " "))
	}
	return s
}

// sitesMsg brings the account's web sites, from its sender domains.
type sitesMsg struct{ urls []string }

// sitesCmd guesses the customer's web sites from the account's senders:
// https:// and each distinct domain of an active sender.
func sitesCmd(ctx context.Context, api *mailjet.Client) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		senders, err := api.ListSenders(ctx)
		if err != nil {
			return sitesMsg{}
		}
		seen := map[string]bool{}
		var urls []string
		for _, snd := range senders {
			_, domain, ok := strings.Cut(snd.Email, "@")
			if !ok {
				domain = strings.TrimPrefix(snd.Email, "*@")
			}
			domain = strings.ToLower(strings.TrimSpace(domain))
			if domain == "" || strings.ContainsAny(domain, "/ ") || seen[domain] || snd.Status == "Deleted" {
				continue
			}
			seen[domain] = true
			urls = append(urls, "https://"+domain)
		}
		return sitesMsg{urls: urls}
	}
}

func (s *investigateScreen) Init() tea.Cmd {
	sess := s.c.Session
	if s.state == investigateAsk && sess.Kiosk && s.path.Text() == "" && sess.API != nil {
		return tea.Batch(s.path.Focus(), sitesCmd(sess.Context, sess.API))
	}
	if s.state == investigateAsk {
		return s.path.Focus()
	}
	return nil
}

func (s *investigateScreen) Busy() bool { return s.state == investigateScanning }

func (s *investigateScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	switch s.state {
	case investigateAsk:
		return []key.Binding{withHelp(k.Continue, "scan"), k.Clear, k.Back}
	case investigateScanning:
		return []key.Binding{withHelp(k.Back, "stop the scan")}
	case investigateDetail:
		return []key.Binding{withHelp(k.Back, "back to the list")}
	}
	if len(s.list.items) == 0 {
		return []key.Binding{k.Continue, withHelp(k.Back, "scan again")}
	}
	return []key.Binding{k.Up, k.Details, k.Continue, withHelp(k.Back, "scan again")}
}

// withHelp is b with another description.
func withHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

func (s *investigateScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.path.SetWidth(msg.Width)
		return s, nil
	case spinner.TickMsg:
		s.now = msg.Time // the elapsed time moves with the spinner
		return s, nil
	case sitesMsg:
		if s.path.Text() == "" {
			s.path.SetValue(strings.Join(msg.urls, " "))
		}
		return s, nil
	case scanProgressMsg:
		s.progress = msg.p
		return s, waitFor(s.updates)
	case scanDoneMsg:
		return s, s.scanned(msg)
	case tea.PasteMsg:
		if s.state == investigateAsk {
			var cmd tea.Cmd
			s.path, cmd = s.path.Update(msg)
			return s, cmd
		}
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	}
	return s, nil
}

func (s *investigateScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	switch s.state {
	case investigateAsk:
		switch {
		case key.Matches(msg, k.Continue):
			return s.startScan()
		case key.Matches(msg, k.Back):
			return stepBack
		case key.Matches(msg, k.Clear):
			s.path.Clear()
			return nil
		}
		var cmd tea.Cmd
		s.path, cmd = s.path.Update(msg)
		s.err = ""
		return cmd
	case investigateScanning:
		if key.Matches(msg, k.Back) && s.cancel != nil {
			s.cancel()
		}
	case investigateDetail:
		if key.Matches(msg, k.Back, k.Details, k.Continue) {
			s.state = investigateResults
		}
	case investigateResults:
		switch {
		case key.Matches(msg, k.Up):
			s.list.move(-1)
		case key.Matches(msg, k.Down):
			s.list.move(1)
		case key.Matches(msg, k.Details):
			if _, ok := s.list.current(); ok {
				s.state = investigateDetail
			}
		case key.Matches(msg, k.Back):
			s.state = investigateAsk
			return s.path.Focus()
		case key.Matches(msg, k.Continue):
			return stepDone(s.stepResult())
		}
	}
	return nil
}

func (s *investigateScreen) startScan() tea.Cmd {
	sess := s.c.Session
	opts := investigate.Options{History: true}
	root := expandHome(strings.TrimSpace(s.path.Text()))
	switch {
	case sess.Kiosk:
		opts = investigate.Options{URLs: siteURLs(root), HTTPClient: sess.HTTPClient}
		if len(opts.URLs) == 0 {
			s.err = "Type the address of your web site, for example https://www.example.com."
			return nil
		}
		root = strings.Join(opts.URLs, " ")
	case root == "":
		s.err = "Type the folder of your website or app."
		return nil
	default:
		opts.Roots = []string{root}
		// Say which leaked pairs still work: one read-only call each, to
		// the account's API host only.
		vo := verify.Options{HTTPClient: sess.HTTPClient}
		if sess.APIBaseURL != "" && sess.APIBaseURL != mailjet.DefaultBaseURL {
			vo.Hosts = []string{sess.APIBaseURL}
		}
		opts.Verifier = verify.New(vo)
	}
	ctx, cancel := context.WithCancel(sess.Context)
	updates := make(chan tea.Msg, 8)
	s.state, s.cancel, s.updates, s.root = investigateScanning, cancel, updates, root
	s.progress, s.err = investigate.Progress{}, ""
	s.started = time.Now()
	s.now = s.started
	s.path.Blur()
	go runScan(ctx, opts, updates)
	return tea.Batch(waitFor(updates), s.c.Spinner.Tick)
}

// siteURLs reads the addresses typed, adding https:// where none is said.
func siteURLs(typed string) []string {
	var out []string
	for _, f := range strings.Fields(typed) {
		if !investigate.IsURL(f) {
			f = "https://" + f
		}
		out = append(out, f)
	}
	return out
}

// runScan runs the scan, streaming progress and then the result on updates.
func runScan(ctx context.Context, opts investigate.Options, updates chan<- tea.Msg) {
	defer close(updates)
	for _, root := range opts.Roots {
		if _, err := os.Stat(root); err != nil {
			updates <- scanDoneMsg{err: fmt.Errorf("cannot open %s: %w", root, errors.Unwrap(err))}
			return
		}
	}
	opts.Progress = func(p investigate.Progress) {
		select { // the screen only needs the latest; never block the scan
		case updates <- scanProgressMsg{p}:
		default:
		}
	}
	res, err := investigate.Scan(ctx, opts)
	updates <- scanDoneMsg{result: res, err: err}
}

// waitFor delivers the next message from ch.
func waitFor(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

func (s *investigateScreen) scanned(msg scanDoneMsg) tea.Cmd {
	s.cancel()
	s.cancel = nil
	if msg.err != nil {
		s.state = investigateAsk
		if errors.Is(msg.err, context.Canceled) {
			s.err = "The scan was stopped. Press Enter to scan again."
		} else {
			s.err = "The scan could not run: " + errText(msg.err)
		}
		return s.path.Focus()
	}
	sess := s.c.Session
	res := msg.result
	var keys []string
	for _, k := range sess.Keys {
		keys = append(keys, k.APIKey)
	}
	investigate.MarkOwned(res.Findings, keys)
	s.result = res
	sess.Scan, sess.ScanPath = &s.result, s.root
	s.list = findingsList{items: res.Findings, root: s.root}
	s.state = investigateResults
	return nil
}

func (s *investigateScreen) stepResult() support.StepResult {
	n := len(s.result.Findings)
	crit := 0
	for _, f := range s.result.Findings {
		if f.Severity == investigate.Critical {
			crit++
		}
	}
	detail := fmt.Sprintf("Scanned %d files in %s; %s", s.result.Stats.Files, clean(s.root), plural(n, "problem", "problems"))
	if crit > 0 {
		detail += fmt.Sprintf(" (%d critical)", crit)
	}
	return support.StepResult{Number: stepInvestigate, Name: stepInfos()[stepInvestigate].Name,
		Status: support.StatusDone, Detail: detail + "."}
}

func (s *investigateScreen) View() string {
	st := s.c.Styles
	w, h := s.c.Width, s.c.Height
	var b strings.Builder
	switch s.state {
	case investigateAsk:
		if s.c.Session.Kiosk {
			b.WriteString("\n" + wrap("This session runs on Mailjet support's computer, so it cannot read your "+
				"server's files. It checks your web sites from the outside instead, for files anyone can "+
				"download: settings files, backups, PHP information pages, program history. Give the "+
				"addresses of your sites; nothing on them is changed.", w) + "\n\n")
		} else {
			b.WriteString("\n" + wrap("Which folder holds your website or app? Give the top folder (for example "+
				"/var/www or your home folder): every folder inside it is checked. Files are only read, never changed.", w) + "\n\n")
		}
		b.WriteString(s.path.View(st, true) + "\n")
		if s.err != "" {
			b.WriteString("\n" + st.Error.Render(wrap(s.err, w)) + "\n")
		}
	case investigateScanning:
		p := s.progress
		elapsed := s.now.Sub(s.started).Round(100 * time.Millisecond)
		b.WriteString("\n" + s.c.Spinner.View() + " Looking for leaked keys in " + truncateLeft(clean(s.root), w-30) + "\n\n")
		fmt.Fprintf(&b, "  Files read   %d\n  Data read    %s\n  Time         %s\n\n", p.Files, humanBytes(p.Bytes), elapsed)
		if p.Current != "" {
			b.WriteString(st.Muted.Render("  "+truncateLeft(clean(p.Current), w-2)) + "\n")
		}
	case investigateDetail:
		if f, ok := s.list.current(); ok {
			b.WriteString(findingDetail(st, f, w))
		}
	case investigateResults:
		b.WriteString(s.summary(w) + "\n")
		if len(s.list.items) > 0 {
			b.WriteString(s.list.View(st, w, max(1, h-lipglossHeight(b.String())-1)))
		}
	}
	return b.String()
}

func (s *investigateScreen) summary(w int) string {
	st := s.c.Styles
	stats := s.result.Stats
	line := fmt.Sprintf("Read %d files (%s) in %s", stats.Files, humanBytes(stats.Bytes), stats.Duration.Round(10*time.Millisecond))
	if n := len(stats.Skipped); n > 0 {
		line += fmt.Sprintf("; %d skipped", n)
	}
	line += "."
	if len(s.result.Findings) == 0 {
		return "\n" + st.Success.Render("No leaked Mailjet keys or exposed files were found.") + "\n\n" +
			wrap(line+" The leak may be on another server, in a public code repository or in a "+
				"shared file. The next steps lock out whoever has the keys anyway.", w)
	}
	counts := map[investigate.Severity]int{}
	for _, f := range s.result.Findings {
		counts[f.Severity]++
	}
	var parts []string
	for _, sev := range []investigate.Severity{investigate.Critical, investigate.High, investigate.Medium, investigate.Low} {
		if counts[sev] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[sev], sev))
		}
	}
	head := fmt.Sprintf("Found %s: %s.", plural(len(s.result.Findings), "problem", "problems"), strings.Join(parts, ", "))
	return "\n" + st.Title.Render(head) + "\n" + st.Muted.Render(wrap(line, w))
}

func lipglossHeight(s string) int { return strings.Count(s, "\n") + 1 }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// expandHome turns a leading ~ into the home folder, as a shell would.
func expandHome(p string) string {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, strings.TrimPrefix(p, "~"))
}
