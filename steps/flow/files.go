package flow

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/record"
	"github.com/mjrecover/mjrecover/steps/replace"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

type filesState int

const (
	filesPreparing   filesState = iota // keys, secrets, a second look at the files, the plan
	filesSecret                        // a new secret this session no longer holds: type it
	filesSecretLeave                   // asking whether to leave that key's files
	filesList
	filesDiff
	filesConfirmMove
	filesLeave // files left undecided: go on?
	filesChecking
	filesChecked
	filesFailed // the preparation failed
)

const fieldNewSecret = "new-secret"

// fileChoice is what happened to one file.
type fileChoice int

const (
	choicePending fileChoice = iota
	choiceDone               // updated, or moved out of the website
	choiceLeft
	choiceFailed
)

// fileItem is one line of the list: a settings file to update, a leaked
// copy to move out of the website, or a note (a file that reads the key
// from the environment, something to do by hand).
type fileItem struct {
	update  *replace.Update
	removal *replace.Removal
	note    string
	path    string
	kind    string // "settings", "leak" or "note"
	choice  fileChoice
	result  string
}

func (it fileItem) actionable() bool {
	return (it.update != nil || it.removal != nil) && it.choice == choicePending
}

// filing puts the new keys where the scan found the old ones, file by file
// as the customer decides, offers to move leaked copies out of the
// website, then checks the changed files again. Each change is written to
// the journal before and after, so a resumed recovery knows which files
// are done.
type filing struct {
	base
	f        *Flow
	state    filesState
	busy     string
	items    []fileItem
	selected int
	missing  []rotate.Result // rotated keys whose new secret this session must be given
	leftKeys map[string]bool // slots whose files the customer leaves (their secret is not at hand)
	form     form
	reveal   revealer
	check    *replace.Verification
	plan     replace.Plan
	// found is what the scan found, in full: this session's investigation,
	// or a second look at the folder in a resumed one (then it is only for
	// this page: the report keeps the investigation's findings).
	found *investigate.Result
	err   string
	why   lang.Message // why the preparation failed, for the journal
}

// Messages of the files page.
type (
	savedSecretsMsg struct {
		found map[string]secret.Secret
	}
	rescannedMsg struct {
		result investigate.Result
		err    error
	}
	filesPlannedMsg struct {
		plan replace.Plan
		err  error
	}
	secretCheckedMsg struct {
		pair rotate.Result
		err  error
	}
	fileDoneMsg struct {
		index   int
		applied *replace.Applied
		removed *replace.Removed
		err     error
	}
	filesCheckedMsg struct {
		check replace.Verification
		err   error
	}
)

func newFiles(f *Flow) *filing {
	s := &filing{f: f, reveal: f.revealer(), leftKeys: map[string]bool{}}
	s.form = newForm(Field{ID: fieldNewSecret, Label: f.T("New secret key"), Placeholder: f.T("paste it here"), Limit: 128, Width: 50, Secret: true})
	return s
}

func (s *filing) drop() { s.form.clear(fieldNewSecret) }

func (s *filing) enter() []Cmd {
	if s.state != filesPreparing {
		return nil
	}
	f := s.f
	if f.scanRootForFiles() == "" {
		// Nothing to put anywhere: no scan of the customer's files (a
		// kiosk, or web sites only).
		return s.leaveWith(lang.Msg("No files were scanned, so there is nothing to update here."))
	}
	if len(f.plan.Slots) == 0 {
		s.busy = f.T("Reading your API keys…")
		return []Cmd{f.listKeys()}
	}
	return s.gather()
}

// scanRootForFiles is the folder whose files hold old keys, if any.
func (f *Flow) scanRootForFiles() string {
	if f.cfg.Kiosk {
		return ""
	}
	if f.scan != nil {
		return f.scanRoot
	}
	if sc := f.Record().Scan; sc != nil && !sc.Sites {
		return sc.Root
	}
	return ""
}

