package flow

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/investigate/accesslog"
	"github.com/mjrecover/mjrecover/steps/investigate/remote"
	"github.com/mjrecover/mjrecover/steps/investigate/verify"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/record"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/support"
	"github.com/mjrecover/mjrecover/steps/timeline"
	"github.com/mjrecover/mjrecover/steps/wording"
)

type investigateState int

const (
	investigateAsk investigateState = iota
	investigateScanning
	investigateResults
	investigateDetail
)

const (
	fieldTarget = "target"
	fieldGitHub = "github" // the customer's GitHub account, optional
)

// investigation asks what to scan, shows the scan's progress, then the
// findings.
type investigation struct {
	base
	f        *Flow
	state    investigateState
	form     form
	cancel   context.CancelFunc
	updates  chan Msg
	progress investigate.Progress
	started  time.Time
	root     string
	result   investigate.Result
	selected int // index into result.Findings
	err      string
	// spike is the first day of abnormal sending, read from the account's
	// statistics while the scan runs (zero: none, or not read).
	spike  time.Time
	note   string // from the scan: what could not be read on GitHub
	github string // the GitHub account read too ("github.com/NAME"), or ""
}

// Messages of the investigation.
type (
	scanProgressMsg struct{ p investigate.Progress }
	scanDoneMsg     struct {
		result investigate.Result
		note   string // what could not be read on GitHub, in plain words
		err    error
	}
	sitesMsg struct{ urls []string }
	spikeMsg struct{ first time.Time }
)

func newInvestigate(f *Flow) *investigation {
	s := &investigation{f: f}
	if f.cfg.Kiosk {
		// A kiosk runs on support's server, not the customer's: it checks
		// the customer's web sites from the outside instead, and must not
		// be pointed at the files of the server it runs on.
		s.form = newForm(Field{ID: fieldTarget, Label: f.T("Web sites to check"), Placeholder: f.T("https://www.example.com (several: separate with spaces)"), Limit: 2048})
		s.form.put(fieldTarget, strings.Join(f.cfg.ScanURLs, " "))
	} else {
		fields := []Field{{ID: fieldTarget, Label: f.T("Folder to check"), Placeholder: f.T("for example /var/www"), Limit: 4096}}
		if f.cfg.GitHub != nil {
			fields = append(fields, Field{ID: fieldGitHub, Label: f.T("Your GitHub account, if you publish code there (optional)"),
				Placeholder: f.T("the name in github.com/NAME"), Limit: 100})
		}
		s.form = newForm(fields...)
		s.form.put(fieldTarget, f.cfg.ScanRoot)
	}
	return s
}

func (s *investigation) enter() []Cmd {
	if s.state == investigateAsk && s.f.cfg.Kiosk && s.form.text(fieldTarget) == "" && s.f.api != nil {
		return []Cmd{sitesCmd(s.f.api)}
	}
	return nil
}

func (s *investigation) leave() {
	if s.cancel != nil {
		s.cancel()
	}
}

