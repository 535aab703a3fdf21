package flow

import (
	"context"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/record"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

type rotationState int

const (
	rotLoading  rotationState = iota // reading the keys (a resumed recovery)
	rotRunning                       // a request is in flight
	rotFailed                        // the last request failed: try again or skip
	rotHandover                      // the new secrets are ready: the customer takes them
	rotKeepOld                       // asking whether to keep the old keys instead
	rotGuided                        // the customer resets the master secret on the site
	rotDone                          // every slot is finished
)

const fieldPasted = "pasted"

// rotation runs the plan one request at a time, hands the new secrets to
// the customer before anything is switched off, then switches the old keys
// off and checks that the new ones work.
type rotation struct {
	base
	f       *Flow
	state   rotationState
	current int       // the slot being worked on
	running rotate.Op // what is in flight for it
	err     string
	form    form
	reveal  revealer // the new secrets
	typed   revealer // the secret pasted in the guided reset
	file    saving   // the new secrets, saved to a file the customer asked for
	note    string   // why the customer cannot go on yet
	testing bool     // test emails are being sent
}

// Messages of the rotation.
type (
	stepDoneMsg struct {
		slot    int
		secrets rotate.Secrets
		err     error
	}
	sendTestedMsg struct{ checks []rotate.SendCheck }
)

func newRotation(f *Flow) *rotation {
	s := &rotation{f: f, reveal: f.revealer(), typed: f.revealer(), file: saving{what: savedKeys, prefix: "mjrecover-new-keys-"}}
	s.form = newForm(Field{ID: fieldPasted, Label: f.T("New secret key of the main key"), Placeholder: f.T("paste it here"), Limit: 128, Width: 50, Secret: true})
	return s
}

func (s *rotation) enter() []Cmd {
	if len(s.f.plan.Slots) == 0 {
		// A resumed recovery: the plan was confirmed in an earlier session.
		s.state = rotLoading
		return []Cmd{s.f.listKeys()}
	}
	return s.advance()
}

func (s *rotation) leave() {
	s.reveal.hide()
	s.typed.hide()
}

func (s *rotation) drop() { s.form.clear(fieldPasted) }

// log is slot i's journal, folded.
func (s *rotation) log(i int) *rotate.SlotLog {
	return s.f.Record().Ledger().Log(s.f.plan.Slots[i].Old.APIKey)
}

func (s *rotation) held(ref string) bool { return !s.f.held[ref].IsZero() }

// next is slot i's next step.
func (s *rotation) next(i int) rotate.Step {
	slot := s.f.plan.Slots[i]
	if slot.Action == rotate.SkipInactive {
		return rotate.Step{}
	}
	return s.log(i).Next(slot, s.held, s.f.rec != nil)
}

// advance runs the next request, in plan order, that needs no one; once
// only the customer can go on, it shows the new secrets to take, then the
// master reset on Mailjet's site, then the outcome.
func (s *rotation) advance() []Cmd {
	s.err, s.note = "", ""
	var handover, guided = -1, -1
	for i := range s.f.plan.Slots {
		switch step := s.next(i); step.Op {
		case "":
		case rotate.OpHandover:
			handover = max(handover, i)
		case rotate.OpAccept:
			guided = i
		default:
			return s.run(i, step)
		}
	}
	switch {
	case handover >= 0:
		s.state = rotHandover
	case guided >= 0:
		s.state, s.current = rotGuided, guided
		s.form.clear(fieldPasted)
		s.form.focusOn(fieldPasted)
	default:
		s.state = rotDone
	}
	return nil
}

// rotator acts for the session, writing the journal.
func (s *rotation) rotator() *rotate.Rotator {
	f := s.f
	return &rotate.Rotator{API: f.api, Recovery: f.rec, Now: f.cfg.Now, ReadyWait: f.cfg.ReadyWait, Journal: keyJournal{f.journal}, Lang: f.Lang()}
}

// oldSecret is slot's secret before the rotation, when known.
func (s *rotation) oldSecret(slot rotate.Slot) secret.Secret {
	if !slot.Old.IsMaster {
		return slot.Old.Secret
	}
	// Signed in with the new secret (after an interruption): the old one
	// is not known in this session.
	if log := s.f.Record().Ledger().Log(slot.Old.APIKey); log != nil {
		if m, ok := log.Active(); ok && s.f.held[m.Ref].Equal(s.f.oldMaster) {
			return secret.Secret{}
		}
	}
	return s.f.oldMaster
}

func (s *rotation) run(i int, step rotate.Step) []Cmd {
	s.state, s.current, s.running = rotRunning, i, step.Op
	slot := s.f.plan.Slots[i]
	log := *s.log(i)
	rot, sec, old := s.rotator(), s.f.held[step.Made.Ref], s.oldSecret(slot)
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		got, err := rot.Do(ctx, slot, log, step, sec, old)
		return stepDoneMsg{slot: i, secrets: got, err: err}
	}}
}