// rotations are the new pairs the files need, and those whose secret this
// session does not hold.
func (s *filing) rotations() (have, missing []rotate.Result) {
	f := s.f
	ledger := f.Record().Ledger()
	for _, slot := range f.plan.Slots {
		log := ledger.Log(slot.Old.APIKey)
		m, ok := log.Current(func(ref string) bool { return !f.held[ref].IsZero() })
		if !ok || log.Skipped != "" {
			continue
		}
		r := rotate.Result{Slot: slot, NewKey: m.Key, NewID: m.ID, NewSecret: f.held[m.Ref]}
		if slot.Old.IsMaster {
			// The key list shows the master's secret in use now; the old one
			// is what the session signed in with, when it still knows it
			// (else the scan's copies of it are used).
			r.NewKey, r.Slot.Old.Secret = slot.Old.APIKey, f.oldMasterSecret()
		}
		switch {
		case r.NewSecret.IsZero() && s.leftKeys[slot.Old.APIKey]:
		case r.NewSecret.IsZero():
			missing = append(missing, r)
		default:
			have = append(have, r)
		}
	}
	return have, missing
}

// switchedOff are the keys switched off with no replacement, because
// nobody used them: the files that hold one get no new key.
func (f *Flow) switchedOff() []replace.SwitchedOff {
	var out []replace.SwitchedOff
	ledger := f.Record().Ledger()
	for _, slot := range f.plan.Slots {
		if log := ledger.Log(slot.Old.APIKey); log.Retired && log.Skipped == "" {
			out = append(out, replace.SwitchedOff{Key: slot.Old.APIKey, Secret: slot.Old.Secret})
		}
	}
	return out
}

// gather finds the new secrets this session needs (in the file the
// customer saved them to), then looks at the files.
func (s *filing) gather() []Cmd {
	_, missing := s.rotations()
	var paths []string
	for _, sv := range s.f.Record().Saved {
		if sv.What == savedKeys {
			paths = append(paths, sv.Path)
		}
	}
	if len(missing) == 0 || len(paths) == 0 {
		return s.needSecrets()
	}
	s.busy = s.f.T("Reading the new keys from the file you saved…")
	return []Cmd{func(context.Context) Msg {
		found := map[string]secret.Secret{}
		for _, p := range paths {
			got, err := rotate.ReadSaved(p)
			if err != nil {
				continue
			}
			for k, v := range got {
				found[k] = v
			}
		}
		return savedSecretsMsg{found: found}
	}}
}

// needSecrets asks for the first missing secret, or goes on to the files.
func (s *filing) needSecrets() []Cmd {
	_, s.missing = s.rotations()
	if len(s.missing) > 0 {
		s.state, s.busy, s.err = filesSecret, "", ""
		s.form.clear(fieldNewSecret)
		s.form.focusOn(fieldNewSecret)
		return nil
	}
	if s.found == nil {
		s.found = s.f.scan
	}
	if s.found == nil {
		// A resumed recovery knows what the scan found only redacted: look
		// at the folder again for the old values.
		root, p := s.f.scanRootForFiles(), s.f.Lang()
		s.busy = s.f.T("Looking again at the files that hold the old keys…")
		return []Cmd{func(ctx context.Context) Msg {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
			defer cancel()
			if _, err := os.Stat(root); err != nil {
				return rescannedMsg{err: errors.New(p.T("cannot open %[1]s: %[2]s", root, errText(errors.Unwrap(err))))}
			}
			res, err := investigate.Scan(ctx, investigate.Options{Roots: []string{root}})
			return rescannedMsg{result: res, err: err}
		}}
	}
	return s.makePlan()
}

// holdFromSaved takes the secrets found in a saved file for the keys that
// need them, when they match the journal's hint.
func (s *filing) holdFromSaved(found map[string]secret.Secret) {
	f := s.f
	ledger := f.Record().Ledger()
	for _, slot := range f.plan.Slots {
		log := ledger.Log(slot.Old.APIKey)
		m, ok := log.Current(func(ref string) bool { return !f.held[ref].IsZero() })
		if !ok || !f.held[m.Ref].IsZero() {
			continue
		}
		key := m.Key
		if slot.Old.IsMaster {
			key = slot.Old.APIKey
		}
		if sec, ok := found[key]; ok && (m.Hint == "" || sec.Last4() == m.Hint) {
			f.held[m.Ref] = sec
		}
	}
}

func (s *filing) makePlan() []Cmd {
	f := s.f
	have, _ := s.rotations()
	in := replace.Input{
		Findings:    s.found.Findings,
		Rotations:   replace.RotationsFrom(have),
		SwitchedOff: f.switchedOff(),
		Roots:       []string{f.scanRoot},
		Earlier:     f.Record().Files.Outcome.Applied, Lang: f.Lang(),
	}
	s.busy = f.T("Finding the files that hold the old keys…")
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		plan, err := replace.NewPlan(ctx, in)
		return filesPlannedMsg{plan: plan, err: err}
	}}
}

