package plain

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapTextBreaksOnlyAtSpaces(t *testing.T) {
	const url = "https://app.mailjet.com/account/api_keys?from=mjrecover&step=rotate"
	for _, c := range []struct{ in, want string }{
		{"short line", "short line"},
		{"the quick brown fox jumps over the lazy dog", "the quick brown\nfox jumps over\nthe lazy dog"},
		// A web address wider than the line is never cut: it gets a line
		// of its own.
		{"Open " + url + " now.", "Open\n" + url + "\nnow."},
		// Spaces inside a line that fits stay as they are; a no-break
		// space holds its neighbours.
		{"1. done   sets", "1. done   sets"},
		{"Quitter mjrecover maintenant\u00a0? oui", "Quitter\nmjrecover\nmaintenant\u00a0? oui"},
		// A question keeps its trailing space when it fits.
		{"Folder to check [/var/www]: ", "Folder to check\n[/var/www]: "},
		{"one\ntwo three four five six", "one\ntwo three four\nfive six"},
	} {
		if got := wrapText(c.in, 16); got != c.want {
			t.Errorf("wrapText(%q, 16) =\n%q\nwant\n%q", c.in, got, c.want)
		}
	}
}

// No line is wider than the width unless it is one word, and every word
// of the text is there, whole, in order.
func TestWrapTextKeepsEveryWord(t *testing.T) {
	text := "Mailjet switched off your account because its API keys were used by someone else. " +
		"Réinitialisez la clé secrète\u00a0: https://app.mailjet.com/account/apikeys puis appuyez sur Entrée."
	for width := 20; width <= 90; width += 7 {
		got := wrapText(text, width)
		for _, l := range strings.Split(got, "\n") {
			if ansi.StringWidth(l) > width && strings.Contains(l, " ") {
				t.Errorf("width %d: line %q is %d wide", width, l, ansi.StringWidth(l))
			}
		}
		if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(text), " ") {
			t.Errorf("width %d: the words changed:\n%s", width, got)
		}
	}
}

// The accessible mode wraps what it says to COLUMNS.
func TestPlainOutputIsWrapped(t *testing.T) {
	t.Setenv("COLUMNS", "44")
	s := start(t, demoConfig(t))
	s.expect("Press Enter to continue: ")
	s.answer("")
	s.expect("Folder to check [")
	s.answer("")
	s.expect("(choose another item): ")
	s.answer("quit")
	<-s.done
	out := s.text()
	if !strings.Contains(out, "mjrecover: recover your Mailjet account.\nType quit at any question") {
		t.Errorf("the first line is not wrapped at 44 columns:\n%s", out)
	}
	// Each write on its own: on a terminal, the answer's Enter ends a
	// question's line.
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.writes {
		for _, l := range strings.Split(w, "\n") {
			if ansi.StringWidth(l) > 44 && strings.Contains(strings.TrimSpace(l), " ") {
				t.Errorf("a line wider than COLUMNS: %q", l)
			}
		}
	}
}

// A question wider than the window keeps the space before the answer.
func TestWrapKeepsTheQuestionsSpace(t *testing.T) {
	q := "Folder to check [/tmp/a-folder-name-much-longer-than-the-window-is-wide/webroot]: "
	if got := wrapText(q, 40); !strings.HasSuffix(got, "]: ") {
		t.Errorf("%q lost the space after the question", got)
	}
}