func (s *rotation) update(msg Msg) []Cmd {
	switch m := msg.(type) {
	case keysMsg:
		if m.err != nil {
			s.state, s.err = rotFailed, s.f.explain(s.f.T("Could not read your API keys"), m.err)
			return nil
		}
		plan, settled := s.f.planFrom(m.keys)
		s.f.plan = plan
		return append([]Cmd{settled}, s.advance()...)
	case stepDoneMsg:
		for ref, sec := range m.secrets {
			s.f.held[ref] = sec
		}
		s.f.followMaster()
		if m.err != nil {
			s.f.noteRefusal(m.err)
			s.state, s.current, s.err = rotFailed, m.slot, errText(m.err)
			if s.next(m.slot).Op == rotate.OpAccept {
				// A secret typed in that does not work: type it again.
				s.state = rotGuided
				s.form.clear(fieldPasted)
				s.form.focusOn(fieldPasted)
			}
			return nil
		}
		return s.advance()
	case sendTestedMsg:
		s.testing = false
		es := make([]record.Event, len(m.checks))
		for i := range m.checks {
			es[i] = record.Event{At: m.checks[i].At, Type: record.SendTest, Send: &m.checks[i]}
		}
		return []Cmd{s.f.note(es...)}
	case hideMsg:
		s.reveal.expire(m)
		s.typed.expire(m)
	case fileSavedMsg:
		cmd, err := s.file.done(s.f, m)
		if s.err = errText(err); err != nil {
			return nil
		}
		return append([]Cmd{cmd}, s.handOver(rotate.HandSaved, m.path)...)
	}
	return nil
}

// followMaster switches the clients to the new master secret once the
// journal says it is the one in use.
func (f *Flow) followMaster() {
	if f.api == nil {
		return
	}
	creds := f.api.Credentials()
	log := f.Record().Ledger().Log(creds.APIKey)
	m, ok := log.Active()
	if !ok || f.held[m.Ref].IsZero() || f.held[m.Ref].Equal(creds.Secret) {
		return
	}
	f.useCredentials(mailjet.Credentials{APIKey: creds.APIKey, Secret: f.held[m.Ref]})
	f.masterResetAt = f.cfg.Now()
}

// waiting are the new secrets the customer has not taken yet.
func (s *rotation) waiting() []handItem {
	var out []handItem
	for i, slot := range s.f.plan.Slots {
		if step := s.next(i); step.Op == rotate.OpHandover {
			out = append(out, handItem{slot: slot, made: step.Made})
		}
	}
	return out
}

type handItem struct {
	slot rotate.Slot
	made rotate.Made
}

// handOver notes that the customer has every waiting secret, then goes on.
func (s *rotation) handOver(how, path string) []Cmd {
	var es []record.Event
	for _, w := range s.waiting() {
		e := rotate.HandedOver(w.slot, w.made, how, path)
		e.At = s.f.cfg.Now()
		es = append(es, record.Event{Type: record.Rotation, Key: &e})
	}
	if len(es) == 0 {
		return nil
	}
	cmds := []Cmd{s.f.note(es...)}
	if s.state == rotHandover {
		cmds = append(cmds, s.advance()...)
	}
	return cmds
}