func (s *filing) update(msg Msg) []Cmd {
	f := s.f
	switch m := msg.(type) {
	case keysMsg:
		if m.err != nil {
			s.state, s.busy, s.err = filesFailed, "", f.explain(f.T("Could not read your API keys"), m.err)
			s.why = lang.Msg("The files were left as they are: the API keys could not be read.")
			return nil
		}
		plan, settled := f.planFrom(m.keys)
		f.plan = plan
		return append([]Cmd{settled}, s.gather()...)
	case savedSecretsMsg:
		s.holdFromSaved(m.found)
		return s.needSecrets()
	case secretCheckedMsg:
		s.busy = ""
		if m.err != nil {
			s.err = errText(m.err)
			return nil
		}
		s.holdFromSaved(map[string]secret.Secret{m.pair.NewKey: m.pair.NewSecret})
		return s.needSecrets()
	case rescannedMsg:
		if m.err != nil {
			s.state, s.busy, s.err = filesFailed, "", f.T("Could not look at the files again: %s", errText(m.err))
			s.why = lang.Msg("The files were left as they are: they could not be looked at again.")
			return nil
		}
		res := m.result
		s.found, f.scanRoot = &res, f.scanRootForFiles()
		return s.makePlan()
	case filesPlannedMsg:
		s.busy = ""
		if m.err != nil {
			s.state, s.err = filesFailed, f.T("Could not work out which files to change: %s", errText(m.err))
			s.why = lang.Msg("The files were left as they are: the wizard could not work out which files to change.")
			return nil
		}
		return s.planned(m.plan)
	case fileDoneMsg:
		s.busy = ""
		s.fileDone(m)
	case filesCheckedMsg:
		s.busy, s.state = "", filesChecked
		if m.err != nil {
			s.err = f.T("Could not check the files again: %s", errText(m.err))
			return nil
		}
		s.check = &m.check
		// The journal keeps what was left in English, with its messages.
		check := m.check.English()
		return []Cmd{f.note(record.Event{Type: record.File, File: &record.FileOp{Op: record.FileCheck, Check: &check}})}
	case hideMsg:
		s.reveal.expire(m)
	}
	return nil
}

// planned lists the plan's files with what earlier sessions decided, and
// settles the changes an interruption may have cut: a file an update had
// started on is done when it no longer holds an old value; a leaked copy
// is moved when it is no longer where it was. The journal keeps the
// by-hand list in English, with its messages.
func (s *filing) planned(p replace.Plan) []Cmd {
	f := s.f
	s.plan = p
	files := f.Record().Files
	var events []record.Event
	inPlan := map[string]bool{}
	for _, u := range p.Updates {
		inPlan[u.Path] = true
	}
	for _, r := range p.Removals {
		inPlan[r.Path] = true
	}
	for _, op := range files.Pending {
		op := op
		switch {
		case inPlan[op.Path]:
			op.Phase = record.Undone // it never happened: the file is as it was
		case op.Op == record.FileUpdate:
			op.Phase, op.Applied = rotate.Done, &replace.Applied{Path: op.Path, Backup: op.Backups, Keys: op.Keys, Names: op.Names}
		default:
			if _, err := os.Lstat(op.Path); err == nil {
				op.Phase = record.Undone
			} else {
				op.Phase, op.Removed = rotate.Done, &replace.Removed{Path: op.Path, MovedTo: op.Quarantine}
			}
		}
		events = append(events, record.Event{Type: record.File, File: &op})
	}
	var manual []replace.Manual
	for _, m := range p.Manual {
		manual = append(manual, m.English())
	}
	events = append(events, record.Event{Type: record.File, File: &record.FileOp{Op: record.FilePlanned, EnvNotes: p.EnvNotes, Manual: manual}})
	cmds := []Cmd{f.note(events...)}
	s.items = s.listItems(p, f.Record().Files)
	s.state = filesList
	if len(s.items) == 0 {
		s.state = filesChecked
	}
	s.selectNext()
	return cmds
}

