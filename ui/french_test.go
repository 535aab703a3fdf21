package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// messagesOf are the messages (T, Text and lang.Mark keys) of the given
// source files.
func messagesOf(t *testing.T, files ...string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "T" && sel.Sel.Name != "Text" && sel.Sel.Name != "Mark") {
				return true
			}
			if key, ok := literal(call.Args[0]); ok {
				out[key] = true
			}
			return true
		})
	}
	if len(out) == 0 {
		t.Fatal("no message found in the sources")
	}
	return out
}

func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return s, e.Kind == token.STRING && err == nil
	case *ast.BinaryExpr:
		a, ok1 := literal(e.X)
		b, ok2 := literal(e.Y)
		return a + b, ok1 && ok2 && e.Op == token.ADD
	case *ast.ParenExpr:
		return literal(e.X)
	}
	return "", false
}

// strictFrench is a French printer that records every message of own it
// has no French for (or given arguments that do not fit); check fails the
// test on them. Messages of other files (the flow's) are not this test's.
func strictFrench(t *testing.T, own map[string]bool) (p *lang.Printer, check func()) {
	var mu sync.Mutex
	missed := map[string]bool{}
	p = lang.New(lang.French).Strict(func(k string) {
		if own[strings.TrimPrefix(k, "arguments that do not fit the message: ")] {
			mu.Lock()
			missed[k] = true
			mu.Unlock()
		}
	})
	return p, func() {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		var keys []string
		for k := range missed {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Errorf("not translated: %q", k)
		}
	}
}

// ownMessages are the messages of the wizard's frame and recovery page,
// and of the glossary.
func ownMessages(t *testing.T) map[string]bool {
	files := []string{"wizard.go", "keys.go", "flowpage.go", "field.go", "qrview.go", "styles.go", "page.go",
		filepath.Join("..", "steps", "flow", "glossary.go")}
	return messagesOf(t, files...)
}

// The wizard in French: its frame, keys, key help, glossary, quit prompt
// and too-small screen, with nothing of its own left in English.
func TestWizardInFrench(t *testing.T) {
	p, check := strictFrench(t, ownMessages(t))
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
	scr := h.waitFor("Touches de cet écran", "↑/↓        choisir", "ctrl+c     quitter", "Ce que veulent dire les mots",
		"Suite plus bas\u00a0: pgdn.", "Appuyez sur une touche pour revenir.", "pgdn descendre")
	h.press("pgdown")
	scr += h.waitFor("Suite plus haut", "clé API\u00a0: Un code", "pgup remonter")
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
	check()
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
	scr := h.waitFor("Keys on this screen", "What the words mean", "More below: pgdn.", "pgdn scroll down", "Press any key to go back.")
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
	for _, want := range []string{"API key: A code your website", "secret key: The private half of the pair"} {
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
