package flow

import (
	"context"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/record"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

type planState int

const (
	planLoading planState = iota
	planFailed
	planShown
	planConfirm
)

// planning shows the account's keys and what happens to each, and asks
// before anything changes.
type planning struct {
	base
	f     *Flow
	state planState
	plan  rotate.Plan
	err   string
	// selected is the unused key chosen in the list (an index in
	// unusedSlots): x switches it between off and replaced.
	selected int
}

// Messages of the plan.
type (
	keysMsg struct {
		keys []mailjet.APIKey
		err  error
	}
	usageMsg struct{ usage []review.KeyUsage }
)

func newPlan(f *Flow) *planning { return &planning{f: f} }

func (s *planning) enter() []Cmd {
	s.state, s.err, s.plan = planLoading, "", rotate.Plan{}
	return []Cmd{s.f.listKeys()}
}

// listKeys reads the account's keys.
func (f *Flow) listKeys() Cmd {
	api := f.api
	return func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		keys, err := api.ListAPIKeys(ctx)
		return keysMsg{keys: keys, err: err}
	}
}

// planFrom builds the plan from the account's keys and the journal: what
// an interrupted session's unanswered requests did is read off the list
// first (so a key one made is never taken for a slot of its own), and the
// secrets Mailjet still lists for replacements made earlier are taken.
func (f *Flow) planFrom(keys []mailjet.APIKey) (rotate.Plan, Cmd) {
	f.keys = keys
	notes, found := rotate.SettleAll(f.Record().Ledger(), keys)
	var cmd Cmd
	if len(notes) > 0 {
		cmd = f.note(keyEvents(stamp(notes, f.cfg.Now()))...)
	}
	ledger := f.Record().Ledger()
	for ref, s := range rotate.ListedSecrets(ledger, keys) {
		found[ref] = s
	}
	for ref, s := range found {
		if f.held[ref].IsZero() {
			f.held[ref] = s
		}
	}
	return rotate.NewPlan(keys, f.leakedKeys(), f.rec != nil, ledger), cmd
}

// stamp dates entries that have no time yet.
func stamp(es []rotate.Entry, now time.Time) []rotate.Entry {
	for i := range es {
		if es[i].At.IsZero() {
			es[i].At = now
		}
	}
	return es
}

func (s *planning) update(msg Msg) []Cmd {
	switch m := msg.(type) {
	case keysMsg:
		if m.err != nil {
			s.state, s.err = planFailed, s.f.explain(s.f.T("Could not read your API keys"), m.err)
			return nil
		}
		var settled Cmd
		s.plan, settled = s.f.planFrom(m.keys)
		s.selected = 0
		if usage := s.f.Record().Usage; usage != nil {
			s.f.offerUnused(s.plan, usage)
			s.state = planShown
			return []Cmd{settled}
		}
		// How each key was used, read while the old keys still answer:
		// the plan offers to switch off the keys nobody uses, and the
		// account review needs it after the rotation.
		api := s.f.api
		return []Cmd{settled, func(ctx context.Context) Msg {
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			usage, _ := review.ReadKeyUsage(ctx, api) // a partial answer is still useful
			return usageMsg{usage}
		}}
	case usageMsg:
		if m.usage == nil {
			m.usage = []review.KeyUsage{}
		}
		if s.state == planLoading {
			s.f.offerUnused(s.plan, m.usage)
			s.state = planShown
		}
		return []Cmd{s.f.note(record.Event{Type: record.UsageRead, Usage: m.usage})}
	}
	return nil
}

// hasUnused reports whether the plan offers to switch a key off.
func hasUnused(p rotate.Plan) bool {
	for _, slot := range p.Slots {
		if slot.Unused {
			return true
		}
	}
	return false
}

// offerUnused plans to switch off, rather than replace, the sub-account
// keys nobody uses (the account review's rule: review.Unused).
func (f *Flow) offerUnused(p rotate.Plan, usage []review.KeyUsage) {
	now := f.cfg.Now()
	for _, u := range usage {
		if review.Unused(u, now) {
			p.Offer(u.Key, u.LastActivity)
		}
	}
}

// unusedSlots are the plan's slots of unused keys the customer chooses
// for: switched off or replaced.
func unusedSlots(p rotate.Plan) []int {
	var out []int
	for i, slot := range p.Slots {
		if slot.Unused && (slot.Action == rotate.RetireSubKey || slot.Action == rotate.ReplaceSubKey) {
			out = append(out, i)
		}
	}
	return out
}

