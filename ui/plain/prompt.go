// Package plain is the wizard as plain line-by-line prompts: no alternate
// screen, no cursor movement, no colour, one question at a time. It is for
// screen readers and for terminals that cannot draw the full-screen
// wizard (--accessible, ACCESSIBLE=1, TERM=dumb). The steps are the same;
// only the way they are asked differs.
package plain

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// errQuit: the user asked to stop (or the input ended).
var errQuit = errors.New("stopped before the end")

// prompter asks questions on out and reads the answers from in.
type prompter struct {
	in  *bufio.Reader
	out io.Writer
	// hidden reads a line without echoing it when the input is a terminal;
	// nil reads it like any other line.
	hidden func() (string, error)
}

func (p *prompter) say(format string, args ...any) {
	fmt.Fprintf(p.out, format+"\n", args...)
}

// line reads one answer; "quit" or the end of the input stops the wizard.
func (p *prompter) line() (string, error) {
	s, err := p.in.ReadString('\n')
	if err != nil && (s == "" || !errors.Is(err, io.EOF)) {
		return "", errQuit
	}
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "quit") {
		return "", errQuit
	}
	return s, nil
}

// ask asks a question; an empty answer takes def.
func (p *prompter) ask(question, def string) (string, error) {
	if def != "" {
		fmt.Fprintf(p.out, "%s [%s]: ", question, untrusted.Clean(def))
	} else {
		fmt.Fprintf(p.out, "%s: ", question)
	}
	s, err := p.line()
	if s == "" {
		s = def
	}
	return s, err
}

// yes asks a yes/no question until it gets an answer.
func (p *prompter) yes(question string) (bool, error) {
	for {
		fmt.Fprintf(p.out, "%s (yes or no): ", question)
		s, err := p.line()
		if err != nil {
			return false, err
		}
		switch strings.ToLower(s) {
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		p.say("Please answer yes or no.")
	}
}

// secret asks for a secret; what is typed is not shown on a terminal.
func (p *prompter) secret(question string) (secret.Secret, error) {
	fmt.Fprintf(p.out, "%s (typing is not shown): ", question)
	if p.hidden == nil {
		s, err := p.line()
		return secret.New(s), err
	}
	s, err := p.hidden()
	fmt.Fprintln(p.out)
	if err != nil {
		return secret.Secret{}, errQuit
	}
	if strings.EqualFold(strings.TrimSpace(s), "quit") {
		return secret.Secret{}, errQuit
	}
	return secret.New(strings.TrimSpace(s)), nil
}

// pause waits for Enter before the next step.
func (p *prompter) pause() error {
	fmt.Fprint(p.out, "Press Enter to go on. ")
	_, err := p.line()
	return err
}