// sitesCmd guesses the customer's web sites from the account's senders:
// https:// and each distinct domain of an active sender.
func sitesCmd(api *mailjet.Client) Cmd {
	return func(ctx context.Context) Msg {
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

func (s *investigation) edit(id, v string) []Cmd {
	if s.state == investigateAsk && s.form.set(id, v) {
		s.err = ""
	}
	return nil
}

// pick takes a row of the findings list (its headings included).
func (s *investigation) pick(row int) {
	if s.state != investigateResults {
		return
	}
	l := findingsList(s.f.Lang(), s.result.Findings, s.root, s.selected).List
	if row < 0 || row >= len(l.Items) || l.Items[row].Heading {
		return
	}
	n := 0
	for _, it := range l.Items[:row] {
		if !it.Heading {
			n++
		}
	}
	s.selected = n
}

func (s *investigation) do(a ActionID) []Cmd {
	switch s.state {
	case investigateAsk:
		switch a {
		case Continue:
			return s.start()
		case Back:
			return s.f.back()
		}
	case investigateScanning:
		if a == Back && s.cancel != nil {
			s.cancel()
		}
	case investigateDetail:
		if a == Back || a == Details || a == Continue {
			s.state = investigateResults
		}
	case investigateResults:
		switch a {
		case Details:
			if len(s.result.Findings) > 0 {
				s.state = investigateDetail
			}
		case Back:
			s.state = investigateAsk
			s.form.focusOn(fieldTarget)
		case Continue:
			return s.done()
		}
	}
	return nil
}

func (s *investigation) start() []Cmd {
	f := s.f
	opts := investigate.Options{History: true}
	root := expandHome(s.form.text(fieldTarget))
	switch {
	case f.cfg.Kiosk:
		opts = investigate.Options{URLs: siteURLs(root), HTTPClient: f.cfg.HTTPClient}
		if len(opts.URLs) == 0 {
			s.err = f.T("Type the address of your web site, for example https://www.example.com.")
			return nil
		}
		root = strings.Join(opts.URLs, " ")
	case root == "":
		s.err = f.T("Type the folder of your website or app.")
		return nil
	case f.cfg.GitHub != nil && s.form.text(fieldGitHub) != "" && !remote.ValidGitHubName(s.form.text(fieldGitHub)):
		s.err = f.T("%s is not a GitHub account name: type only the name, as in github.com/NAME, or leave it empty.", clean(s.form.text(fieldGitHub)))
		s.form.focusOn(fieldGitHub)
		return nil
	default:
		opts.Roots = []string{root}
		// Say which leaked pairs still work: one read-only call each, to
		// the account's API host only.
		vo := verify.Options{HTTPClient: f.cfg.HTTPClient}
		if f.cfg.APIBaseURL != "" && f.cfg.APIBaseURL != mailjet.DefaultBaseURL {
			vo.Hosts = []string{f.cfg.APIBaseURL}
		}
		opts.Verifier = verify.New(vo)
		// Who downloaded what the scan finds exposed: the web server's
		// access logs, the site's own and the server's.
		opts.AccessLogs = &investigate.LogSources{SystemRoots: f.cfg.LogRoots}
	}
	account := s.account()
	s.github = ""
	if account != nil {
		s.github = "github.com/" + account.name
	}
	updates, stop := make(chan Msg, 8), make(chan struct{})
	s.state, s.updates, s.root = investigateScanning, updates, root
	s.progress, s.err, s.started = investigate.Progress{}, "", f.cfg.Now()
	// Esc closes stop; the program's end cancels the Cmd's context: either
	// stops the scan.
	s.cancel = sync.OnceFunc(func() { close(stop) })
	s.spike = time.Time{}
	var cmds []Cmd
	if f.api != nil {
		cmds = append(cmds, spikeCmd(f.api, f.cfg.Now()))
	}
	return append(cmds, func(ctx context.Context) Msg {
		ctx, cancel := context.WithCancel(ctx)
		go func() {
			defer cancel()
			select {
			case <-stop:
			case <-ctx.Done():
			}
		}()
		go runScan(ctx, opts, account, updates)
		return waitScan(updates)
	})
}

// forgeAccount is what the scan reads on GitHub beside the folder.
type forgeAccount struct {
	gh   remote.GitHub
	name string
	lang *lang.Printer
}

// account is the GitHub account to read, nil when none was given.
func (s *investigation) account() *forgeAccount {
	name := s.form.text(fieldGitHub)
	if s.f.cfg.GitHub == nil || s.f.cfg.Kiosk || name == "" {
		return nil
	}
	return &forgeAccount{gh: *s.f.cfg.GitHub, name: name, lang: s.f.Lang()}
}

// read reads the account's public repositories; what cannot be read is
// a skip with its reason, and the note says it in plain words.
func (a *forgeAccount) read(ctx context.Context, opts investigate.Options, progress func(investigate.Progress)) (investigate.Result, string) {
	opts.Roots, opts.URLs, opts.AccessLogs, opts.Progress = nil, nil, nil, nil
	res, err := remote.ScanAccount(ctx, a.gh, a.name, remote.Options{}, opts, func(n, total int, repo string) {
		progress(investigate.Progress{Current: a.lang.T("GitHub: %[1]s (%[2]d of %[3]d)", repo, n, total)})
	})
	var limit *remote.RateLimitError
	switch {
	case err == nil:
		return res, ""
	case ctx.Err() != nil:
		return res, ""
	case errors.Is(err, remote.ErrNoSuchOwner):
		return res, a.lang.T("GitHub has no account named %s, so no repository was read there.", clean(a.name))
	case errors.As(err, &limit) && !limit.Reset.IsZero():
		return res, a.lang.T("GitHub allows only a few requests without a token, and the limit is reached until %s. "+
			"Scan again then, or set GH_TOKEN before starting the wizard.", a.lang.Clock(limit.Reset.Local()))
	}
	return res, a.lang.T("The repositories on GitHub could not be read: %s", errText(err))
}

// spikeCmd reads when the account began sending far more than usual, for
// the timeline. The statistics are a side light: failing to read them
// leaves the timeline without the spike, nothing more.
func spikeCmd(api *mailjet.Client, now time.Time) Cmd {
	return func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		first, found, err := review.FirstSpike(ctx, api, now.Add(-review.DefaultSuspicionPeriod), now)
		if err != nil || !found {
			return spikeMsg{}
		}
		return spikeMsg{first: first}
	}
}

// runScan runs the scan, streaming progress and then the result.
func runScan(ctx context.Context, opts investigate.Options, account *forgeAccount, updates chan<- Msg) {
	defer close(updates)
	for _, root := range opts.Roots {
		if _, err := os.Stat(root); err != nil {
			updates <- scanDoneMsg{err: &rootError{root: root, err: err}}
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
	var note string
	if err == nil && account != nil {
		var more investigate.Result
		more, note = account.read(ctx, opts, opts.Progress)
		res = remote.Merge(res, more)
		err = ctx.Err()
	}
	updates <- scanDoneMsg{result: res, note: note, err: err}
}

// rootError: a folder to scan cannot be opened (mistyped, most often).
type rootError struct {
	root string
	err  error
}

func (e *rootError) Error() string {
	return fmt.Sprintf("cannot open %s: %v", e.root, errors.Unwrap(e.err))
}
func (e *rootError) Unwrap() error { return e.err }

func waitScan(ch <-chan Msg) Msg {
	msg, ok := <-ch
	if !ok {
		return nil
	}
	return msg
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

func (s *investigation) update(msg Msg) []Cmd {
	switch m := msg.(type) {
	case sitesMsg:
		if s.form.text(fieldTarget) == "" {
			s.form.put(fieldTarget, strings.Join(m.urls, " "))
		}
	case spikeMsg:
		s.spike = m.first
	case scanProgressMsg:
		s.progress = m.p
		ch := s.updates
		return []Cmd{func(context.Context) Msg { return waitScan(ch) }}
	case scanDoneMsg:
		return s.scanned(m)
	}
	return nil
}

func (s *investigation) scanned(m scanDoneMsg) []Cmd {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	if m.err != nil {
		s.state = investigateAsk
		var re *rootError
		switch {
		case errors.Is(m.err, context.Canceled):
			s.err = s.f.T("The scan was stopped. Press Enter to scan again.")
		case errors.As(m.err, &re) && errors.Is(re.err, fs.ErrNotExist):
			s.err = s.f.T("There is no folder %s. Check the spelling, then press Enter.", clean(re.root))
		case errors.As(m.err, &re) && errors.Is(re.err, fs.ErrPermission):
			s.err = s.f.T("The wizard may not open %s (permission denied). Choose a folder you can read, or run the wizard as a user who can.", clean(re.root))
		default:
			s.err = s.f.T("The scan could not run: %s", errText(m.err))
		}
		s.form.focusOn(fieldTarget)
		return nil
	}
	f := s.f
	res := m.result
	var keys []string
	for _, k := range f.keys {
		keys = append(keys, k.APIKey)
	}
	investigate.MarkOwned(res.Findings, keys)
	s.result, s.selected, s.state, s.note = res, 0, investigateResults, m.note
	f.scan, f.scanRoot = &s.result, s.root
	if f.cfg.Kiosk {
		f.scanRoot = ""
	}
	return nil
}

func (s *investigation) done() []Cmd {
	f := s.f
	scan := &record.Scan{Root: s.root, Sites: f.cfg.Kiosk, Files: s.result.Stats.Files,
		Findings: support.Redacted(f.scanRoot, s.result.Findings), Timeline: s.timeline()}
	for k := range investigate.LeakedKeys(s.result.Findings) {
		scan.Leaked = append(scan.Leaked, k)
	}
	cmds := []Cmd{f.note(record.Event{Type: record.Scanned, Scan: scan})}
	return append(cmds, f.finish(s.stepResult())...)
}

// timeline is what the scan and the statistics tell of the leak, in order.
func (s *investigation) timeline() []timeline.Event {
	events := timeline.FromScan(s.result.Findings, s.root)
	if !s.spike.IsZero() {
		events = append(events, timeline.SpikeOn(s.spike))
	}
	return timeline.Sorted(events)
}

func (s *investigation) stepResult() support.StepResult {
	crit := 0
	for _, f := range s.result.Findings {
		if f.Severity == investigate.Critical {
			crit++
		}
	}
	problems := lang.Msg("%d problem", len(s.result.Findings))
	if crit > 0 {
		problems = lang.Msg("%[1]s (%[2]s)", problems, lang.Msg("%d critical", crit))
	}
	return support.StepResult{Status: support.StatusDone,
		Say: lang.Msg("Scanned %[1]d file in %[2]s; %[3]s.", s.result.Stats.Files, clean(s.root), problems)}
}

// leakedKeys are the public keys found leaked, by this run's scan or an
// earlier run's.
func (f *Flow) leakedKeys() map[string]bool {
	if f.scan != nil {
		return investigate.LeakedKeys(f.scan.Findings)
	}
	out := map[string]bool{}
	if sc := f.Record().Scan; sc != nil {
		for _, k := range sc.Leaked {
			out[k] = true
		}
	}
	return out
}

func (s *investigation) screen() Screen {
	f := s.f
	var sc Screen
	switch s.state {
	case investigateAsk:
		if f.cfg.Kiosk {
			sc.Blocks = append(sc.Blocks, text(f.T("This session runs on Mailjet support's computer, so it cannot read your "+
				"server's files. It checks your web sites from the outside instead, for files anyone can "+
				"download: settings files, backups, PHP information pages, program history. Give the "+
				"addresses of your sites; nothing on them is changed.")))
		} else {
			sc.Blocks = append(sc.Blocks, text(f.T("Which folder holds your website or app? Give the top folder (for example "+
				"/var/www or your home folder): every folder inside it is checked. Files are only read, never changed.")))
		}
		sc.Blocks = append(sc.Blocks, input(fieldTarget))
		if s.form.field(fieldGitHub) != nil {
			sc.Blocks = append(sc.Blocks, text(f.T("Mailjet also asks you to check your public code repositories. If you keep code on "+
				"GitHub, give your account (Tab to reach the field): the wizard reads the history of each public repository.")),
				input(fieldGitHub))
		}
		if s.err != "" {
			sc.Blocks = append(sc.Blocks, toned(Bad, s.err))
		}
		sc.Fields, sc.Focus = s.form.view(false), s.form.focus
		sc.Actions = []Action{act(Continue, f.T("scan")), act(Back, f.T("back"))}
	case investigateScanning:
		sc.Busy = true
		p := s.progress
		elapsed := f.cfg.Now().Sub(s.started)
		pairs := []Pair{
			{Label: f.T("Files read"), Value: fmt.Sprint(p.Files)},
			{Label: f.T("Data read"), Value: humanBytes(f.Lang(), p.Bytes)},
		}
		if p.LogTotal > 0 {
			pairs = append(pairs, Pair{Label: f.T("Access logs"),
				Value: f.T("%[1]s of %[2]s", humanBytes(f.Lang(), p.LogRead), humanBytes(f.Lang(), p.LogTotal))})
		}
		pairs = append(pairs, Pair{Label: f.T("Time"), Value: wording.Duration(f.Lang(), elapsed)})
		where := clean(s.root)
		if s.github != "" {
			where = f.T("%[1]s and %[2]s", where, clean(s.github))
		}
		sc.Blocks = append(sc.Blocks, working(f.T("Looking for leaked keys in %s", where)),
			Block{Kind: PairsBlock, Pairs: pairs})
		if p.Current != "" {
			sc.Blocks = append(sc.Blocks, toned(Muted, clean(p.Current)))
		}
		sc.Actions = []Action{act(Back, f.T("stop the scan"))}
	case investigateDetail:
		sc.Blocks = findingDetail(f.Lang(), s.result.Findings[s.selected])
		sc.Actions = []Action{act(Back, f.T("back to the list"))}
	case investigateResults:
		sc.Blocks = s.summary()
		if s.note != "" {
			sc.Blocks = append(sc.Blocks, toned(Warn, s.note))
		}
		sc.Blocks = append(sc.Blocks, s.story()...)
		if len(s.result.Findings) > 0 {
			sc.Blocks = append(sc.Blocks, tight(findingsList(f.Lang(), s.result.Findings, s.root, s.selected)))
			sc.Actions = []Action{act(Details, f.T("details")), act(Continue, f.T("continue")), act(Back, f.T("scan again"))}
		} else {
			sc.Actions = []Action{act(Continue, f.T("continue")), act(Back, f.T("scan again"))}
		}
	}
	return sc
}

func (s *investigation) summary() []Block {
	f := s.f
	stats := s.result.Stats
	line := f.T("Read %[1]d file (%[2]s) in %[3]s", stats.Files, humanBytes(f.Lang(), stats.Bytes), wording.Duration(f.Lang(), stats.Duration))
	if n := len(stats.Skipped); n > 0 {
		line += f.T("; %d skipped", n)
	}
	line += "."
	if logs := s.result.Logs; len(logs) > 0 {
		line += " " + logsLine(f.Lang(), logs)
	}
	if len(s.result.Findings) == 0 {
		return []Block{toned(Good, f.T("No leaked Mailjet keys or exposed files were found.")),
			text(line + " " + f.T("The leak may be on another server, in a public code repository or in a "+
				"shared file. The next steps lock out whoever has the keys anyway."))}
	}
	counts := map[investigate.Severity]int{}
	for _, g := range s.result.Findings {
		counts[g.Severity]++
	}
	var parts []string
	for _, sev := range support.Severities() {
		if n := counts[sev]; n > 0 {
			parts = append(parts, sev.Count(f.Lang(), n))
		}
	}
	head := f.T("Found %[1]d problem: %[2]s.", len(s.result.Findings), strings.Join(parts, ", "))
	return []Block{toned(Title, head), tight(toned(Muted, line))}
}

// logsLine says how many access logs were read, and how many of their
// lines could not be (the rest of each log was still read).
func logsLine(p *lang.Printer, logs []accesslog.FileReport) string {
	var lines, bad int64
	for _, l := range logs {
		lines += l.Lines
		bad += l.Unreadable
	}
	s := p.T("Read %[1]d access log (%[2]s).", len(logs), p.T("%d line", lines))
	if bad > 0 {
		s += " " + p.T("%d line of them is in a format the wizard does not know; it was left out.", bad)
	}
	return s
}

// story is the timeline in plain words, local time.
func (s *investigation) story() []Block {
	lines := timeline.Story(s.f.Lang(), s.timeline(), time.Local)
	if len(lines) == 0 {
		return nil
	}
	l := &List{Selected: -1}
	for _, line := range lines {
		l.Items = append(l.Items, Item{Mark: "·", Cols: []string{line}})
	}
	return []Block{toned(Title, s.f.T("What happened, in order")), tight(Block{Kind: ListBlock, List: l})}
}

// findingsList shows findings grouped by severity, one line each.
func findingsList(p *lang.Printer, findings []investigate.Finding, root string, selected int) Block {
	l := &List{Selected: -1}
	last := investigate.Severity(-1)
	for i, f := range findings {
		if f.Severity != last {
			n := 0
			for _, g := range findings {
				if g.Severity == f.Severity {
					n++
				}
			}
			head := fmt.Sprintf("%s (%d)", strings.ToUpper(f.Severity.Word(p)), n)
			l.Items = append(l.Items, Item{Heading: true, Cols: []string{head}, Tone: severityTone(f.Severity)})
			last = f.Severity
		}
		if i == selected {
			l.Selected = len(l.Items)
		}
		loc := relPath(root, f.Path)
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", loc, f.Line)
		}
		l.Items = append(l.Items, Item{Cols: []string{"  " + clean(loc), describe(p, f)}})
	}
	return Block{Kind: ListBlock, List: l}
}

func severityTone(s investigate.Severity) Tone {
	switch s {
	case investigate.Critical, investigate.High:
		return Bad
	case investigate.Medium:
		return Warn
	}
	return Strong
}

// describe is a finding's list text: what it is, the secret's last four
// characters, and whether the key is this account's.
func describe(p *lang.Printer, f investigate.Finding) string {
	// Everything here is about Mailjet; the list can say it shorter
	// (French names Mailjet last).
	desc := strings.TrimSuffix(strings.TrimPrefix(p.Text(clean(f.Kind)), "Mailjet "), " Mailjet")
	if h := f.Secret.Hint(); h != "" {
		desc += " " + h
	}
	// Whose key it is and whether it still sends, in words: "your
	// account's key, works now".
	var about []string
	if f.Owned {
		about = append(about, p.T("your account's key"))
	}
	switch f.Verified {
	case investigate.Live:
		about = append(about, p.T("works now"))
	case investigate.Refused:
		about = append(about, p.T("no longer works"))
	}
	if f.Access != nil {
		about = append(about, clean(f.Access.Client))
	}
	if len(about) > 0 {
		desc = p.T("%[1]s: %[2]s", desc, strings.Join(about, ", "))
	}
	return desc
}

// findingDetail is everything about one finding, in plain words.
func findingDetail(p *lang.Printer, f investigate.Finding) []Block {
	out := []Block{toned(severityTone(f.Severity), strings.ToUpper(f.Severity.Word(p))+"  "+p.Text(clean(f.Kind)))}
	where := clean(f.Path)
	if f.Line > 0 {
		where = p.T("%[1]s, line %[2]s", where, strconv.Itoa(f.Line))
	}
	pairs := []Pair{{Label: p.T("Where"), Value: where}}
	if f.APIKey != "" {
		owner := p.T("not one of this account's keys")
		if f.Owned {
			owner = p.T("a key of the account you are recovering")
		}
		pairs = append(pairs, Pair{Label: p.T("API key"), Value: f.APIKey + " (" + owner + ")"})
	}
	if h := f.Secret.Hint(); h != "" {
		pairs = append(pairs, Pair{Label: p.T("Secret key"), Value: p.T("%s (only its last 4 characters are shown)", h)})
	}
	if a := f.Access; a != nil {
		pairs = append(pairs, Pair{Label: p.T("By"), Value: clean(a.Client)})
		if a.UserAgent != "" {
			pairs = append(pairs, Pair{Label: p.T("Program"), Value: clean(a.UserAgent)})
		}
		if a.Log != f.Path {
			pairs = append(pairs, Pair{Label: p.T("In the log"), Value: p.T("%[1]s, line %[2]s", clean(a.Log), strconv.FormatInt(a.LogLine, 10))})
		}
	}
	out = append(out, Block{Kind: PairsBlock, Pairs: pairs})
	switch f.Verified {
	case investigate.Live:
		out = append(out, toned(Bad, p.T("Live: Mailjet accepts this key and secret right now, so whoever has them can send email.")))
	case investigate.Refused:
		out = append(out, toned(Muted, p.T("Mailjet refuses this key and secret: they no longer work.")))
	case investigate.CouldNotCheck:
		out = append(out, toned(Muted, p.T("Whether it still works could not be checked: %s", clean(f.VerifyNote))))
	}
	return append(out, text(clean(f.SayIn(p, time.Local))))
}
