package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/steps/replace"
	"github.com/mjrecover/mjrecover/steps/support"
)

// Names of the pages whose lines go to the report.
const (
	filesPage  = "files"
	reviewPage = "review"
)

type filesState int

const (
	filesPlanning filesState = iota
	filesList
	filesDiff
	filesConfirm // moving a leaked file out of the website
	filesLeave   // files left undecided
	filesChecking
	filesChecked
)

// fileChoice is what the user decided for one file.
type fileChoice int

const (
	choicePending fileChoice = iota
	choiceDone               // updated, or moved out of the website
	choiceSkipped
	choiceFailed
)

// fileItem is one line of the list: a settings file to update, a leaked
// copy to remove, or a note (a file that reads the key from the
// environment, something to do by hand).
type fileItem struct {
	update  *replace.Update
	removal *replace.Removal
	note    string // for notes: what to do
	path    string
	choice  fileChoice
	result  string // what happened, in plain words
}

func (it fileItem) actionable() bool { return it.update != nil || it.removal != nil }

// filesScreen puts the new keys where the scan found the old ones, file by
// file as the user decides, and offers to move leaked copies out of the
// website; then it checks that no old key is left in the files it changed.
type filesScreen struct {
	c          *Common
	state      filesState
	items      []fileItem
	selected   int
	offset     int
	outcome    replace.Outcome
	quarantine string
	backupDir  string
	check      *replace.Verification
	err        string
	busy       bool
}

// Messages of the files page.
type (
	filesPlannedMsg struct {
		plan replace.Plan
		err  error
	}
	fileDoneMsg struct {
		index   int
		applied *replace.Applied
		removed *replace.Removed
		qdir    string
		err     error
	}
	filesCheckedMsg struct {
		check replace.Verification
		err   error
	}
)

func newFiles(c *Common) *filesScreen { return &filesScreen{c: c} }

func (s *filesScreen) Why() string {
	return "Your apps need the new keys; the scan knows where the old ones are."
}

func (s *filesScreen) Init() tea.Cmd {
	if s.state != filesPlanning {
		return nil
	}
	sess := s.c.Session
	if len(sess.Rotated) == 0 || sess.Scan == nil || sess.Kiosk {
		// Nothing to put anywhere: no new secret in hand (a resumed
		// recovery), no scan of this run, or a kiosk that cannot reach
		// the customer's files. The new secrets are not kept for it.
		sess.Rotated = nil
		return func() tea.Msg { return pageDoneMsg{name: filesPage} }
	}
	in := replace.Input{
		Findings:  sess.Scan.Findings,
		Rotations: replace.RotationsFrom(sess.Rotated),
		Roots:     []string{sess.ScanPath},
	}
	s.busy = true
	ctx := sess.Context
	return tea.Batch(func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		plan, err := replace.NewPlan(ctx, in)
		return filesPlannedMsg{plan: plan, err: err}
	}, s.c.Spinner.Tick)
}

func (s *filesScreen) Busy() bool { return s.busy }

func (s *filesScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	switch s.state {
	case filesList:
		b := []key.Binding{k.Continue, k.Up}
		if it, ok := s.current(); ok && it.choice == choicePending && it.update != nil {
			b = append(b, withHelp(k.Update, "update"), withHelp(k.Details, "show the change"), withHelp(k.Skip, "skip"))
		}
		if it, ok := s.current(); ok && it.choice == choicePending && it.removal != nil {
			b = append(b, withHelp(k.Move, "move out of the website"), withHelp(k.Skip, "keep"))
		}
		return b
	case filesDiff:
		return []key.Binding{withHelp(k.Back, "back to the list")}
	case filesConfirm, filesLeave:
		return []key.Binding{k.Yes, k.No}
	case filesChecked:
		return []key.Binding{k.Continue}
	}
	return nil
}

func (s *filesScreen) current() (fileItem, bool) {
	if s.selected < 0 || s.selected >= len(s.items) {
		return fileItem{}, false
	}
	return s.items[s.selected], true
}