// listItems is the plan (updates, then leaks, then notes), with the
// decisions already made, and the files done before an interruption.
func (s *filing) listItems(p replace.Plan, done record.Files) []fileItem {
	f := s.f
	var items []fileItem
	for _, a := range done.Outcome.Applied {
		items = append(items, fileItem{path: a.Path, kind: "settings", choice: choiceDone,
			result: f.T("updated earlier in this recovery (the old version is in %s)", clean(a.Backup))})
	}
	for _, r := range done.Outcome.Removed {
		items = append(items, fileItem{path: r.Path, kind: "leak", choice: choiceDone,
			result: f.T("moved out of the website earlier in this recovery, to %s", clean(r.MovedTo))})
	}
	decided := func(it fileItem) fileItem {
		switch done.Decided[it.path] {
		case record.FileLeave:
			it.choice, it.result = choiceLeft, f.T("left as it is")
		}
		return it
	}
	for i := range p.Updates {
		items = append(items, decided(fileItem{update: &p.Updates[i], path: p.Updates[i].Path, kind: "settings"}))
	}
	for i := range p.Removals {
		items = append(items, decided(fileItem{removal: &p.Removals[i], path: p.Removals[i].Path, kind: "leak"}))
	}
	for _, n := range p.EnvNotes {
		items = append(items, fileItem{path: n.Path, note: n.Advice(f.Lang()), kind: "note"})
	}
	for _, m := range p.Manual {
		items = append(items, fileItem{path: m.Path, note: m.Reason, kind: "note"})
	}
	return items
}

func (s *filing) selectNext() {
	for j := range s.items {
		if s.items[j].actionable() {
			s.selected = j
			return
		}
	}
}

func (s *filing) edit(id, v string) []Cmd {
	if s.state == filesSecret && s.form.set(id, v) {
		s.err = ""
	}
	return nil
}

func (s *filing) pick(i int) {
	if s.state == filesList && i >= 0 && i < len(s.items) {
		s.selected = i
	}
}

func (s *filing) current() (fileItem, bool) {
	if s.selected < 0 || s.selected >= len(s.items) {
		return fileItem{}, false
	}
	return s.items[s.selected], true
}

func (s *filing) do(a ActionID) []Cmd {
	if cmds, ok := s.reveal.answerAction(a); ok {
		return cmds
	}
	switch s.state {
	case filesFailed:
		switch a {
		case Retry:
			s.state, s.err = filesPreparing, ""
			return s.enter()
		case Skip:
			return s.leaveWith(s.why)
		}
	case filesSecret:
		switch a {
		case Continue:
			if s.form.secret(fieldNewSecret).IsZero() {
				s.state = filesSecretLeave
				return nil
			}
			return s.checkSecret()
		case Reveal:
			s.reveal.toggle()
		case Back:
			return s.redoKey()
		}
	case filesSecretLeave:
		switch a {
		case Yes:
			// Without the secret its files cannot be written: the plan
			// lists them as things to do by hand.
			s.leftKeys[s.missing[0].Slot.Old.APIKey] = true
			return s.needSecrets()
		case No, Back:
			s.state = filesSecret
		}
	case filesList:
		return s.listAction(a)
	case filesDiff:
		if a == Back || a == Details || a == Continue {
			s.state = filesList
		}
	case filesConfirmMove:
		switch a {
		case Yes:
			s.state = filesList
			return s.move(s.selected)
		case No, Back:
			s.state = filesList
		}
	case filesLeave:
		switch a {
		case Yes:
			var es []record.Event
			for i := range s.items {
				if s.items[i].actionable() {
					s.items[i].choice, s.items[i].result = choiceLeft, s.f.T("left as it is")
					es = append(es, record.Event{Type: record.File, File: &record.FileOp{Op: record.FileLeave, Path: s.items[i].path}})
				}
			}
			return append([]Cmd{s.f.note(es...)}, s.recheck()...)
		case No, Back:
			s.state = filesList
		}
	case filesChecked:
		if a == Continue {
			return s.leaveWith(lang.Message{})
		}
	}
	return nil
}