func (s *rotation) do(a ActionID) []Cmd {
	if cmds, ok := s.reveal.answerAction(a); ok {
		if s.reveal.shown {
			cmds = append(cmds, s.handOver(rotate.HandShown, "")...)
		}
		return cmds
	}
	if cmds, ok := s.typed.answerAction(a); ok {
		return cmds
	}
	switch s.state {
	case rotFailed:
		switch a {
		case Retry:
			if len(s.f.plan.Slots) == 0 {
				return s.enter()
			}
			return s.advance()
		case Skip:
			if len(s.f.plan.Slots) == 0 {
				return nil // the keys could not be read: there is no key to skip
			}
			return s.skip(s.current, skippedAfterError)
		}
	case rotHandover:
		switch a {
		case Reveal:
			s.reveal.toggle()
			if s.reveal.shown {
				return s.handOver(rotate.HandShown, "")
			}
		case Save:
			return s.save()
		case Continue:
			s.note = s.f.T("First save the new keys (s) or show them (r) and copy them: the old keys are switched off only once you have the new ones.")
			if s.f.cfg.Kiosk {
				s.note = s.f.T("First show the new keys (r) and copy them into your apps: the old keys are switched off only once you have the new ones.")
			}
		case Back:
			s.state = rotKeepOld
		}
	case rotKeepOld:
		switch a {
		case Yes:
			var cmds []Cmd
			for i, slot := range s.f.plan.Slots {
				if s.next(i).Op == rotate.OpHandover {
					e := rotate.Skipped(slot, skippedKeptOld)
					e.At = s.f.cfg.Now()
					cmds = append(cmds, s.f.note(record.Event{Type: record.Rotation, Key: &e}))
				}
			}
			return append(cmds, s.advance()...)
		case No, Back:
			s.state = rotHandover
		}
	case rotGuided:
		switch a {
		case Continue:
			return s.accept()
		case Reveal:
			s.typed.toggle()
		case Back:
			return s.skip(s.current, skippedNotReset)
		}
	case rotDone:
		switch a {
		case Reveal:
			s.reveal.toggle()
		case Save:
			return s.save()
		case TestSend:
			return s.testSend()
		case Continue:
			if s.testing {
				return nil
			}
			s.reveal.hide()
			return s.f.finish(s.result())
		}
	}
	return nil
}

func (s *rotation) edit(id, v string) []Cmd {
	if s.state == rotGuided && s.form.set(id, v) {
		s.err = ""
	}
	return nil
}

// Why a key was left as it was, for the journal; the screen says them
// in the customer's language (skipWords).
var (
	skippedKeptOld  = lang.Mark("Left as it was, at the customer's choice: the new key was not taken")
	skippedNotReset = lang.Mark("The main key's secret was not reset: it stays as it was")
	// The error itself was on screen, in the customer's language; the
	// journal (and the report's JSON) keeps English.
	skippedAfterError = lang.Mark("Not rotated: a change at Mailjet failed, and the customer went on without it")
)

// skipWords says why a key was left as it was: the wizard's own reasons
// in the customer's language, an error as it came.
func (f *Flow) skipWords(why string) string {
	if why == skippedKeptOld || why == skippedNotReset || why == skippedAfterError {
		return f.Lang().Text(why)
	}
	return clean(why)
}

// skip leaves slot i as it is (after cleaning up what it made) and goes on.
func (s *rotation) skip(i int, why string) []Cmd {
	e := rotate.Skipped(s.f.plan.Slots[i], why)
	e.At = s.f.cfg.Now()
	return append([]Cmd{s.f.note(record.Event{Type: record.Rotation, Key: &e})}, s.advance()...)
}

func (s *rotation) accept() []Cmd {
	i := s.current
	slot := s.f.plan.Slots[i]
	typed := s.form.secret(fieldPasted)
	if typed.IsZero() {
		s.err = s.f.T("Paste the new secret key first.")
		return nil
	}
	rot, old, attempt := s.rotator(), s.oldSecret(slot), s.log(i).Tries+1
	s.state = rotRunning
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		got, err := rot.Accept(ctx, slot, attempt, typed, old)
		return stepDoneMsg{slot: i, secrets: got, err: err}
	}}
}

// save writes the new pairs to a file only the customer can read.
func (s *rotation) save() []Cmd {
	results := s.pairs()
	return s.file.start(s.f, func(path string) error { return rotate.SaveSecrets(s.f.Lang(), path, results) })
}

