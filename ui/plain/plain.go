// Package plain is the accessible mode: the same recovery as the wizard
// (the flow model), asked as plain questions one line at a time, with no
// full-screen drawing, no cursor movement and no colour, so a screen
// reader can follow it. It has no code of its own per stage: it reads out
// whatever the model's Screen holds and turns the answers into the
// screen's actions.
package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/ui"
)

// errQuit: the user typed quit, or the input ended.
var errQuit = errors.New("quit")

// run is one plain session.
type run struct {
	f   *flow.Flow
	p   *lang.Printer // the customer's language (the flow's)
	ctx context.Context
	out io.Writer
	in  *input

	msgs     chan flow.Msg
	inflight int

	stage    flow.Stage
	step     int
	said     []string // the lines of the last screen read out
	busySaid string
}

// Run walks the recovery on in and out. hidden, when not nil, reads a line
// without echo (for secrets typed on a terminal): then in is read only
// when a question asks, and a terminal's input typed during a wait is
// thrown away; without it every line is read as it comes, and the lines
// that came during a wait are dropped. The output is wrapped to COLUMNS
// (else the terminal's width, else 80).
func Run(cfg ui.Config, in io.Reader, out io.Writer, hidden func() (string, error)) (ui.Outcome, error) {
	return runWith(cfg, in, out, hidden, nil)
}

// runWith is Run; queued, when not nil, hears each line the moment it is
// queued (a test waits for it, not for the clock).
func runWith(cfg ui.Config, in io.Reader, out io.Writer, hidden func() (string, error), queued func()) (ui.Outcome, error) {
	ctx := cfg.Context
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := flow.New(cfg.Config)
	r := &run{f: f, p: f.Lang(), ctx: ctx, out: out, in: newInput(ctx, in, out, hidden, queued),
		msgs: make(chan flow.Msg, 16), stage: "-"}
	defer r.f.Close()
	r.say(r.T("mjrecover: recover your Mailjet account. Type quit at any question to stop, " +
		"or ? to hear what the words on the screen mean."))
	r.start(r.f.Start())
	err := r.loop()
	if errors.Is(err, errQuit) {
		r.say("")
		r.say(r.T("Stopped. %s", oneLine(r.f.Leaving())))
		err = nil
	}
	return ui.Outcome{Outcome: r.f.Outcome()}, err
}

// T says a message in the customer's language.
func (r *run) T(key string, args ...any) string { return r.p.T(key, args...) }

// say writes text and a line break, wrapped to the width.
func (r *run) say(text string) { fmt.Fprint(r.out, wrapText(text, columns(r.out))+"\n") }

// start runs the model's work in the background.
func (r *run) start(cmds []flow.Cmd) {
	for _, c := range cmds {
		r.inflight++
		go func() {
			select {
			case r.msgs <- c(r.ctx):
			case <-r.ctx.Done():
			}
		}()
	}
}

// apply hands a result back to the model.
func (r *run) apply(m flow.Msg) {
	r.inflight--
	r.start(r.f.Update(m))
}

// wait waits for the work in flight: what is typed meanwhile answers
// nothing.
func (r *run) wait() error {
	select {
	case m := <-r.msgs:
		r.apply(m)
		r.in.waitEnded()
		return nil
	case <-r.ctx.Done():
		return errQuit
	}
}

// loop reads out each screen and asks its question until the recovery
// ends or the user quits.
func (r *run) loop() error {
	for !r.f.Finished() {
		sc := r.f.Screen()
		r.readOut(sc)
		if sc.Busy {
			if err := r.wait(); err != nil {
				return err
			}
			continue
		}
		if err := r.ask(sc); err != nil {
			return err
		}
	}
	r.readOut(r.f.Screen())
	return nil
}

// readOut says what is new on the screen: all of it on a new stage, the
// lines that changed otherwise. While work is in flight, only what it
// waits for.
func (r *run) readOut(sc flow.Screen) {
	if sc.Stage != r.stage {
		r.stage, r.said = sc.Stage, nil
		if sc.Step != r.step && sc.Step > 0 {
			r.step = sc.Step
			r.say("")
			r.say(r.T("Step %d of %d: %s. %s", sc.Step, flow.StepCount, sc.Name, sc.Why))
		}
	}
	if sc.Busy {
		for _, b := range sc.Blocks {
			if b.Kind == flow.WorkingBlock && b.Text != r.busySaid {
				r.busySaid = b.Text
				r.say(strings.TrimSuffix(untrusted.Clean(b.Text), "…") + "...")
			}
		}
		return
	}
	r.busySaid = ""
	lines := screenLines(r.p, sc)
	for _, l := range lines {
		if !slices.Contains(r.said, l) {
			r.say(l)
		}
	}
	r.said = lines
}

// explain says what the words of the screen mean (the answer "?").
func (r *run) explain(sc flow.Screen) {
	terms := flow.Glossary(sc, r.p)
	if len(terms) == 0 {
		r.say(r.T("No word on this screen needs explaining."))
		return
	}
	r.say(r.T("%s:", r.T("What the words mean")))
	for _, t := range terms {
		r.say(r.T("%s: %s", t.Word, t.Meaning))
	}
}

