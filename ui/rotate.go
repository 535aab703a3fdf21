package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/progress"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

type rotateState int

const (
	rotateLoading rotateState = iota
	rotateLoadFailed
	rotatePlan
	rotateConfirm
	rotateRunning
	rotateGuided
	rotateFailed
	rotateDone
	rotateLeaveConfirm
)

// rotateScreen shows the account's keys and the plan, asks for
// confirmation, replaces every key, and shows the new secrets once.
type rotateScreen struct {
	c     *Common
	state rotateState
	plan  rotate.Plan
	// results[i] is the outcome of plan.Slots[i]; done[i] says it is final.
	results      []rotate.Result
	done         []bool
	failures     []string // slots given up after an error, in plain words
	current      int
	partial      bool // the current slot failed half-way: retry must not create another key
	pasted       field
	err          string
	reveal       revealer // the new secrets
	pastedReveal revealer // the secret pasted in the guided reset
	saved        string   // path the new secrets were saved to
	gone         bool     // the secrets were shown and dropped
}

// Messages of the rotate screen.
type (
	keysLoadedMsg struct {
		keys    []mailjet.APIKey
		journal []rotate.Entry
		err     error
	}
	usageMsg    struct{ usage []review.KeyUsage }
	slotDoneMsg struct {
		index  int
		result rotate.Result
		err    error
	}
)

func newRotate(c *Common) *rotateScreen {
	return &rotateScreen{
		c:            c,
		pasted:       newSecretField("New master secret key", "paste it here", 128),
		reveal:       newRevealer(revealNewSecrets, c.Session.Presenting),
		pastedReveal: newRevealer(revealPastedSecret, c.Session.Presenting),
	}
}

func (s *rotateScreen) Init() tea.Cmd {
	if s.state == rotateLoading {
		sess := s.c.Session
		return tea.Batch(loadKeysCmd(sess.Context, sess.API, sess.Journal), s.c.Spinner.Tick)
	}
	return nil
}

// loadKeysCmd reads the account's keys and what an earlier session of
// this recovery did to them (journal may be nil).
func loadKeysCmd(ctx context.Context, api *mailjet.Client, journal *progress.Journal) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		var entries []rotate.Entry
		if journal != nil {
			var err error
			if entries, err = journal.Entries(); err != nil {
				return keysLoadedMsg{err: err}
			}
		}
		keys, err := api.ListAPIKeys(ctx)
		return keysLoadedMsg{keys: keys, journal: entries, err: err}
	}
}

func (s *rotateScreen) Busy() bool {
	return s.state == rotateLoading || s.state == rotateRunning
}

func (s *rotateScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	switch s.state {
	case rotateLoadFailed:
		return []key.Binding{k.Retry, k.Back}
	case rotatePlan:
		return []key.Binding{withHelp(k.Continue, "rotate"), k.Back}
	case rotateConfirm, rotateLeaveConfirm:
		return []key.Binding{k.Yes, k.No}
	case rotateGuided:
		return []key.Binding{withHelp(k.Continue, "check it"), k.RevealTxt, k.Clear}
	case rotateFailed:
		return []key.Binding{k.Retry, withHelp(k.Skip, "skip this key")}
	case rotateDone:
		if s.gone {
			return []key.Binding{k.Continue}
		}
		b := []key.Binding{k.Continue, withHelp(k.Reveal, "show/hide secrets")}
		if s.saved == "" && !s.c.Session.Kiosk {
			b = append(b, k.Save)
		}
		return b
	}
	return nil
}