func (s *filing) listAction(a ActionID) []Cmd {
	it, ok := s.current()
	switch {
	case a == Details && ok && it.update != nil:
		s.state = filesDiff
	case a == Update && ok && it.actionable() && it.update != nil:
		return s.apply(s.selected)
	case a == Move && ok && it.actionable() && it.removal != nil:
		s.state = filesConfirmMove
	case a == Skip && ok && it.actionable():
		s.items[s.selected].choice, s.items[s.selected].result = choiceLeft, s.f.T("left as it is")
		cmd := s.f.note(record.Event{Type: record.File, File: &record.FileOp{Op: record.FileLeave, Path: it.path}})
		s.selectNext()
		return []Cmd{cmd}
	case a == Continue:
		if s.undecided() > 0 {
			s.state = filesLeave
			return nil
		}
		return s.recheck()
	}
	return nil
}

func (s *filing) undecided() int {
	n := 0
	for _, it := range s.items {
		if it.actionable() {
			n++
		}
	}
	return n
}

// checkSecret takes a new secret the customer typed: it must be the one
// the journal knows (its last four characters) and work with its key.
func (s *filing) checkSecret() []Cmd {
	pair := s.missing[0]
	typed := secret.New(strings.TrimSpace(s.form.secret(fieldNewSecret).Reveal()))
	s.form.clear(fieldNewSecret)
	if !rotate.IsSecretFormat(typed.Reveal()) {
		s.err = s.f.T("That is not a secret key: a secret key is 32 characters long, made of the digits 0-9 and the letters a-f.")
		return nil
	}
	pair.NewSecret = typed
	api, p := s.f.api, s.f.Lang()
	s.busy = s.f.T("Checking the secret with Mailjet…")
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		err := api.WithCredentials(mailjet.Credentials{APIKey: pair.NewKey, Secret: pair.NewSecret}).CheckAuth(ctx)
		if errors.Is(err, mailjet.ErrUnauthorized) {
			err = errors.New(p.T("Mailjet refused that secret for the key %s: check that you copied the whole secret of the new key.", pair.NewKey))
		}
		return secretCheckedMsg{pair: pair, err: err}
	}}
}

// redoKey makes a new replacement for a key whose secret the customer no
// longer has: the rotation makes another and switches this one off.
func (s *filing) redoKey() []Cmd {
	f := s.f
	pair := s.missing[0]
	if pair.Slot.Old.IsMaster {
		s.err = f.T("The main key's secret is the one this session signed in with; it cannot be lost here.")
		return nil
	}
	log := f.Record().Ledger().Log(pair.Slot.Old.APIKey)
	m, ok := log.Current(func(string) bool { return false })
	if !ok {
		return nil
	}
	e := rotate.LostSecret(pair.Slot, m)
	e.At = f.cfg.Now()
	cmds := []Cmd{f.note(record.Event{Type: record.Rotation, Key: &e})}
	s.state = filesPreparing
	return append(cmds, f.moveTo(Rotate)...)
}

func (s *filing) apply(i int) []Cmd {
	f := s.f
	u := *s.items[i].update
	// Backups go to a private folder with the report, not next to each
	// file: a copy of wp-config.php left in the website would be one more
	// leak (and the next scan would find the old key in it).
	backups := filepath.Join(f.cfg.ReportDir, "mjrecover-backups-"+f.cfg.Now().Format("20060102-150405"))
	if d := s.backupDir(); d != "" {
		backups = d
	}
	j, p := f.journal, f.Lang()
	s.busy = f.T("Updating %s…", clean(s.rel(u.Path)))
	return []Cmd{func(ctx context.Context) Msg {
		intent := record.FileOp{Op: record.FileUpdate, Phase: rotate.Intent, Path: u.Path, Backups: backups, Keys: u.Keys, Names: u.Names}
		if err := j.Write(record.Event{At: time.Now(), Type: record.File, File: &intent}); err != nil {
			return fileDoneMsg{index: i, err: fmt.Errorf("%s (%w)", p.T("the wizard could not note its progress, so it changed nothing"), err)}
		}
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		applier := &replace.Applier{BackupDir: backups}
		a, err := applier.Apply(ctx, u)
		out := record.FileOp{Op: record.FileUpdate, Phase: rotate.Done, Path: u.Path, Applied: &a}
		if err != nil {
			out = failedOp(record.FileUpdate, u.Path, err)
		}
		_ = j.Keep(record.Event{At: time.Now(), Type: record.File, File: &out})
		if err != nil {
			return fileDoneMsg{index: i, err: err}
		}
		return fileDoneMsg{index: i, applied: &a}
	}}
}

