// Package plain is the accessible mode: the same recovery as the wizard
// (the flow model), asked as plain questions one line at a time, with no
// full-screen drawing, no cursor movement and no colour, so a screen
// reader can follow it. It has no code of its own per stage: it reads out
// whatever the model's Screen holds and turns the answers into the
// screen's actions.
package plain

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/ui"
)

// errQuit: the user typed quit, or the input ended.
var errQuit = errors.New("quit")

// run is one plain session.
type run struct {
	f      *flow.Flow
	ctx    context.Context
	out    io.Writer
	lines  chan lineMsg
	asked  chan bool // one read per question
	hidden func() (string, error)

	msgs     chan flow.Msg
	inflight int

	stage    flow.Stage
	step     int
	said     []string // the lines of the last screen read out
	busySaid string
}

type lineMsg struct {
	text string
	err  error
}

// Run walks the recovery on in and out. hidden, when not nil, reads a line
// without echo (for secrets typed on a terminal).
func Run(cfg ui.Config, in io.Reader, out io.Writer, hidden func() (string, error)) (ui.Outcome, error) {
	ctx := cfg.Context
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &run{f: flow.New(cfg.Config), ctx: ctx, out: out, hidden: hidden,
		lines: make(chan lineMsg), asked: make(chan bool), msgs: make(chan flow.Msg, 16), stage: "-"}
	defer r.f.Close()
	go r.read(bufio.NewReader(in))
	r.say("mjrecover: recover your Mailjet account. Type quit at any question to stop.")
	r.start(r.f.Start())
	err := r.loop()
	if errors.Is(err, errQuit) {
		r.say("")
		r.say("Stopped. %s", oneLine(r.f.Leaving()))
		err = nil
	}
	return ui.Outcome{Outcome: r.f.Outcome()}, err
}

// read reads a line each time one is asked for: secrets through hidden.
func (r *run) read(in *bufio.Reader) {
	for secretLine := range r.asked {
		var text string
		var err error
		if secretLine && r.hidden != nil {
			text, err = r.hidden()
			fmt.Fprintln(r.out)
		} else {
			text, err = in.ReadString('\n')
			if err == io.EOF && text != "" {
				err = nil
			}
		}
		select {
		case r.lines <- lineMsg{strings.TrimRight(text, "\r\n"), err}:
		case <-r.ctx.Done():
			return
		}
	}
}

func (r *run) say(format string, args ...any) { fmt.Fprintf(r.out, format+"\n", args...) }

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