func (s *filesScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case filesPlannedMsg:
		s.busy = false
		if msg.err != nil {
			s.err = "Could not work out which files to change: " + errText(msg.err)
		}
		s.items = itemsOf(msg.plan)
		s.outcome.EnvNotes, s.outcome.Manual = msg.plan.EnvNotes, msg.plan.Manual
		s.state = filesList
		if len(s.items) == 0 {
			s.state = filesChecked
		}
	case fileDoneMsg:
		s.busy = false
		s.fileDone(msg)
	case filesCheckedMsg:
		s.busy = false
		s.state = filesChecked
		if msg.err != nil {
			s.err = "Could not check the files again: " + errText(msg.err)
		} else {
			s.check = &msg.check
			s.outcome.Check = &msg.check
		}
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	}
	return s, nil
}

// itemsOf lists the plan: updates, then leaks, then notes.
func itemsOf(p replace.Plan) []fileItem {
	var items []fileItem
	for i := range p.Updates {
		items = append(items, fileItem{update: &p.Updates[i], path: p.Updates[i].Path})
	}
	for i := range p.Removals {
		items = append(items, fileItem{removal: &p.Removals[i], path: p.Removals[i].Path})
	}
	for _, n := range p.EnvNotes {
		items = append(items, fileItem{path: n.Path, note: n.Advice()})
	}
	for _, m := range p.Manual {
		items = append(items, fileItem{path: m.Path, note: m.Reason})
	}
	return items
}

func (s *filesScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	if s.busy {
		return nil
	}
	switch s.state {
	case filesList:
		it, ok := s.current()
		pending := ok && it.choice == choicePending
		switch {
		case key.Matches(msg, k.Up):
			s.selected = max(0, s.selected-1)
		case key.Matches(msg, k.Down):
			s.selected = min(len(s.items)-1, s.selected+1)
		case key.Matches(msg, k.Details) && ok && it.update != nil:
			s.state = filesDiff
		case key.Matches(msg, k.Update) && pending && it.update != nil:
			return s.apply(s.selected)
		case key.Matches(msg, k.Move) && pending && it.removal != nil:
			s.state = filesConfirm
		case key.Matches(msg, k.Skip) && pending && it.actionable():
			s.items[s.selected].choice = choiceSkipped
			s.items[s.selected].result = "left as it is"
			s.outcome.Skipped = append(s.outcome.Skipped, it.path)
		case key.Matches(msg, k.Continue):
			if s.undecided() > 0 {
				s.state = filesLeave
				return nil
			}
			return s.recheck()
		}
	case filesDiff:
		if key.Matches(msg, k.Back, k.Details, k.Continue) {
			s.state = filesList
		}
	case filesConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			s.state = filesList
			return s.remove(s.selected)
		case key.Matches(msg, k.No, k.Back):
			s.state = filesList
		}
	case filesLeave:
		switch {
		case key.Matches(msg, k.Yes):
			for i := range s.items {
				if s.items[i].actionable() && s.items[i].choice == choicePending {
					s.items[i].choice, s.items[i].result = choiceSkipped, "left as it is"
					s.outcome.Skipped = append(s.outcome.Skipped, s.items[i].path)
				}
			}
			return s.recheck()
		case key.Matches(msg, k.No, k.Back):
			s.state = filesList
		}
	case filesChecked:
		if key.Matches(msg, k.Continue) {
			return s.leave()
		}
	}
	return nil
}

func (s *filesScreen) undecided() int {
	n := 0
	for _, it := range s.items {
		if it.actionable() && it.choice == choicePending {
			n++
		}
	}
	return n
}

func (s *filesScreen) apply(i int) tea.Cmd {
	sess := s.c.Session
	u, ctx := *s.items[i].update, sess.Context
	// Backups go to a private folder with the report, not next to each
	// file: a copy of wp-config.php left in the website would be one more
	// leak (and the next scan would find the old key in it).
	backups := filepath.Join(sess.ReportDir, "mjrecover-backups-"+sess.Now().Format("20060102-150405"))
	if s.backupDir == "" {
		s.backupDir = backups
	}
	applier := &replace.Applier{BackupDir: s.backupDir}
	s.busy = true
	return tea.Batch(func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		a, err := applier.Apply(ctx, u)
		if err != nil {
			return fileDoneMsg{index: i, err: err}
		}
		return fileDoneMsg{index: i, applied: &a}
	}, s.c.Spinner.Tick)
}