func (s *rotateScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.pasted.SetWidth(min(msg.Width, 50))
	case keysLoadedMsg:
		if msg.err != nil {
			s.state, s.err = rotateLoadFailed, "Could not read your API keys: "+errText(msg.err)
			return s, nil
		}
		sess := s.c.Session
		sess.Keys = msg.keys
		s.plan = rotate.NewPlan(msg.keys, sess.LeakedKeys(), sess.Recovery != nil).WithJournal(msg.journal)
		s.results = make([]rotate.Result, len(s.plan.Slots))
		s.done = make([]bool, len(s.plan.Slots))
		s.state, s.err = rotatePlan, ""
		// How each key was used, read while the old keys still answer:
		// the account review needs it after the rotation.
		api, ctx := sess.API, sess.Context
		return s, func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			usage, _ := review.ReadKeyUsage(ctx, api) // a partial answer is still useful
			return usageMsg{usage}
		}
	case usageMsg:
		s.c.Session.Usage = msg.usage
	case slotDoneMsg:
		return s, s.slotDone(msg)
	case hideMsg:
		s.reveal.expire(msg)
		s.pastedReveal.expire(msg)
	case leaveMsg:
		s.reveal.hide()
		s.pastedReveal.hide()
	case fileSavedMsg:
		if msg.err != nil {
			s.err = "Could not save the file: " + errText(msg.err)
		} else {
			s.saved, s.err = msg.path, ""
		}
	case tea.PasteMsg:
		if s.state == rotateGuided {
			var cmd tea.Cmd
			s.pasted, cmd = s.pasted.Update(msg)
			return s, cmd
		}
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	}
	return s, nil
}

func (s *rotateScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	for _, r := range []*revealer{&s.reveal, &s.pastedReveal} {
		if cmd, ok := r.answerKey(msg, k); ok {
			return cmd
		}
	}
	switch s.state {
	case rotateLoadFailed:
		switch {
		case key.Matches(msg, k.Retry):
			s.state, s.err = rotateLoading, ""
			return s.Init()
		case key.Matches(msg, k.Back):
			return stepBack
		}
	case rotatePlan:
		switch {
		case key.Matches(msg, k.Continue):
			s.state = rotateConfirm
		case key.Matches(msg, k.Back):
			return stepBack
		}
	case rotateConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			return s.runFrom(0)
		case key.Matches(msg, k.No, k.Back):
			s.state = rotatePlan
		}
	case rotateGuided:
		switch {
		case key.Matches(msg, k.Continue):
			return s.acceptPasted()
		case key.Matches(msg, k.RevealTxt):
			return s.pastedReveal.toggle()
		case key.Matches(msg, k.Clear):
			s.pasted.Clear()
		default:
			var cmd tea.Cmd
			s.pasted, cmd = s.pasted.Update(msg)
			return cmd
		}
	case rotateFailed:
		switch {
		case key.Matches(msg, k.Retry):
			return s.runSlot(s.current)
		case key.Matches(msg, k.Skip):
			slot := s.plan.Slots[s.current]
			s.failures = append(s.failures, fmt.Sprintf("%s (%s) was not rotated: %s", clean(slot.Old.Name), slot.Old.APIKey, s.err))
			s.done[s.current] = true
			return s.runFrom(s.current + 1)
		}
	case rotateDone:
		switch {
		case key.Matches(msg, k.Reveal) && !s.gone:
			return s.reveal.toggle()
		case key.Matches(msg, k.Save) && !s.gone && s.saved == "" && !s.c.Session.Kiosk:
			return s.saveCmd()
		case key.Matches(msg, k.Continue):
			if s.gone || s.saved != "" || s.reveal.shown || !s.hasNewSecrets() {
				return s.leave()
			}
			s.state = rotateLeaveConfirm
		}
	case rotateLeaveConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			return s.leave()
		case key.Matches(msg, k.No, k.Back):
			s.state = rotateDone
		}
	}
	return nil
}

// runFrom runs the first slot at or after i that is not done yet.
func (s *rotateScreen) runFrom(i int) tea.Cmd {
	for ; i < len(s.plan.Slots); i++ {
		if !s.done[i] {
			return s.runSlot(i)
		}
	}
	s.state = rotateDone
	return nil
}