// ask asks the screen's question: its fields, one after the other, or a
// choice among its actions (and the items of its list).
func (r *run) ask(sc flow.Screen) error {
	if fields := fieldsToAsk(sc); len(fields) > 0 {
		return r.askFields(sc, fields)
	}
	return r.choose(sc)
}

// fieldsToAsk are the screen's fields, from the one the cursor is in. A
// question (y / n) comes before them.
func fieldsToAsk(sc flow.Screen) []flow.Field {
	if hasAction(sc, flow.Yes) {
		return nil
	}
	for i, f := range sc.Fields {
		if f.ID == sc.Focus {
			return sc.Fields[i:]
		}
	}
	return sc.Fields
}

func (r *run) askFields(sc flow.Screen, fields []flow.Field) error {
	var others string
	for _, a := range sc.Actions {
		if w := word(a.ID, true); w != "" && a.ID != flow.Continue {
			o := fmt.Sprintf("%s (%s)", w, a.Label)
			if others == "" {
				others = o
			} else {
				others = r.T("%s or %s", others, o)
			}
		}
	}
	if others != "" {
		r.say(r.T("(Instead of an answer you can type %s.)", others))
	}
	for _, f := range fields {
		q := f.Label
		if f.Value != "" && !f.Secret {
			q += " [" + untrusted.Clean(f.Value) + "]"
		}
		line, err := r.line(r.T("%s: ", q), f.Secret)
		if err != nil {
			return err
		}
		if !f.Secret && strings.TrimSpace(line) == "?" {
			r.explain(sc)
			return nil // asked again
		}
		if a, ok := r.actionWord(sc, strings.TrimSpace(line), true); ok {
			r.start(r.f.Do(a))
			return nil
		}
		if line == "" && !f.Secret && f.Value != "" {
			line = f.Value // Enter keeps what is there
		}
		r.start(r.f.Edit(f.ID, line))
	}
	if hasAction(sc, flow.Continue) {
		r.start(r.f.Do(flow.Continue))
	}
	return nil
}

// choose asks which action to take, or which item of the list.
func (r *run) choose(sc flow.Screen) error {
	var enter string
	var opts []string
	for _, a := range sc.Actions {
		if a.ID == flow.Continue {
			enter = r.T("Press Enter to %s", a.Label)
		} else if w := word(a.ID, false); w != "" {
			opts = append(opts, fmt.Sprintf("%s (%s)", w, a.Label))
		}
	}
	list := selectable(sc)
	if list != nil {
		opts = append(opts, r.T("a number (choose another item)"))
	}
	if enter == "" && len(opts) == 0 {
		// Nothing to do but wait for what is in flight.
		return r.wait()
	}
	question := r.T("Type %s", strings.Join(opts, ", "))
	switch {
	case enter != "" && len(opts) > 0:
		question = r.T("%s, or type %s", enter, strings.Join(opts, ", "))
	case enter != "":
		question = enter
	}
	line, err := r.line(r.T("%s: ", question), false)
	if err != nil {
		return err
	}
	line = strings.TrimSpace(line)
	if line == "?" {
		r.explain(sc)
		return nil
	}
	if n, err := strconv.Atoi(line); err == nil && list != nil {
		if row, ok := rowOf(list, n); ok {
			r.f.Select(row)
			return nil
		}
		r.say(r.T("There is no item %d.", n))
		return nil
	}
	if a, ok := r.actionWord(sc, line, false); ok {
		r.start(r.f.Do(a))
		return nil
	}
	r.say(r.T("That is not one of the answers. %s.", question))
	return nil
}

// line asks a question and reads the answer; quit ends the session. What
// was typed during the wait before it is not the answer.
func (r *run) line(question string, secretLine bool) (string, error) {
	if r.in.dropTypeAhead() {
		r.say(r.T("(What you typed while mjrecover was working is not used: please answer now.)"))
	}
	fmt.Fprint(r.out, wrapText(question, columns(r.out)))
	if !r.in.ask(secretLine) {
		return "", errQuit
	}
	for {
		if l, ok := r.in.take(); ok {
			if l.err != nil || r.isQuit(l.text) {
				return "", errQuit
			}
			return l.text, nil
		}
		select {
		case <-r.in.ready:
		case m := <-r.msgs:
			r.apply(m) // a timer or late work: read out with the next screen
		case <-r.ctx.Done():
			return "", errQuit
		}
	}
}

// isQuit: the answer asks to stop (quit, or the word in the customer's
// language).
func (r *run) isQuit(text string) bool {
	text = strings.TrimSpace(text)
	return strings.EqualFold(text, "quit") || strings.EqualFold(text, r.T("quit"))
}