// loop reads out each screen and asks its question until the recovery
// ends or the user quits.
func (r *run) loop() error {
	for !r.f.Finished() {
		sc := r.f.Screen()
		r.readOut(sc)
		if sc.Busy {
			select {
			case m := <-r.msgs:
				r.apply(m)
			case <-r.ctx.Done():
				return errQuit
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
			r.say("Step %d of %d: %s. %s", sc.Step, flow.StepCount, sc.Name, sc.Why)
		}
	}
	if sc.Busy {
		for _, b := range sc.Blocks {
			if b.Kind == flow.WorkingBlock && b.Text != r.busySaid {
				r.busySaid = b.Text
				r.say("%s...", strings.TrimSuffix(untrusted.Clean(b.Text), "…"))
			}
		}
		return
	}
	r.busySaid = ""
	lines := screenLines(sc)
	for _, l := range lines {
		if !slices.Contains(r.said, l) {
			r.say("%s", l)
		}
	}
	r.said = lines
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
	var others []string
	for _, a := range sc.Actions {
		if w := word(a.ID, true); w != "" && a.ID != flow.Continue {
			others = append(others, fmt.Sprintf("%s (%s)", w, a.Label))
		}
	}
	if len(others) > 0 {
		r.say("(Instead of an answer you can type %s.)", strings.Join(others, " or "))
	}
	for _, f := range fields {
		q := f.Label
		if f.Value != "" && !f.Secret {
			q += " [" + untrusted.Clean(f.Value) + "]"
		}
		line, err := r.line(q+": ", f.Secret)
		if err != nil {
			return err
		}
		if a, ok := actionWord(sc, strings.TrimSpace(line), true); ok {
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
			enter = "Press Enter to " + a.Label
		} else if w := word(a.ID, false); w != "" {
			opts = append(opts, fmt.Sprintf("%s (%s)", w, a.Label))
		}
	}
	list := selectable(sc)
	if list != nil {
		opts = append(opts, "a number (choose another item)")
	}
	if enter == "" && len(opts) == 0 {
		// Nothing to do but wait for what is in flight.
		select {
		case m := <-r.msgs:
			r.apply(m)
		case <-r.ctx.Done():
			return errQuit
		}
		return nil
	}
	question := "Type " + strings.Join(opts, ", ")
	switch {
	case enter != "" && len(opts) > 0:
		question = enter + ", or type " + strings.Join(opts, ", ")
	case enter != "":
		question = enter
	}
	line, err := r.line(question+": ", false)
	if err != nil {
		return err
	}
	line = strings.TrimSpace(line)
	if n, err := strconv.Atoi(line); err == nil && list != nil {
		if row, ok := rowOf(list, n); ok {
			r.f.Select(row)
			return nil
		}
		r.say("There is no item %d.", n)
		return nil
	}
	if a, ok := actionWord(sc, line, false); ok {
		r.start(r.f.Do(a))
		return nil
	}
	r.say("That is not one of the answers. %s.", question)
	return nil
}

// line asks a question and reads the answer; quit ends the session.
func (r *run) line(question string, secretLine bool) (string, error) {
	fmt.Fprint(r.out, question)
	select {
	case r.asked <- secretLine:
	case <-r.ctx.Done():
		return "", errQuit
	}
	for {
		select {
		case l := <-r.lines:
			if l.err != nil {
				return "", errQuit
			}
			if strings.EqualFold(strings.TrimSpace(l.text), "quit") {
				return "", errQuit
			}
			return l.text, nil
		case m := <-r.msgs:
			r.apply(m) // a timer or late work: read out with the next screen
		case <-r.ctx.Done():
			return "", errQuit
		}
	}
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

// actionWord finds the action the user typed: its word, or its label.
func actionWord(sc flow.Screen, typed string, inField bool) (flow.ActionID, bool) {
	typed = strings.ToLower(typed)
	for _, a := range sc.Actions {
		switch {
		case a.ID == flow.Continue && typed == "" && !inField:
			return a.ID, true
		case typed != "" && (typed == word(a.ID, inField) || !inField && typed == strings.ToLower(a.Label)):
			return a.ID, true
		case a.ID == flow.Reveal && typed == "r" && !inField: // the wizard's key, which the texts name
			return a.ID, true
		case a.ID == flow.Yes && (typed == "yes") && !inField, a.ID == flow.No && typed == "no" && !inField:
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
func screenLines(sc flow.Screen) []string {
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
		for _, p := range b.Pairs {
			shown = shown || (p.Shown && !p.Secret.IsZero())
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
						cells = append(cells, b.Table.Header[i]+": "+c)
					}
				}
				add(untrusted.Clean(strings.Join(cells, ", ")) + ".")
			}
		case flow.ListBlock:
			n := 0
			for i, it := range b.List.Items {
				if it.Heading {
					add(strings.Join(it.Cols, " ") + ":")
					continue
				}
				n++
				line := strings.TrimSpace(it.Mark + " " + strings.Join(it.Cols, ", "))
				if b.List.Selected >= 0 {
					line = fmt.Sprintf("%d. %s", n, line)
					if i == b.List.Selected {
						line += " (chosen)"
					}
				}
				add(untrusted.Clean(line))
			}
		case flow.PairsBlock:
			for _, p := range b.Pairs {
				v := p.Value
				if !p.Secret.IsZero() {
					v = secretWords(p)
				}
				add(untrusted.Clean(strings.TrimSpace(p.Label) + " " + v))
			}
		case flow.DiffBlock:
			for _, l := range b.Diff {
				switch l.Op {
				case '-':
					add("Removed: " + untrusted.Clean(strings.TrimPrefix(l.Text, "-")))
				case '+':
					add("Added: " + untrusted.Clean(strings.TrimPrefix(l.Text, "+")))
				}
			}
		case flow.MeterBlock:
			add(fmt.Sprintf("Strength: %s, %d characters.", b.Meter.Label, b.Meter.Chars))
		case flow.QRBlock:
			if shown {
				add("Or open this link on the phone: " + b.URI.Reveal())
			} else {
				add("A QR code cannot be read out here: type show to hear the key to type into the app instead.")
			}
		case flow.WorkingBlock:
			add(b.Text)
		}
	}
	return out
}

// secretWords is a secret as read out: in full only when shown.
func secretWords(p flow.Pair) string {
	switch {
	case p.Shown:
		return p.Secret.Reveal()
	case p.Mask != "":
		return "(hidden)"
	}
	return "ending in " + p.Secret.Last4() + " (hidden)"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
