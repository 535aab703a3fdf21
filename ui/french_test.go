package ui

import (
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// The wizard in French: its frame, keys, key help, glossary, quit prompt
// and too-small screen, with nothing of its own left in English.
func TestWizardInFrench(t *testing.T) {
	p, missed := lang.Strictly(lang.French)
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.Lang = p
	h := newHarness(t, cfg, 60, 18)

	h.waitFor("mjrecover · Récupérez votre compte Mailjet", "démo", "ctrl+c quitter")
	h.press("enter")
	h.waitFor("Étape 1 sur 5 · ")
	h.press("enter")
	// The findings: a list to choose from, more keys than the line holds.
	h.waitFor("? autres touches")
	h.press("?")
	// The screen scrolls (the timeline makes it long), so its keys come
	// first and the words below them.
	scr := h.waitFor("Touches de cet écran", "↑/↓        choisir", "ctrl+c     quitter",
		"Suite plus bas\u00a0: pgdn.", "Appuyez sur une touche pour revenir.", "pgdn descendre")
	h.press("pgdown")
	scr += h.waitFor("Suite plus haut", "Ce que veulent dire les mots", "pgup remonter")
	for i := 0; i < 10 && !strings.Contains(scr, "clé API\u00a0: Un code") && strings.Contains(h.screen(), "pgdn descendre"); i++ {
		before := h.screen()
		h.press("pgdown")
		scr += h.waitForChange(before)
	}
	if !strings.Contains(scr, "clé API\u00a0: Un code") {
		t.Errorf("the key help does not explain clé API:\n%s", scr)
	}
	if strings.Contains(scr, "What the words mean") || strings.Contains(scr, "Keys on this screen") {
		t.Errorf("the key help is partly English:\n%s", scr)
	}
	h.press("x") // closes it, does nothing else
	h.waitFor("? autres touches")
	if strings.Contains(h.screen(), "Touches de cet écran") {
		t.Error("x did not close the key help")
	}

	h.press("ctrl+c")
	h.waitFor("Quitter mjrecover maintenant\u00a0?", "y\u00a0: quitter    n\u00a0: rester", "y oui", "n non")
	h.press("n")
	h.waitFor("? autres touches")

	h.resize(50, 12)
	h.waitFor("Cette fenêtre fait 50×12.", "Agrandissez-la à au moins 60×18.", "ctrl+c pour quitter.")
	h.resize(60, 18)
	h.waitFor("? autres touches")
	missed.Report(t.Errorf)
}

// The key help explains the words of the screen, and scrolls when it is
// taller than the window.
func TestKeyHelpExplainsTheWords(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	h := newHarness(t, cfg, 60, 18)
	h.waitFor("Press Enter to start")
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	h.waitFor("CRITICAL", "? more keys")
	h.press("f1")
	scr := h.waitFor("Keys on this screen", "More below: pgdn.", "pgdn scroll down", "Press any key to go back.")
	noWiderThan(t, scr, 60)
	seen := scr
	for i := 0; i < 10 && !strings.Contains(scr, "More above: pgup."); i++ {
		h.press("pgdown")
		scr = h.waitForChange(scr)
		seen += scr
	}
	scr = h.waitFor("More above: pgup.", "Press any key to go back.", "pgup scroll up")
	if strings.Contains(scr, "Keys on this screen") {
		t.Errorf("the end of the key help still shows its top:\n%s", scr)
	}
	for _, want := range []string{"What the words mean", "API key: A code your website", "secret key: The private half of the pair"} {
		if !strings.Contains(seen, want) {
			t.Errorf("the key help does not explain %q:\n%s", want, seen)
		}
	}
	h.press("up") // one line
	h.waitFor("More above and below: pgup / pgdn.", "pgdn scroll down • pgup scroll up")
	h.press("esc")
	h.waitFor("CRITICAL", "? more keys")
	if strings.Contains(h.screen(), "What the words mean") {
		t.Error("esc did not close the key help")
	}
}