// backupDir is the folder this recovery's backups went to, if any yet.
func (s *filing) backupDir() string {
	for _, a := range s.f.Record().Files.Outcome.Applied {
		if a.Backup != "" {
			return filepath.Dir(a.Backup)
		}
	}
	return ""
}

func (s *filing) move(i int) []Cmd {
	f := s.f
	r := *s.items[i].removal
	qdir, parent, now, j, p := f.Record().Files.Quarantine, f.cfg.ReportDir, f.cfg.Now(), f.journal, f.Lang()
	s.busy = f.T("Moving %s out of the website…", clean(s.rel(r.Path)))
	return []Cmd{func(ctx context.Context) Msg {
		if qdir == "" {
			var err error
			if qdir, err = replace.NewQuarantine(s.f.Lang(), parent, now); err != nil {
				return fileDoneMsg{index: i, err: err}
			}
		}
		intent := record.FileOp{Op: record.FileMove, Phase: rotate.Intent, Path: r.Path, Quarantine: qdir}
		if err := j.Write(record.Event{At: time.Now(), Type: record.File, File: &intent}); err != nil {
			return fileDoneMsg{index: i, err: fmt.Errorf("%s (%w)", p.T("the wizard could not note its progress, so it changed nothing"), err)}
		}
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		rm, err := replace.Remove(ctx, r, qdir)
		out := record.FileOp{Op: record.FileMove, Phase: rotate.Done, Path: r.Path, Removed: &rm, Quarantine: qdir}
		if err != nil {
			out = failedOp(record.FileMove, r.Path, err)
		}
		_ = j.Keep(record.Event{At: time.Now(), Type: record.File, File: &out})
		if err != nil {
			return fileDoneMsg{index: i, err: err}
		}
		return fileDoneMsg{index: i, removed: &rm}
	}}
}

// failedOp is the journal's line for a change that failed: the problem
// in English, with its message when the change said it as one.
func failedOp(op record.FileOpKind, path string, err error) record.FileOp {
	out := record.FileOp{Op: op, Phase: rotate.Failed, Path: path, Problem: fileProblem(err)}
	var fe *replace.FileError
	if errors.As(err, &fe) && !fe.Say.IsZero() {
		out.Problem, out.ProblemSay = clean(fe.Say.String()), fe.Say
	}
	return out
}

func fileProblem(err error) string {
	var fe *replace.FileError
	if errors.As(err, &fe) && fe.Problem != "" {
		return clean(fe.Problem)
	}
	return errText(err)
}

func (s *filing) fileDone(m fileDoneMsg) {
	it := &s.items[m.index]
	switch {
	case m.err != nil:
		it.choice, it.result = choiceFailed, s.f.T("not changed: %s", fileProblem(m.err))
	case m.applied != nil:
		it.choice, it.result = choiceDone, s.f.T("updated (the old version is in %s)", clean(m.applied.Backup))
	case m.removed != nil:
		it.choice, it.result = choiceDone, s.f.T("moved out of the website to %s", clean(m.removed.MovedTo))
	}
	s.selectNext()
}

// recheck looks again at the files that were changed.
func (s *filing) recheck() []Cmd {
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
	s.state, s.busy = filesChecking, s.f.T("Checking the changed files again…")
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		v, err := replace.Verify(ctx, updates)
		return filesCheckedMsg{check: v, err: err}
	}}
}

// leaveWith ends the page. The new secrets of the sub-account keys are
// dropped: they are in the files now, or the customer has them.
func (s *filing) leaveWith(why lang.Message) []Cmd {
	f := s.f
	master := f.api.Credentials()
	for ref, sec := range f.held {
		if !sec.Equal(master.Secret) {
			delete(f.held, ref)
		}
	}
	s.reveal.hide()
	// What happened to each file is in the report's other actions.
	say := s.outcomeMsg()
	if len(s.items) == 0 {
		say = lang.Msg("No settings file held an old key.")
	}
	status := support.StatusDone
	if !why.IsZero() {
		say, status = why, support.StatusSkipped
	}
	return f.finish(support.StepResult{Status: status, Say: say})
}

func (s *filing) rel(p string) string { return relPath(s.f.scanRoot, p) }