// testSend asks the Send API to check one email per new pair, in sandbox
// mode: it proves each key can send, and nothing is delivered.
func (s *rotation) testSend() []Cmd {
	pairs := s.pairs()
	if s.testing || len(pairs) == 0 {
		return nil
	}
	s.testing = true
	api, to, now := s.f.api, s.f.account.Email, s.f.cfg.Now
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		checks := make([]rotate.SendCheck, len(pairs))
		for i, p := range pairs {
			checks[i] = rotate.SendTest(ctx, api, p, to, now())
		}
		return sendTestedMsg{checks: checks}
	}}
}

// testBlocks say how the test emails went: one line when every new key
// could send, and a line for each one that could not.
func (s *rotation) testBlocks() []Block {
	held := map[string]bool{}
	for _, p := range s.pairs() {
		held[p.NewKey] = true
	}
	f := s.f
	var ok []rotate.SendCheck
	var out []Block
	for _, c := range f.Record().Sends {
		switch {
		case !held[c.APIKey]:
		case c.OK:
			ok = append(ok, c)
		default:
			out = append(out, toned(Warn, "✗ "+f.T("The test email with the key %[1]s (%[2]s) was not accepted: %[3]s.",
				clean(c.Name), c.APIKey, clean(c.Problem))))
		}
	}
	if len(ok) > 0 {
		said := f.T("Mailjet's Send API accepted a test email from every new key (sent from %s in sandbox mode: nothing was delivered).", clean(ok[0].From))
		if len(out) > 0 {
			said = f.T("Mailjet's Send API accepted a test email from %[1]d new key (sent from %[2]s in sandbox mode: nothing was delivered).", len(ok), clean(ok[0].From))
		}
		out = append([]Block{toned(Good, "✓ "+said)}, out...)
	}
	return out
}

// pairs are the new pairs this session holds, in plan order.
func (s *rotation) pairs() []rotate.Result {
	var out []rotate.Result
	for i, slot := range s.f.plan.Slots {
		if m, ok := s.log(i).Current(s.held); ok && s.held(m.Ref) {
			key := m.Key
			if slot.Old.IsMaster {
				key = slot.Old.APIKey
			}
			r := rotate.Result{Slot: slot, NewKey: key, NewID: m.ID, NewSecret: s.f.held[m.Ref]}
			if m.Check != nil {
				r.Check = *m.Check
			}
			out = append(out, r)
		}
	}
	return out
}

// result is the rotation's outcome, for the journal and the report: a
// message, so the report says it in the customer's language.
func (s *rotation) result() support.StepResult {
	var replaced, verified, earlier int
	var master lang.Message
	var notDone, retired []lang.Message
	ledger := s.f.Record().Ledger()
	for _, slot := range s.f.plan.Slots {
		log := ledger.Log(slot.Old.APIKey)
		if log.Skipped != "" {
			notDone = append(notDone, lang.Msg("%[1]s (%[2]s): %[3]s", clean(slot.Old.Name), slot.Old.APIKey, skipMsg(log.Skipped)))
			continue
		}
		if log.Retired {
			retired = append(retired, retiredMsg(clean(slot.Old.Name), log.LastSent))
			continue
		}
		m, ok := log.Current(s.held)
		if !ok || slot.Action == rotate.SkipInactive {
			continue
		}
		if slot.Action == rotate.DoneEarlier {
			earlier++
			continue
		}
		if m.Check != nil && m.Check.OK() {
			verified++
		}
		switch {
		case !slot.Old.IsMaster:
			replaced++
		case s.f.rec != nil:
			master = lang.Msg("the master secret was changed")
		default:
			master = lang.Msg("the master secret was reset on Mailjet's site")
		}
	}
	parts := []lang.Message{lang.Msg("%d sub-account key replaced", replaced)}
	if !master.IsZero() {
		parts = append(parts, master)
	}
	parts = append(parts, retired...)
	if earlier > 0 {
		parts = append(parts, lang.Msg("%d key rotated earlier in this recovery", earlier))
	}
	parts = append(parts, lang.Msg("%d verified (new key works, old one refused)", verified))
	if sends := s.f.Record().Sends; len(sends) > 0 {
		sent := 0
		for _, c := range sends {
			if c.OK {
				sent++
			}
		}
		parts = append(parts, lang.Msg("test email accepted by the Send API for %[1]d of %[2]d", sent, len(sends)))
	}
	status := support.StatusDone
	if s.f.rec == nil {
		status = support.StatusGuided
	}
	say := lang.Msg("%s.", listMsg(parts))
	if len(notDone) > 0 {
		status = support.StatusPending
		say = lang.Msg("%[1]s. Not done: %[2]s.", listMsg(parts), listMsg(notDone))
	}
	return support.StepResult{Status: status, Say: say}
}