func (s *filesScreen) remove(i int) tea.Cmd {
	r, ctx := *s.items[i].removal, s.c.Session.Context
	qdir, dir, now := s.quarantine, s.c.Session.ReportDir, s.c.Session.Now()
	s.busy = true
	return tea.Batch(func() tea.Msg {
		if qdir == "" {
			var err error
			if qdir, err = replace.NewQuarantine(dir, now); err != nil {
				return fileDoneMsg{index: i, err: err}
			}
		}
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		rm, err := replace.Remove(ctx, r, qdir)
		if err != nil {
			return fileDoneMsg{index: i, qdir: qdir, err: err}
		}
		return fileDoneMsg{index: i, removed: &rm, qdir: qdir}
	}, s.c.Spinner.Tick)
}

func (s *filesScreen) fileDone(msg fileDoneMsg) {
	if msg.qdir != "" {
		s.quarantine = msg.qdir
	}
	it := &s.items[msg.index]
	switch {
	case msg.err != nil:
		var fe *replace.FileError
		problem := errText(msg.err)
		if errors.As(msg.err, &fe) && fe.Problem != "" {
			problem = clean(fe.Problem)
		}
		it.choice, it.result = choiceFailed, "not changed: "+problem
		s.outcome.Failed = append(s.outcome.Failed, replace.Failure{Path: it.path, Problem: problem})
	case msg.applied != nil:
		it.choice, it.result = choiceDone, fmt.Sprintf("updated (backup: %s)", clean(msg.applied.Backup))
		s.outcome.Applied = append(s.outcome.Applied, *msg.applied)
	case msg.removed != nil:
		it.choice, it.result = choiceDone, "moved out of the website to "+clean(msg.removed.MovedTo)
		s.outcome.Removed = append(s.outcome.Removed, *msg.removed)
	}
	// On to the next file still to decide.
	for j := range s.items {
		if s.items[j].actionable() && s.items[j].choice == choicePending {
			s.selected = j
			break
		}
	}
}

// recheck looks again at the files that were changed.
func (s *filesScreen) recheck() tea.Cmd {
	var updates []replace.Update
	for _, it := range s.items {
		if it.update != nil && it.choice == choiceDone {
			updates = append(updates, *it.update)
		}
	}
	if len(updates) == 0 {
		s.state = filesChecked
		return nil
	}
	s.state, s.busy = filesChecking, true
	ctx := s.c.Session.Context
	return tea.Batch(func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		v, err := replace.Verify(ctx, updates)
		return filesCheckedMsg{check: v, err: err}
	}, s.c.Spinner.Tick)
}

// leave hands the report its lines and forgets the new secrets: they are
// in the files now, or the user has them.
func (s *filesScreen) leave() tea.Cmd {
	sess := s.c.Session
	sess.Rotated = nil
	var lines []support.Line
	for _, l := range s.outcome.Lines(sess.ScanPath) {
		lines = append(lines, support.Line(l))
	}
	return func() tea.Msg { return pageDoneMsg{name: filesPage, lines: lines} }
}