func (s *filing) screen() Screen {
	f := s.f
	var sc Screen
	if s.busy != "" {
		sc.Busy = true
		sc.Blocks = []Block{working(s.busy)}
		if s.state == filesList {
			sc.Blocks = append(s.listBlocks(), working(s.busy))
		}
		return sc
	}
	switch s.state {
	case filesPreparing:
		sc.Busy = true
		sc.Blocks = []Block{working(f.T("Finding the files that hold the old keys…"))}
	case filesFailed:
		sc.Blocks = []Block{toned(Bad, s.err)}
		sc.Actions = []Action{act(Retry, f.T("try again")), act(Skip, f.T("leave the files as they are"))}
	case filesSecret, filesSecretLeave:
		return s.secretScreen()
	case filesDiff:
		it, _ := s.current()
		sc.Blocks = []Block{toned(Title, f.T("The change in %s (secrets shown as ****abcd)", clean(s.rel(it.path))))}
		// The change in words, not in diff notation: the file's lines
		// as they are now and as they will be, with a few lines around.
		var lines []DiffLine
		for _, line := range strings.Split(strings.TrimRight(it.update.Diff.String(), "\n"), "\n") {
			line = clean(line) // per line: Clean would join them
			switch {
			case strings.HasPrefix(line, "---"), strings.HasPrefix(line, "+++"):
			case strings.HasPrefix(line, "@@"):
				lines = append(lines, DiffLine{Op: ' ', Text: "…"})
			case strings.HasPrefix(line, "-"):
				lines = append(lines, DiffLine{Op: '-', Text: f.T("now:   %s", line[1:])})
			case strings.HasPrefix(line, "+"):
				lines = append(lines, DiffLine{Op: '+', Text: f.T("after: %s", line[1:])})
			default:
				lines = append(lines, DiffLine{Op: ' ', Text: "       " + strings.TrimPrefix(line, " ")})
			}
		}
		sc.Blocks = append(sc.Blocks, Block{Kind: DiffBlock, Diff: lines})
		sc.Actions = []Action{act(Back, f.T("back to the list"))}
	case filesChecked:
		sc.Blocks = s.checkedBlocks()
		sc.Actions = []Action{act(Continue, f.T("continue"))}
	default:
		sc.Blocks = s.listBlocks()
		switch s.state {
		case filesConfirmMove:
			it, _ := s.current()
			sc.Blocks = append(sc.Blocks, box(f.T("Move %s out of the website, into a folder only you can read? "+
				"Nothing is deleted: you can put it back.", clean(s.rel(it.path)))+f.T("\n\ny / n")))
			sc.Actions = f.yesNo()
		case filesLeave:
			sc.Blocks = append(sc.Blocks, box(f.T("%d file is not decided yet: leave it as it is? "+
				"Apps that read it keep the old key, which Mailjet now refuses.", s.undecided())+f.T("\n\ny / n")))
			sc.Actions = f.yesNo()
		default:
			sc.Actions = []Action{act(Continue, f.T("continue"))}
			if it, ok := s.current(); ok && it.actionable() && it.update != nil {
				sc.Actions = append(sc.Actions, act(Update, f.T("update")), act(Details, f.T("show the change")), act(Skip, f.T("skip")))
			}
			if it, ok := s.current(); ok && it.actionable() && it.removal != nil {
				sc.Actions = append(sc.Actions, act(Move, f.T("move out of the website")), act(Skip, f.T("keep")))
			}
		}
	}
	return sc
}

// kindWords names a kind of file in the list.
func (s *filing) kindWords(kind string) string {
	switch kind {
	case "settings":
		return s.f.T("settings")
	case "leak":
		return s.f.T("leak")
	}
	return s.f.T("note")
}

func (s *filing) listBlocks() []Block {
	f := s.f
	out := []Block{text(f.T("These files hold an old key or secret. Update each settings file with the new key " +
		"(a copy of the old version is kept in a private folder, readable only by you), and move copies the " +
		"website hands to anyone out of it."))}
	done, left, failed, todo := f.T("done"), f.T("left"), f.T("failed"), f.T("to do")
	// The state's column keeps its width as the states change.
	width := 0
	for _, w := range []string{done, left, failed, todo} {
		width = max(width, len([]rune(w)))
	}
	l := &List{Selected: s.selected}
	for _, it := range s.items {
		state, tone := "", Plain
		switch it.choice {
		case choiceDone:
			state, tone = done, Good
		case choiceLeft:
			state, tone = left, Muted
		case choiceFailed:
			state, tone = failed, Bad
		default:
			if it.actionable() {
				state, tone = todo, Warn
			}
		}
		l.Items = append(l.Items, Item{Mark: fmt.Sprintf("%-*s", width, state), MarkTone: tone,
			Cols: []string{s.kindWords(it.kind), clean(s.rel(it.path))}})
	}
	out = append(out, Block{Kind: ListBlock, List: l})
	if it, ok := s.current(); ok {
		out = append(out, toned(Muted, s.detail(it)))
	}
	if s.err != "" {
		out = append(out, toned(Bad, s.err))
	}
	return out
}