// retiredMsg says, for the report, that an unused key was switched off
// with no replacement.
func retiredMsg(name string, lastSent time.Time) lang.Message {
	if lastSent.IsZero() {
		return lang.Msg("%s: switched off, never used", name)
	}
	return lang.Msg("%[1]s: switched off, unused since %[2]s", name, lang.DateMsg(lastSent))
}

// skipMsg is why a key was left as it was, as a message: the wizard's
// own reasons to be translated, an error as it came.
func skipMsg(why string) lang.Message {
	if why == skippedKeptOld || why == skippedNotReset || why == skippedAfterError {
		return lang.Kept(why)
	}
	return lang.Msg("%s", clean(why))
}

// keyJournal writes the rotation's entries into the recovery's journal.
type keyJournal struct{ j *record.Journal }

func keyEvents(es []rotate.Entry) []record.Event {
	out := make([]record.Event, len(es))
	for i := range es {
		e := es[i]
		out[i] = record.Event{At: e.At, Type: record.Rotation, Key: &e}
	}
	return out
}

func (k keyJournal) Intend(es ...rotate.Entry) error { return k.j.Write(keyEvents(es)...) }
func (k keyJournal) Note(es ...rotate.Entry) error   { return k.j.Keep(keyEvents(es)...) }

func (s *rotation) screen() Screen {
	f := s.f
	var sc Screen
	switch s.state {
	case rotLoading:
		sc.Busy = true
		sc.Blocks = []Block{working(f.T("Reading your API keys…"))}
		return sc
	case rotRunning, rotFailed:
		sc.Busy = s.state == rotRunning
		sc.Blocks = []Block{s.progress()}
		if s.state == rotFailed {
			sc.Blocks = append(sc.Blocks, toned(Bad, s.err),
				text(f.T("Press r to try again (the wizard first checks what Mailjet did), or s to skip this key: it stays as it is, and this step stays not done.")))
			sc.Actions = []Action{act(Retry, f.T("try again"))}
			if len(f.plan.Slots) > 0 {
				sc.Actions = append(sc.Actions, act(Skip, f.T("skip this key")))
			}
		}
		return sc
	case rotGuided:
		return s.guidedScreen()
	case rotKeepOld:
		sc.Blocks = []Block{box(f.T("Keep the old keys instead? The new ones are switched off again, the leaked keys keep " +
			"working, and this step stays not done.\n\ny / n"))}
		sc.Actions = f.yesNo()
		return sc
	}
	if s.reveal.ask(&sc) {
		return sc
	}
	sc.Secret, sc.Busy = s.reveal.shown, s.file.busy
	if s.state == rotHandover {
		keep := f.T("Save them to a file only you can read (s), or show them (r) and copy them.")
		if f.cfg.Kiosk {
			keep = f.T("Show them (r) and copy them into your apps: this session keeps no file for you.")
		}
		sc.Blocks = append(sc.Blocks, toned(Title, f.T("Your new keys are ready.")),
			text(f.T("The old keys still work until you have these.")+" "+keep+" "+f.T("Then the old keys are switched off.")))
		sc.Blocks = append(sc.Blocks, s.pairsBlocks(false)...)
		sc.Actions = []Action{act(Continue, f.T("switch the old keys off"))}
		if !f.cfg.Kiosk && s.file.path == "" {
			sc.Actions = append(sc.Actions, act(Save, f.T("save to a file")))
		}
		sc.Actions = append(sc.Actions, act(Reveal, f.T("show/hide secrets")), act(Back, f.T("keep the old keys")))
	} else {
		sc.Blocks = append(sc.Blocks, toned(Title, f.T("Your keys are rotated.")),
			text(f.T("Put the new keys in every app and plugin that sends email; the next page does it for the files the scan found.")))
		tests := s.testBlocks()
		if len(s.pairs()) > 0 && !s.testing && len(tests) == 0 {
			sc.Blocks = append(sc.Blocks, text(f.T("To check that they can send, press t: Mailjet checks a test email from each new key and delivers nothing.")))
		}
		sc.Blocks = append(sc.Blocks, s.pairsBlocks(true)...)
		sc.Blocks = append(sc.Blocks, tests...)
		sc.Actions = []Action{act(Continue, f.T("continue")), act(Reveal, f.T("show/hide secrets"))}
		switch held := len(s.pairs()) > 0; {
		case held && s.testing:
			sc.Busy = true
			sc.Blocks = append(sc.Blocks, working(f.T("Sending a test email with each new key (in sandbox mode: Mailjet checks it and delivers nothing)…")))
			sc.Actions = sc.Actions[1:]
		case held && len(tests) > 0:
			sc.Actions = append(sc.Actions, act(TestSend, f.T("test again")))
		case held:
			sc.Actions = append(sc.Actions, act(TestSend, f.T("send a test email")))
		}
		if !f.cfg.Kiosk && s.file.path == "" && len(s.pairs()) > 0 {
			sc.Actions = append(sc.Actions, act(Save, f.T("save to a file")))
		}
	}
	switch {
	case s.note != "":
		sc.Blocks = append(sc.Blocks, toned(Warn, s.note))
	case s.err != "":
		sc.Blocks = append(sc.Blocks, toned(Bad, s.err))
	case s.file.path != "":
		sc.Blocks = append(sc.Blocks, s.file.blocks(f)...)
	}
	return sc
}