func (s *rotateScreen) runSlot(i int) tea.Cmd {
	s.current, s.err = i, ""
	slot := s.plan.Slots[i]
	sess := s.c.Session
	rot := s.rotator()
	ctx := sess.Context
	switch slot.Action {
	case rotate.SkipInactive, rotate.KeepNew, rotate.DoneEarlier:
		s.done[i] = true
		s.results[i] = rotate.Result{Slot: slot}
		return s.runFrom(i + 1)
	case rotate.GuidedMaster:
		s.state = rotateGuided
		s.pasted.Clear()
		return s.pasted.Focus()
	}
	s.state = rotateRunning
	partial, prior, keys := s.partial, s.results[i], sess.Keys
	run := func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		var res rotate.Result
		var err error
		switch {
		case partial:
			res, err = rot.FinishSub(ctx, slot, prior)
		case slot.Action == rotate.ResumeSub:
			res, err = rot.Resume(ctx, slot, slot.Pending, keys)
			if errors.Is(err, rotate.ErrNothingCreated) {
				res, err = rot.RotateSub(ctx, slot)
			}
		case slot.Action == rotate.ReplaceSubKey:
			res, err = rot.RotateSub(ctx, slot)
		case slot.Action == rotate.ResetMaster:
			res, err = rot.ResetMaster(ctx, slot)
		}
		return slotDoneMsg{index: i, result: res, err: err}
	}
	return tea.Batch(run, s.c.Spinner.Tick)
}

// rotator acts for the session, noting its progress in the journal.
func (s *rotateScreen) rotator() *rotate.Rotator {
	sess := s.c.Session
	rot := &rotate.Rotator{API: sess.API, Recovery: sess.Recovery}
	if sess.Journal != nil {
		rot.Journal = sess.Journal
	}
	return rot
}

func (s *rotateScreen) acceptPasted() tea.Cmd {
	i := s.current
	slot := s.plan.Slots[i]
	pasted := s.pasted.Secret()
	if pasted.IsZero() {
		s.err = "Paste the new secret key first."
		return nil
	}
	rot, ctx := s.rotator(), s.c.Session.Context
	s.state, s.err = rotateRunning, ""
	s.pasted.Blur()
	run := func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		res, err := rot.AcceptMasterSecret(ctx, slot, pasted)
		return slotDoneMsg{index: i, result: res, err: err}
	}
	return tea.Batch(run, s.c.Spinner.Tick)
}

func (s *rotateScreen) slotDone(msg slotDoneMsg) tea.Cmd {
	i := msg.index
	slot := s.plan.Slots[i]
	if msg.result.NewKey != "" || !msg.result.NewSecret.IsZero() {
		s.results[i] = msg.result
	}
	if msg.err != nil {
		s.err = errText(msg.err)
		if slot.Action == rotate.GuidedMaster {
			s.state = rotateGuided
			return s.pasted.Focus()
		}
		// A replacement that exists must not be created twice.
		s.partial = (slot.Action == rotate.ReplaceSubKey || slot.Action == rotate.ResumeSub) && msg.result.NewKey != ""
		s.state = rotateFailed
		return nil
	}
	s.partial = false
	s.done[i] = true
	if slot.Old.IsMaster {
		s.c.Session.MasterResetAt = s.c.Session.Now()
		// From now on the wizard itself signs in with the new secret.
		s.c.Session.UseCredentials(mailjet.Credentials{APIKey: slot.Old.APIKey, Secret: msg.result.NewSecret})
		s.pasted.Clear()
		s.pastedReveal.hide()
	}
	return s.runFrom(i + 1)
}

func (s *rotateScreen) hasNewSecrets() bool {
	for _, r := range s.results {
		if !r.NewSecret.IsZero() {
			return true
		}
	}
	return false
}

func (s *rotateScreen) saveCmd() tea.Cmd {
	sess := s.c.Session
	results := append([]rotate.Result(nil), s.results...)
	return saveFile(sess.ReportDir, "mjrecover-new-keys-", sess.Now(), func(path string) error {
		return rotate.SaveSecrets(path, results)
	})
}

