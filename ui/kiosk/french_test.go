package kiosk

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/ui"
)

// flat is s on one line, without styles, its runs of spaces as one
// (lipgloss wraps and pads).
func flat(s string) string {
	s = strings.ReplaceAll(ansi.Strip(s), "\n", " ")
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return s
}

// The access code page and the session's last words in French, with
// nothing of theirs left in English.
func TestGateInFrench(t *testing.T) {
	p, missed := lang.Strictly(lang.French)
	srv := newTestServer(t, Options{Sleep: func(context.Context, time.Duration) {}})
	ks := &session{srv: srv, ip: "192.0.2.8", client: "192.0.2.8:4242", hash: "session", ctx: context.Background(), lang: p}
	g := newGate(srv, ks)
	g.SetSize(78, 21)

	h := g.Header()
	if h.Title != "mjrecover · Récupérez votre compte Mailjet" || h.Why != "Bienvenue dans l'espace de récupération du support Mailjet." {
		t.Errorf("header %+v", h)
	}
	var help []string
	for _, b := range g.ShortHelp() {
		help = append(help, b.Help().Key+" "+b.Help().Desc)
	}
	if got := strings.Join(help, " · "); got != "enter vérifier le code · ctrl+u effacer" {
		t.Errorf("help %q", got)
	}
	view := flat(g.View())
	for _, want := range []string{"Code d'accès", "Le support Mailjet vous a donné un code d'accès à usage unique",
		"Il ressemble à ceci\u00a0: ABCD-EFGH-JKMN", "Cette session ne montre que l'assistant de récupération."} {
		if !strings.Contains(view, want) {
			t.Errorf("the page does not say %q:\n%s", want, g.View())
		}
	}
	g.Update(keyEnter())
	if view := flat(g.View()); !strings.Contains(view, "Tapez d'abord le code d'accès.") {
		t.Errorf("Enter without a code:\n%s", g.View())
	}
	g.Update(g.check("ABCD-EFGH-JKM0")())
	if view := flat(g.View()); !strings.Contains(view, "Ce code n'est pas le bon. Vérifiez-le et tapez-le à nouveau. Il vous reste 4 essais.") {
		t.Errorf("after a wrong code:\n%s", g.View())
	}
	if got := g.lockedText(3 * time.Minute); !strings.Contains(got, "Réessayez dans 3 minutes,") {
		t.Errorf("locked: %q", got)
	}
	if got := g.lockedText(time.Minute); !strings.Contains(got, "Réessayez dans 1 minute,") {
		t.Errorf("locked: %q", got)
	}
	if got := g.Leaving(); !strings.HasPrefix(got, "Rien n'a encore commencé.") {
		t.Errorf("leaving: %q", got)
	}

	// The last words, after the session.
	ks.gate = g
	ks.wizard = ui.New(ui.Config{Config: flow.Config{Lang: p}}, ui.WithFirstPage(g))
	g.reason = reasonWrongCode
	if end := ks.sessionEnding(ui.Outcome{}); end.message != "Cette session est terminée après trop de codes d'accès erronés. "+
		"Demandez un nouveau code au support Mailjet pour continuer." {
		t.Errorf("ending: %q", end.message)
	}
	g.reason = ""
	if end := ks.sessionEnding(ui.Outcome{Quit: true}); end.message != "Vous avez quitté la session avant de taper le code d'accès." {
		t.Errorf("ending: %q", end.message)
	}
	missed.Report(t.Errorf)
}

// A customer whose LANG is French is told in French that commands are
// refused, and gets the access code page in French.
func TestKioskSpeaksTheClientsLanguage(t *testing.T) {
	k := startKiosk(t)
	var stderr bytes.Buffer
	cmd := k.sshCommand(t, []string{"LANG=fr_FR.UTF-8"}, "-o", "SendEnv=LANG", "localhost", "true")
	cmd.Stderr = &stderr
	cmd.Stdin = strings.NewReader("")
	if err := cmd.Run(); err == nil {
		t.Error("a command was accepted")
	}
	if !strings.Contains(stderr.String(), "les commandes sont refusées") {
		t.Errorf("the refusal is not in French: %q", stderr.String())
	}

	tm := k.openTerm(t, []string{"LANG=fr_FR.UTF-8"}, "-o", "SendEnv=LANG")
	tm.waitFor("Code d'accès", "Bienvenue dans l'espace de récupération", "enter vérifier le code")
	tm.send("\x03") // ctrl+c
	tm.waitFor("Quitter mjrecover maintenant")
	tm.send("y")
	tm.wait()
	if out := flat(tm.text()); !strings.Contains(out, "Vous avez quitté la session avant de taper le code d'accès.") {
		t.Errorf("the last words are not in French:\n%s", tm.text())
	}
}

func keyEnter() tea.KeyPressMsg { return tea.KeyPressMsg{Code: tea.KeyEnter} }