// pairsBlocks lists the new pairs: the key, its secret (masked unless
// shown), and once done, its check. Before (checked false), only those
// the customer has not taken yet.
func (s *rotation) pairsBlocks(checked bool) []Block {
	f := s.f
	var out []Block
	ledger := f.Record().Ledger()
	for i, slot := range f.plan.Slots {
		if !checked && s.next(i).Op != rotate.OpHandover {
			continue
		}
		log := ledger.Log(slot.Old.APIKey)
		if log.Skipped != "" {
			if checked {
				out = append(out, toned(Warn, f.T("Not rotated: %[1]s (%[2]s): %[3]s", clean(slot.Old.Name), slot.Old.APIKey, f.skipWords(log.Skipped))))
			}
			continue
		}
		if log.Retired {
			if checked {
				out = append(out, s.retiredBlock(slot, log))
			}
			continue
		}
		m, ok := log.Current(s.held)
		if !ok {
			continue
		}
		key := m.Key
		if slot.Old.IsMaster {
			key = slot.Old.APIKey
		}
		status := f.T("ready")
		switch {
		case checked && m.Check != nil:
			status = f.checkWords(*m.Check)
		case checked:
			status = f.T("rotated earlier")
		case slot.Old.IsMaster:
			status = f.T("switched on once you have it")
		}
		sec := f.held[m.Ref]
		pair := Pair{Label: f.T("Secret key"), Secret: sec, Shown: s.reveal.shown, Tone: Plain}
		if sec.IsZero() {
			pair = Pair{Label: f.T("Secret key"), Value: f.T("****%s (not kept by this session)", m.Hint)}
		}
		head := toned(Strong, clean(slot.Old.Name)+"  "+status)
		head.Tight = len(out) > 0
		out = append(out, head, tight(Block{Kind: PairsBlock, Pairs: []Pair{{Label: f.T("API key"), Value: key}, pair}}))

	}
	return out
}

// retiredBlock says that an unused key was switched off with no
// replacement, and whether Mailjet now refuses it.
func (s *rotation) retiredBlock(slot rotate.Slot, log *rotate.SlotLog) Block {
	f := s.f
	name := clean(slot.Old.Name)
	switch c := log.OffCheck; {
	case c == nil:
		return toned(Warn, f.T("%s: not switched off yet.", name))
	case c.OffOK():
		return toned(Good, "✓ "+f.T("%s: switched off, with no replacement (nobody used it). Checked: Mailjet refuses it.", name))
	case c.Problem != "":
		return toned(Warn, f.T("%[1]s: switched off, with no replacement; could not check: %[2]s", name, clean(c.Problem)))
	}
	return toned(Warn, f.T("%s: switched off, with no replacement, but Mailjet still accepts it.", name))
}