// leave drops the new secrets (they are shown once) and moves on; the
// next page gets them to put the new keys where the old ones were.
func (s *rotateScreen) leave() tea.Cmd {
	var rotated []rotate.Result
	for i, r := range s.results {
		if s.done[i] && r.NewKey != "" && !r.NewSecret.IsZero() {
			rotated = append(rotated, r)
		}
	}
	s.c.Session.Rotated = rotated
	s.c.Session.Replacements = review.ReplacementsFrom(rotated)
	for i := range s.results {
		s.results[i].NewSecret = secret.Secret{}
	}
	s.gone = true
	s.reveal.hide()
	s.state = rotateDone
	return stepDone(s.stepResult())
}

func (s *rotateScreen) stepResult() support.StepResult {
	var replaced, verified, earlier int
	var master string
	for i, r := range s.results {
		slot := s.plan.Slots[i]
		if slot.Action == rotate.DoneEarlier {
			earlier++
		}
		if r.NewKey == "" || !s.done[i] {
			continue
		}
		if r.Check.OK() {
			verified++
		}
		switch slot.Action {
		case rotate.ReplaceSubKey, rotate.ResumeSub:
			replaced++
		case rotate.ResetMaster:
			master = "the master secret was reset"
		case rotate.GuidedMaster:
			master = "the master secret was reset on Mailjet's site"
		}
	}
	parts := []string{fmt.Sprintf("%s replaced", plural(replaced, "sub-account key", "sub-account keys"))}
	if master != "" {
		parts = append(parts, master)
	}
	if earlier > 0 {
		parts = append(parts, plural(earlier, "key", "keys")+" rotated earlier in this recovery")
	}
	detail := strings.Join(parts, "; ") + fmt.Sprintf("; %d verified (new key works, old one refused)", verified)
	status := support.StatusDone
	for _, slot := range s.plan.Slots {
		if slot.Action == rotate.GuidedMaster {
			status = support.StatusGuided
		}
	}
	if len(s.failures) > 0 {
		status = support.StatusPending
		detail += ". Not done: " + strings.Join(s.failures, "; ")
	}
	return support.StepResult{Number: stepRotate, Name: stepInfos()[stepRotate].Name, Status: status, Detail: detail + "."}
}

func (s *rotateScreen) View() string {
	st := s.c.Styles
	w := s.c.Width
	var b strings.Builder
	b.WriteString("\n")
	switch s.state {
	case rotateLoading:
		b.WriteString(s.c.Spinner.View() + " Reading your API keys…\n")
	case rotateLoadFailed:
		b.WriteString(st.Error.Render(wrap(s.err, w)) + "\n")
	case rotatePlan, rotateConfirm:
		b.WriteString(wrap("Every active key gets a new secret, leaked or not: whoever copied one may "+
			"have copied the others.", w) + "\n\n")
		b.WriteString(s.planTable(w))
		if s.state == rotateConfirm {
			b.WriteString("\n" + st.Confirm.Width(min(w, 78)).Render(s.confirmText()))
		}
	case rotateRunning, rotateFailed:
		b.WriteString(s.progressView(w))
		if s.state == rotateFailed {
			b.WriteString("\n" + st.Error.Render(wrap(s.err, w)) + "\n")
			b.WriteString(wrap("Press r to try again, or s to skip this key and rotate it later on Mailjet's site.", w) + "\n")
		}
	case rotateGuided:
		b.WriteString(s.guidedView(w))
	case rotateDone, rotateLeaveConfirm:
		if p := s.reveal.promptView(st, w); p != "" {
			b.WriteString(p)
			break
		}
		b.WriteString(s.doneView(w))
		if s.state == rotateLeaveConfirm {
			b.WriteString("\n" + st.Confirm.Width(min(w, 78)).Render(
				"The new secrets will not be shown again, and you have neither saved nor looked at them. "+
					"Your apps need them to send again.\n\nGo on without them? y / n"))
		}
	}
	return b.String()
}