func (s *planning) pick(i int) {
	if s.state == planShown && i >= 0 && i < len(unusedSlots(s.plan)) {
		s.selected = i
	}
}

// retireEntries are the journal's record of the keys the customer chose
// to switch off with no replacement, written before the first request.
func (s *planning) retireEntries() []record.Event {
	var es []record.Event
	ledger := s.f.Record().Ledger()
	for _, slot := range s.plan.Slots {
		if slot.Action != rotate.RetireSubKey || ledger.Log(slot.Old.APIKey).Retired {
			continue
		}
		e := rotate.Retired(slot)
		e.At = s.f.cfg.Now()
		es = append(es, record.Event{At: e.At, Type: record.Rotation, Key: &e})
	}
	return es
}

// toDo counts the slots the rotation will change.
func toDo(p rotate.Plan) int {
	n := 0
	for _, slot := range p.Slots {
		switch slot.Action {
		case rotate.ReplaceSubKey, rotate.ResetMaster, rotate.GuidedMaster, rotate.Finish, rotate.RetireSubKey:
			n++
		}
	}
	return n
}

func (s *planning) do(a ActionID) []Cmd {
	switch s.state {
	case planFailed:
		switch a {
		case Retry:
			return s.enter()
		case Back:
			return s.f.back()
		}
	case planShown:
		switch a {
		case Continue:
			if toDo(s.plan) == 0 {
				return s.f.finish(support.StepResult{Status: support.StatusDone, Say: lang.Msg("Nothing left to rotate.")})
			}
			s.state = planConfirm
		case Act:
			if un := unusedSlots(s.plan); s.selected >= 0 && s.selected < len(un) {
				i := un[s.selected]
				s.plan.Choose(i, s.plan.Slots[i].Action != rotate.RetireSubKey)
			}
		case Back:
			return s.f.back()
		}
	case planConfirm:
		switch a {
		case Yes:
			s.f.plan = s.plan
			var cmds []Cmd
			if es := s.retireEntries(); len(es) > 0 {
				cmds = append(cmds, s.f.note(es...))
			}
			return append(cmds, s.f.finish(support.StepResult{Status: support.StatusDone, Say: lang.Msg("The customer agreed to the rotation.")})...)
		case No, Back:
			s.state = planShown
		}
	}
	return nil
}

func (s *planning) screen() Screen {
	f := s.f
	var sc Screen
	switch s.state {
	case planLoading:
		sc.Busy = true
		sc.Blocks = []Block{working(f.T("Reading your API keys…"))}
		if s.plan.Slots != nil {
			sc.Blocks = []Block{working(f.T("Reading how each key was used…"))}
		}
	case planFailed:
		sc.Blocks = []Block{toned(Bad, s.err)}
		sc.Actions = []Action{act(Retry, f.T("try again")), act(Back, f.T("back"))}
	case planShown, planConfirm:
		intro := f.T("Every active key gets a new secret, leaked or not: whoever copied one may " +
			"have copied the others.")
		if hasUnused(s.plan) {
			intro = f.T("Every key in use gets a new secret, leaked or not: whoever copied one may have copied " +
				"the others. A key nobody uses can be switched off instead.")
		}
		sc.Blocks = []Block{text(intro), f.planTable(s.plan)}
		sc.Blocks = append(sc.Blocks, s.unusedBlocks()...)
		if toDo(s.plan) == 0 {
			sc.Blocks = append(sc.Blocks, toned(Good, f.T("Every key was rotated earlier in this recovery: nothing is left to change.")))
			sc.Actions = []Action{act(Continue, f.T("continue")), act(Back, f.T("back"))}
			break
		}
		if s.state == planConfirm {
			// The warning is read before the question, which stays short
			// enough to be kept in view on a small screen.
			sc.Blocks = append(sc.Blocks, text(f.T("You get the new secrets first; only then are the old ones switched off. "+
				"Apps and plugins that use the old keys then stop sending (over SMTP, the way apps send email through "+
				"Mailjet's server, an old secret keeps working for about an hour) until you put the new keys in them.")),
				box(s.confirmText()))
			sc.Actions = f.yesNo()
			break
		}
		sc.Actions = []Action{act(Continue, f.T("rotate")), act(Back, f.T("back"))}
		if len(unusedSlots(s.plan)) > 0 {
			sc.Actions = append(sc.Actions, act(Act, f.T("switch off / replace")))
		}
	}
	return sc
}