// word is what the user types for an action; inField says the answer
// could also be a field's text, so only whole words count.
func word(a flow.ActionID, inField bool) string {
	switch a {
	case flow.Back:
		return "back"
	case flow.Reveal:
		return "show"
	}
	if inField {
		return ""
	}
	switch a {
	case flow.Yes:
		return "y"
	case flow.No:
		return "n"
	case flow.Retry:
		return "r"
	case flow.Skip, flow.Save:
		return "s"
	case flow.Update:
		return "u"
	case flow.Move:
		return "m"
	case flow.Act:
		return "x"
	case flow.Check:
		return "c"
	case flow.WroteDown:
		return "w"
	case flow.Details:
		return "d"
	case flow.SignIn:
		return "signin"
	case flow.TestSend:
		return "t"
	}
	return ""
}

// actionWord finds the action the user typed: its word, or its label (or,
// outside a field, yes, no and back in the customer's language).
func (r *run) actionWord(sc flow.Screen, typed string, inField bool) (flow.ActionID, bool) {
	typed = strings.ToLower(typed)
	said := func(key string) bool { return !inField && typed != "" && typed == strings.ToLower(key) }
	for _, a := range sc.Actions {
		switch {
		case a.ID == flow.Continue && typed == "" && !inField:
			return a.ID, true
		case typed != "" && (typed == word(a.ID, inField) || !inField && typed == strings.ToLower(a.Label)):
			return a.ID, true
		case a.ID == flow.Reveal && typed == "r" && !inField: // the wizard's key, which the texts name
			return a.ID, true
		case a.ID == flow.Yes && (said("yes") || said(r.T("yes"))), a.ID == flow.No && (said("no") || said(r.T("no"))),
			a.ID == flow.Back && said(r.T("back")):
			return a.ID, true
		}
	}
	return "", false
}

func hasAction(sc flow.Screen, a flow.ActionID) bool {
	for _, x := range sc.Actions {
		if x.ID == a {
			return true
		}
	}
	return false
}

func selectable(sc flow.Screen) *flow.List {
	for _, b := range sc.Blocks {
		if b.Kind == flow.ListBlock && b.List.Selected >= 0 {
			return b.List
		}
	}
	return nil
}

// rowOf is the list row of item number n (headings not counted).
func rowOf(l *flow.List, n int) (int, bool) {
	k := 0
	for i, it := range l.Items {
		if it.Heading {
			continue
		}
		if k++; k == n {
			return i, true
		}
	}
	return 0, false
}

// screenLines are the screen's blocks as lines to read out.
func screenLines(p *lang.Printer, sc flow.Screen) []string {
	var out []string
	add := func(s string) {
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
	}
	shown := false
	for _, b := range sc.Blocks {
		for _, pr := range b.Pairs {
			shown = shown || (pr.Shown && !pr.Secret.IsZero())
		}
	}
	for _, b := range sc.Blocks {
		switch b.Kind {
		case flow.TextBlock, flow.BoxBlock:
			// The answers are asked for below the text.
			for _, l := range strings.Split(strings.ReplaceAll(b.Text, "y / n", ""), "\n") {
				add(untrusted.Clean(l))
			}
		case flow.TableBlock:
			for _, row := range b.Table.Rows {
				var cells []string
				for i, c := range row {
					if c != "" && i < len(b.Table.Header) {
						cells = append(cells, p.T("%s: %s", b.Table.Header[i], c))
					}
				}
				add(untrusted.Clean(strings.Join(cells, ", ")) + ".")
			}
		case flow.ListBlock:
			n := 0
			for i, it := range b.List.Items {
				if it.Heading {
					add(p.T("%s:", strings.Join(it.Cols, " ")))
					continue
				}
				n++
				line := strings.TrimSpace(it.Mark + " " + strings.Join(it.Cols, ", "))
				if b.List.Selected >= 0 {
					line = fmt.Sprintf("%d. %s", n, line)
					if i == b.List.Selected {
						line = p.T("%s (chosen)", line)
					}
				}
				add(untrusted.Clean(line))
			}
		case flow.PairsBlock:
			for _, pr := range b.Pairs {
				v := pr.Value
				if !pr.Secret.IsZero() {
					v = secretWords(p, pr)
				}
				add(untrusted.Clean(strings.TrimSpace(pr.Label) + " " + v))
			}
		case flow.DiffBlock:
			for _, l := range b.Diff {
				switch l.Op {
				case '-':
					add(p.T("Removed: %s", untrusted.Clean(strings.TrimPrefix(l.Text, "-"))))
				case '+':
					add(p.T("Added: %s", untrusted.Clean(strings.TrimPrefix(l.Text, "+"))))
				}
			}
		case flow.MeterBlock:
			add(p.T("Strength: %[2]s, %[1]d character.", b.Meter.Chars, b.Meter.Label))
		case flow.QRBlock:
			if shown {
				add(p.T("Or open this link on the phone: %s", b.URI.Reveal()))
			} else {
				add(p.T("A QR code cannot be read out here: type show to hear the key to type into the app instead."))
			}
		case flow.WorkingBlock:
			add(b.Text)
		}
	}
	return out
}

// secretWords is a secret as read out: in full only when shown.
func secretWords(p *lang.Printer, pr flow.Pair) string {
	switch {
	case pr.Shown:
		return pr.Secret.Reveal()
	case pr.Mask != "":
		return p.T("(hidden)")
	}
	return p.T("ending in %s (hidden)", pr.Secret.Last4())
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