func (s *rotateScreen) confirmText() string {
	subs, master := 0, ""
	for _, slot := range s.plan.Slots {
		switch slot.Action {
		case rotate.ReplaceSubKey:
			subs++
		case rotate.ResetMaster:
			master = "The master key gets a new secret."
		case rotate.GuidedMaster:
			master = "You reset the master key's secret on Mailjet's site; the wizard shows you where."
		}
	}
	var b strings.Builder
	if subs > 0 {
		fmt.Fprintf(&b, "• %s: a new key replaces each, and the old one is switched off.\n",
			plural(subs, "sub-account key", "sub-account keys"))
	}
	if master != "" {
		b.WriteString("• " + master + "\n")
	}
	b.WriteString("\nApps and plugins that use the old keys stop sending at once. Over SMTP an old " +
		"secret keeps working for about an hour. You then put the new keys in your apps.\n\n")
	b.WriteString("Rotate the keys now? y / n")
	return b.String()
}

func (s *rotateScreen) planTable(w int) string {
	st := s.c.Styles
	const (
		typeWidth   = 6  // "master"
		leakWidth   = 6  // "leaked"
		actionWidth = 10 // "new secret"
	)
	keyWidth := 32
	nameWidth := 8
	for _, slot := range s.plan.Slots {
		nameWidth = max(nameWidth, ansi.StringWidth(clean(slot.Old.Name)))
	}
	room := w - keyWidth - typeWidth - leakWidth - actionWidth - 4
	if room < 12 { // a narrow window: shorten the keys, keep the names
		keyWidth = 13
		room = w - keyWidth - typeWidth - leakWidth - actionWidth - 4
	}
	nameWidth = max(4, min(nameWidth, room))
	row := func(name, key, kind, leaked, action string) string {
		return fmt.Sprintf("%s %s %s %s %s", pad(truncate(name, nameWidth), nameWidth), pad(key, keyWidth),
			pad(kind, typeWidth), pad(leaked, leakWidth), action)
	}
	var b strings.Builder
	b.WriteString(st.Muted.Render(truncate(row("Key", "API key", "Type", "Leaked", "Plan"), w)) + "\n")
	for _, slot := range s.plan.Slots {
		kind := "sub"
		if slot.Old.IsMaster {
			kind = "master"
		}
		leaked := ""
		if slot.Leaked {
			leaked = "yes"
		}
		line := row(clean(slot.Old.Name), shortKey(slot.Old.APIKey, keyWidth), kind, leaked, actionWords(slot.Action))
		if slot.Leaked {
			line = st.Error.Render(line)
		}
		b.WriteString(truncate(line, w) + "\n")
	}
	return b.String()
}

// pad fills s with spaces to width cells.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}

func actionWords(a rotate.Action) string {
	switch a {
	case rotate.ReplaceSubKey:
		return "replace"
	case rotate.ResetMaster:
		return "new secret"
	case rotate.GuidedMaster:
		return "on the site"
	case rotate.ResumeSub:
		return "finish"
	case rotate.KeepNew:
		return "keep (new)"
	case rotate.DoneEarlier:
		return "done"
	default:
		return "none (off)"
	}
}

// shortKey fits a public key into width, keeping both ends.
func shortKey(k string, width int) string {
	if len(k) <= width || width < 5 {
		return k
	}
	half := (width - 1) / 2
	return k[:half] + "…" + k[len(k)-(width-1-half):]
}

func (s *rotateScreen) progressView(w int) string {
	st := s.c.Styles
	var b strings.Builder
	for i, slot := range s.plan.Slots {
		name := clean(slot.Old.Name)
		switch {
		case s.done[i] && slot.Action == rotate.SkipInactive:
			b.WriteString(st.Muted.Render("–  "+name+": inactive, nothing to do") + "\n")
		case s.done[i] && slot.Action == rotate.KeepNew:
			b.WriteString(st.Muted.Render("–  "+name+": made in this recovery") + "\n")
		case s.done[i] && slot.Action == rotate.DoneEarlier:
			b.WriteString(st.Muted.Render("✓  "+name+": rotated earlier in this recovery") + "\n")
		case s.done[i] && s.results[i].NewKey == "":
			b.WriteString(st.Warning.Render("!  "+name+": skipped") + "\n")
		case s.done[i]:
			b.WriteString(st.Success.Render("✓") + "  " + name + ": " + checkWords(s.results[i].Check) + "\n")
		case i == s.current && s.state == rotateRunning:
			b.WriteString(s.c.Spinner.View() + " " + name + ": " + runningWords(slot.Action) + "\n")
		case i == s.current:
			b.WriteString(st.Error.Render("✗") + "  " + name + ": failed\n")
		default:
			b.WriteString(st.Muted.Render("·  "+name+": waiting") + "\n")
		}
	}
	return truncateLines(b.String(), w)
}