func (f *Flow) checkWords(c rotate.Check) string {
	switch {
	case c.Problem != "":
		return f.T("rotated; could not check: %s", clean(c.Problem))
	case c.OK():
		return f.T("checked: the new key works, the old one is refused")
	case !c.NewWorks:
		return f.T("rotated, but the new key does not work yet")
	default:
		return f.T("rotated, but the old key still works")
	}
}

// progress is one line per slot: done, working, failed, waiting.
func (s *rotation) progress() Block {
	f := s.f
	l := &List{Selected: -1}
	ledger := f.Record().Ledger()
	for i, slot := range f.plan.Slots {
		name := clean(slot.Old.Name)
		log := ledger.Log(slot.Old.APIKey)
		step := s.next(i)
		var it Item
		switch {
		case slot.Action == rotate.SkipInactive:
			it = Item{Mark: "–", MarkTone: Muted, Cols: []string{f.T("%s: inactive, nothing to do", name)}, Tone: Muted}
		case log.Skipped != "":
			it = Item{Mark: "!", MarkTone: Warn, Cols: []string{f.T("%s: skipped", name)}}
		case i == s.current && s.state == rotRunning && log.Retired && s.running == rotate.OpVerify:
			it = Item{Mark: "…", Cols: []string{f.T("%[1]s: %[2]s", name, f.T("checking that the key is refused…"))}}
		case i == s.current && s.state == rotRunning:
			// What was sent, not what the journal's intent now asks for.
			it = Item{Mark: "…", Cols: []string{f.T("%[1]s: %[2]s", name, f.runningWords(s.running))}}
		case i == s.current && s.state == rotFailed:
			it = Item{Mark: "✗", MarkTone: Bad, Cols: []string{f.T("%s: failed", name)}}
		case step.Op == "" && log.Retired:
			it = Item{Mark: "✓", MarkTone: Good, Cols: []string{f.T("%s: switched off, no replacement", name)}}
		case step.Op == "":
			it = Item{Mark: "✓", MarkTone: Good, Cols: []string{f.T("%s: done", name)}}
		case step.Op == rotate.OpHandover:
			it = Item{Mark: "✓", MarkTone: Good, Cols: []string{f.T("%s: new key ready", name)}}
		default:
			it = Item{Mark: "·", MarkTone: Muted, Cols: []string{f.T("%s: waiting", name)}, Tone: Muted}
		}
		l.Items = append(l.Items, it)
	}
	return Block{Kind: ListBlock, List: l}
}

func (f *Flow) runningWords(op rotate.Op) string {
	switch op {
	case rotate.OpCreate:
		return f.T("creating a new key…")
	case rotate.OpLookup:
		return f.T("checking what the last request did…")
	case rotate.OpDeactivate:
		return f.T("switching a key off…")
	case rotate.OpPrepare:
		return f.T("preparing a new secret…")
	case rotate.OpActivate:
		return f.T("switching the new secret on…")
	case rotate.OpVerify:
		return f.T("checking that the new key works and the old one is refused…")
	}
	return f.T("working…")
}

func (s *rotation) guidedScreen() Screen {
	f := s.f
	slot := f.plan.Slots[s.current]
	sc := Screen{Fields: s.form.view(s.typed.shown), Focus: fieldPasted}
	sc.Blocks = []Block{
		text(f.T("Mailjet's API cannot give the main key a new secret, so do it on the site:")),
		text(f.T("1. Open %s and sign in.", rotate.APIKeysPage)),
		tight(text(f.T("2. Find the key %s, open the gear menu next to it and choose \"Reset Secret Key\".", slot.Old.APIKey))),
		tight(text(f.T("3. Copy the new secret key and paste it below."))),
		input(fieldPasted),
	}
	if s.typed.ask(&sc) {
		return sc
	}
	if s.err != "" {
		sc.Blocks = append(sc.Blocks, toned(Bad, s.err))
	}
	sc.Actions = []Action{act(Continue, f.T("check it")), act(Reveal, f.T("show/hide")), act(Back, f.T("keep the old secret"))}
	return sc
}