func (s *filesScreen) View() string {
	st := s.c.Styles
	w, h := s.c.Width, s.c.Height
	var b strings.Builder
	b.WriteString("\n")
	switch s.state {
	case filesPlanning:
		b.WriteString(s.c.Spinner.View() + " Finding the files that hold the old keys…\n")
		return b.String()
	case filesDiff:
		it, _ := s.current()
		b.WriteString(st.Title.Render("The change in "+clean(s.rel(it.path))) + st.Muted.Render(" (secrets shown as ****abcd)") + "\n\n")
		for _, line := range strings.Split(strings.TrimRight(it.update.Diff.String(), "\n"), "\n") {
			line = clean(line) // per line: Clean would join them
			switch {
			case strings.HasPrefix(line, "-") && !strings.HasPrefix(line, "---"):
				line = st.Error.Render(truncate(line, w))
			case strings.HasPrefix(line, "+") && !strings.HasPrefix(line, "+++"):
				line = st.Success.Render(truncate(line, w))
			}
			b.WriteString(line + "\n")
		}
		return b.String()
	case filesChecking:
		b.WriteString(s.c.Spinner.View() + " Checking the changed files again…\n")
		return b.String()
	case filesChecked:
		return b.String() + s.checkedView(w)
	}
	b.WriteString(wrap("These files hold an old key or secret. Update each settings file with the new key "+
		"(a copy of the old version is kept beside it, readable only by its owner), and move copies the "+
		"website hands to anyone out of it.", w) + "\n\n")
	head := lipglossHeight(b.String())
	rows := max(3, h-head-3)
	s.offset = scrollWindow(s.selected, s.offset, rows, len(s.items))
	for i := s.offset; i < len(s.items) && i < s.offset+rows; i++ {
		line := s.itemLine(s.items[i], w)
		if i == s.selected {
			line = st.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if it, ok := s.current(); ok {
		b.WriteString("\n" + st.Muted.Render(truncate(s.detail(it), w)) + "\n")
	}
	switch s.state {
	case filesConfirm:
		it, _ := s.current()
		b.WriteString(st.Confirm.Width(min(w, 78)).Render("Move " + clean(s.rel(it.path)) + " out of the website, into a folder " +
			"only you can read? Nothing is deleted: you can put it back.\n\ny / n"))
	case filesLeave:
		b.WriteString(st.Confirm.Width(min(w, 78)).Render(fmt.Sprintf("%s not decided yet: leave them as they are? "+
			"Apps that read them keep the old, refused key.\n\ny / n", plural(s.undecided(), "file is", "files are"))))
	}
	if s.err != "" {
		b.WriteString(st.Error.Render(wrap(s.err, w)) + "\n")
	}
	return b.String()
}

func (s *filesScreen) rel(p string) string { return relPath(s.c.Session.ScanPath, p) }

func (s *filesScreen) itemLine(it fileItem, w int) string {
	st := s.c.Styles
	var kind, state string
	switch {
	case it.update != nil:
		kind = "settings"
	case it.removal != nil:
		kind = "leak"
	default:
		kind = "note"
	}
	switch it.choice {
	case choiceDone:
		state = st.Success.Render(pad("done", 6))
	case choiceSkipped:
		state = st.Muted.Render(pad("left", 6))
	case choiceFailed:
		state = st.Error.Render(pad("failed", 6))
	default:
		state = pad("", 6)
		if it.actionable() {
			state = st.Warning.Render(pad("to do", 6))
		}
	}
	return truncate(fmt.Sprintf("  %-8s %s %s", kind, state, clean(s.rel(it.path))), w)
}

// detail is one line about the selected item.
func (s *filesScreen) detail(it fileItem) string {
	switch {
	case it.result != "":
		return it.result
	case it.update != nil:
		return fmt.Sprintf("%s to change; press space to see them.", plural(it.update.Replaced, "value", "values"))
	case it.removal != nil:
		return clean(it.removal.Reason)
	}
	return clean(it.note)
}

func (s *filesScreen) checkedView(w int) string {
	st := s.c.Styles
	var b strings.Builder
	done, removed := len(s.outcome.Applied), len(s.outcome.Removed)
	switch {
	case len(s.items) == 0:
		b.WriteString(wrap("No settings file here holds an old key. Put the new keys in your apps wherever "+
			"they keep them (the hosting panel, the plugin's settings page).", w) + "\n")
	default:
		b.WriteString(fmt.Sprintf("%s updated, %s moved out of the website.\n",
			plural(done, "settings file", "settings files"), plural(removed, "leaked copy", "leaked copies")))
	}
	switch {
	case s.check != nil && s.check.Clean():
		b.WriteString(st.Success.Render("Checked again: no old key or secret is left in the files that were updated.") + "\n")
	case s.check != nil:
		b.WriteString(st.Error.Render(fmt.Sprintf("Checked again: %s still hold an old key or secret:",
			plural(len(s.check.Leftovers), "place", "places"))) + "\n")
		for _, l := range s.check.Leftovers {
			b.WriteString(truncate("  "+clean(s.rel(l.Path))+": "+clean(l.What), w) + "\n")
		}
	}
	for _, n := range s.outcome.EnvNotes {
		b.WriteString(st.Label.Render(clean(s.rel(n.Path))) + "\n" + st.Warning.Render(clampLines(wrap(clean(n.Advice()), w), 2, w)) + "\n")
	}
	if s.quarantine != "" {
		b.WriteString(wrap("Moved files are in "+clean(s.quarantine)+".", w) + "\n")
	}
	if s.err != "" {
		b.WriteString(st.Error.Render(wrap(s.err, w)) + "\n")
	}
	b.WriteString("\nPress Enter to go on.\n")
	return b.String()
}