// unusedBlocks say why a key nobody uses is better switched off than
// replaced, and list those keys with the choice made for each.
func (s *planning) unusedBlocks() []Block {
	f := s.f
	un := unusedSlots(s.plan)
	if len(un) == 0 {
		return nil
	}
	out := []Block{}
	for _, i := range un {
		slot := s.plan.Slots[i]
		why := f.T("%s has never sent an email.", clean(slot.Old.Name))
		if !slot.LastSent.IsZero() {
			why = f.T("%[1]s has sent nothing since %[2]s.", clean(slot.Old.Name), f.Lang().Date(slot.LastSent))
		}
		out = append(out, text(why))
	}
	out = append(out, tight(text(f.T("A key nobody uses is only a risk: switching it off is safer than replacing it. "+
		"If an app still needs it, choose to replace it (x)."))))
	// With one unused key there is nothing to choose between: x switches
	// it, and the list is a checklist (a front-end then keeps the plan's
	// table in view instead of a selection).
	l := &List{Selected: -1}
	if s.state == planShown && len(un) > 1 {
		l.Selected = min(max(s.selected, 0), len(un)-1)
	}
	for _, i := range un {
		slot := s.plan.Slots[i]
		choice := f.T("switch off, no replacement")
		if slot.Action == rotate.ReplaceSubKey {
			choice = f.T("replace with a new key")
		}
		l.Items = append(l.Items, Item{Mark: "•", Cols: []string{clean(slot.Old.Name), choice}})
	}
	return append(out, Block{Kind: ListBlock, List: l})
}

func (f *Flow) planTable(p rotate.Plan) Block {
	t := &Table{Header: []string{f.T("Key"), f.T("API key"), f.T("Type"), f.T("Leaked"), f.T("Plan")}, Squeeze: 1}
	for _, slot := range p.Slots {
		kind := f.T("sub-account")
		if slot.Old.IsMaster {
			kind = f.T("main")
		}
		leaked, tone := "", Plain
		if slot.Leaked {
			leaked, tone = f.T("yes"), Bad
		}
		t.Rows = append(t.Rows, []string{clean(slot.Old.Name), slot.Old.APIKey, kind, leaked, f.actionWords(slot.Action)})
		t.Tones = append(t.Tones, tone)
	}
	return Block{Kind: TableBlock, Table: t}
}

func (f *Flow) actionWords(a rotate.Action) string {
	switch a {
	case rotate.ReplaceSubKey:
		return f.T("replace")
	case rotate.ResetMaster:
		return f.T("new secret")
	case rotate.GuidedMaster:
		return f.T("on the site")
	case rotate.Finish:
		return f.T("finish")
	case rotate.DoneEarlier:
		return f.T("done")
	case rotate.RetireSubKey:
		return f.T("switch off")
	default:
		return f.T("none (off)")
	}
}

func (s *planning) confirmText() string {
	f := s.f
	subs, master, finish, retire := 0, "", 0, 0
	for _, slot := range s.plan.Slots {
		switch slot.Action {
		case rotate.ReplaceSubKey:
			subs++
		case rotate.RetireSubKey:
			retire++
		case rotate.Finish:
			finish++
		case rotate.ResetMaster:
			master = f.T("The main key gets a new secret.")
		case rotate.GuidedMaster:
			master = f.T("You reset the main key's secret on Mailjet's site; the wizard shows you where.")
		}
	}
	var b strings.Builder
	if subs > 0 {
		b.WriteString("• " + f.T("%d sub-account key: a new key replaces each, and the old one is switched off.", subs) + "\n")
	}
	if retire > 0 {
		b.WriteString("• " + f.T("%d unused sub-account key: switched off, no replacement.", retire) + "\n")
	}
	if finish > 0 {
		b.WriteString("• " + f.T("%d key was started in an earlier session: the wizard finishes it.", finish) + "\n")
	}
	if master != "" {
		b.WriteString("• " + master + "\n")
	}
	b.WriteString("\n" + f.T("Rotate the keys now? y / n"))
	return b.String()
}