func runningWords(a rotate.Action) string {
	switch a {
	case rotate.ReplaceSubKey:
		return "creating a new key, switching off the old one, checking…"
	default:
		return "setting a new secret and checking it…"
	}
}

func checkWords(c rotate.Check) string {
	switch {
	case c.Problem != "":
		return "rotated; could not check: " + clean(c.Problem)
	case c.OK():
		return "checked: the new key works, the old one is refused"
	case !c.NewWorks:
		return "rotated, but the new key does not work yet"
	default:
		return "rotated, but the old key still works"
	}
}

func (s *rotateScreen) guidedView(w int) string {
	st := s.c.Styles
	slot := s.plan.Slots[s.current]
	var b strings.Builder
	b.WriteString(wrap("Mailjet's API cannot give the master key a new secret, so do it on the site:", w) + "\n\n")
	b.WriteString(wrap("1. Open "+rotate.APIKeysPage+" and sign in.", w) + "\n")
	b.WriteString(wrap("2. Find the key "+slot.Old.APIKey+", open the gear menu next to it and choose \"Reset Secret Key\".", w) + "\n")
	b.WriteString(wrap("3. Copy the new secret key and paste it below.", w) + "\n\n")
	b.WriteString(s.pasted.View(st, s.pastedReveal.shown) + "\n")
	b.WriteString(s.pastedReveal.promptView(st, w))
	if s.err != "" {
		b.WriteString("\n" + st.Error.Render(wrap(s.err, w)) + "\n")
	}
	return b.String()
}

func (s *rotateScreen) doneView(w int) string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Your keys are rotated.") + "\n")
	if s.gone {
		b.WriteString(wrap("The new secrets were shown once and are no longer kept.", w) + "\n\n")
	} else {
		keep := "save them to a file or copy them now."
		if s.c.Session.Kiosk {
			keep = "copy them into your apps now (this session keeps no file for you)."
		}
		b.WriteString(wrap("Put the new keys in every app and plugin that sends email. The secrets are "+
			"shown only on this screen: "+keep, w) + "\n\n")
	}
	for i, slot := range s.plan.Slots {
		r := s.results[i]
		if r.NewKey == "" {
			continue
		}
		b.WriteString(st.Label.Render(clean(slot.Old.Name)) + "  " + st.Muted.Render(checkWords(r.Check)) + "\n")
		sec := r.NewSecret.Hint()
		if s.reveal.shown {
			sec = r.NewSecret.Reveal()
		}
		if s.gone {
			sec = "(not kept)"
		}
		b.WriteString("  API key    " + r.NewKey + "\n")
		b.WriteString("  Secret key " + st.Secret.Render(sec) + "\n")
	}
	for _, f := range s.failures {
		b.WriteString(st.Warning.Render(wrap("Not rotated: "+f, w)) + "\n")
	}
	switch {
	case s.err != "":
		b.WriteString("\n" + st.Error.Render(wrap(s.err, w)) + "\n")
	case s.saved != "":
		b.WriteString("\n" + st.Success.Render("Saved") + st.Muted.Render(" (only you can read it) to:") + "\n" + wrap(clean(s.saved), w) + "\n")
	}
	return truncateLines(b.String(), w)
}

// truncateLines cuts each line of s to width.
func truncateLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = truncate(l, width)
	}
	return strings.Join(lines, "\n")
}