// detail is a few words about the selected item.
func (s *filing) detail(it fileItem) string {
	switch {
	case it.result != "":
		return it.result
	case it.update != nil:
		return s.f.T("%d value to change: show the change (space) to see it.", it.update.Replaced)
	case it.removal != nil:
		return clean(it.removal.Reason)
	}
	return clean(it.note)
}

// outcome is what the files page did, in the customer's words.
func (s *filing) outcome() string { return s.f.Lang().Say(s.outcomeMsg()) }

// outcomeMsg is what the files page did, as a message (the journal keeps
// it for the report).
func (s *filing) outcomeMsg() lang.Message {
	o := s.f.Record().Files.Outcome
	return lang.Msg("%[1]s, %[2]s.", lang.Msg("%d settings file updated", len(o.Applied)),
		lang.Msg("%d leaked copy moved out of the website", len(o.Removed)))
}

func (s *filing) checkedBlocks() []Block {
	f := s.f
	var out []Block
	if len(s.items) == 0 {
		out = append(out, text(f.T("No settings file here holds an old key. Put the new keys in your apps wherever "+
			"they keep them (the hosting panel, the plugin's settings page).")))
	} else {
		out = append(out, text(s.outcome()))
	}
	switch {
	case s.check != nil && s.check.Clean():
		out = append(out, tight(toned(Good, f.T("Checked again: no old key or secret is left in the files that were updated."))))
	case s.check != nil:
		out = append(out, tight(toned(Bad, f.T("Checked again: %d place still holds an old key or secret:", len(s.check.Leftovers)))))
		for _, l := range s.check.Leftovers {
			out = append(out, tight(text("  "+f.T("%[1]s: %[2]s", clean(s.rel(l.Path)), clean(l.What)))))
		}
	}
	for _, n := range s.plan.EnvNotes {
		out = append(out, toned(Strong, clean(s.rel(n.Path))), tight(toned(Warn, clean(n.Advice(s.f.Lang())))))
	}
	if q := f.Record().Files.Quarantine; q != "" {
		out = append(out, text(f.T("Moved files are in %s.", clean(q))))
	}
	if s.err != "" {
		out = append(out, toned(Bad, s.err))
	}
	return append(out, question(f.T("Press Enter to go on.")))
}

func (s *filing) secretScreen() Screen {
	f := s.f
	pair := s.missing[0]
	sc := Screen{Fields: s.form.view(s.reveal.shown), Focus: fieldNewSecret}
	sc.Blocks = []Block{
		text(f.T("To put the new key of %[1]s (%[2]s) into your files, the wizard needs its secret, which this "+
			"session no longer holds: it is never written to disk. Paste it below, from wherever you saved or copied it.",
			clean(pair.Slot.Old.Name), pair.NewKey)),
		input(fieldNewSecret),
		toned(Muted, f.T("Enter with nothing typed leaves this key's files as they are. Esc makes a new key instead "+
			"(the one whose secret you lost is switched off).")),
	}
	if s.state == filesSecretLeave {
		sc.Blocks = append(sc.Blocks, box(f.T("Leave the files that hold the old key of %s as they are? Apps that read "+
			"them keep the old key, which Mailjet now refuses, until you update them by hand.", clean(pair.Slot.Old.Name))+f.T("\n\ny / n")))
		sc.Actions = f.yesNo()
		return sc
	}
	if s.reveal.ask(&sc) {
		return sc
	}
	if s.err != "" {
		sc.Blocks = append(sc.Blocks, toned(Bad, s.err))
	}
	sc.Actions = []Action{act(Continue, f.T("check it")), act(Reveal, f.T("show/hide")), act(Back, f.T("make a new key"))}
	return sc
}
