package plain

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

	"github.com/mjrecover/mjrecover/steps/lang"
)

// ownMessages are the messages (T, Text and lang.Mark keys) of the
// accessible mode and of the glossary it reads out.
func ownMessages(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "..", "steps", "flow", "glossary.go"))
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
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

// strictFrench is a French printer that records the messages of own it
// has no French for; check fails the test on them (the flow's own
// messages are the flow's tests' business).
func strictFrench(t *testing.T, own map[string]bool) (*lang.Printer, func()) {
	var mu sync.Mutex
	missed := map[string]bool{}
	p := lang.New(lang.French).Strict(func(k string) {
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

// The accessible mode in French: its questions, its answers' words, the
// glossary and the goodbye, with nothing of its own left in English.
func TestPlainInFrench(t *testing.T) {
	t.Setenv("COLUMNS", "200") // whole lines, to find them
	p, check := strictFrench(t, ownMessages(t))
	cfg := demoConfig(t)
	cfg.Lang = p
	s := start(t, cfg)
	s.expect("mjrecover\u00a0: récupérez votre compte Mailjet. Tapez quit à n'importe quelle question pour arrêter")
	s.expect("Appuyez sur Entrée pour ")
	s.expect("\u00a0: ")
	s.answer("")
	s.expect("Étape 1 sur 5\u00a0: ")
	s.expect("]\u00a0: ") // the folder, with its default
	s.answer("")
	s.expect("un numéro (choisir un autre élément)\u00a0: ")
	s.answer("?")
	words := s.expect("un numéro (choisir un autre élément)\u00a0: ")
	for _, want := range []string{"Ce que veulent dire les mots\u00a0:", "clé API\u00a0: Un code que votre site",
		"clé secrète\u00a0: La moitié privée"} {
		if !strings.Contains(words, want) {
			t.Errorf("the glossary does not say %q:\n%s", want, words)
		}
	}
	s.answer("peut-être")
	s.expect("Ce n'est pas une des réponses possibles. ")
	s.answer("quitter") // quit, in French
	<-s.done
	if !strings.Contains(s.text(), "Arrêté. ") {
		t.Errorf("no goodbye in French:\n%s", s.text())
	}
	check()
}

// "?" lists what the words of the screen mean, then asks again.
func TestPlainExplainsTheWords(t *testing.T) {
	s := start(t, demoConfig(t))
	s.expect("Press Enter to continue: ")
	s.answer("")
	s.expect("Folder to check [")
	s.answer("")
	s.expect("(choose another item): ")
	s.answer("?")
	words := s.expect("(choose another item): ")
	for _, want := range []string{"What the words mean:", "API key: A code your website or app uses",
		"secret key: The private half of the pair"} {
		if !strings.Contains(words, want) {
			t.Errorf("the glossary does not say %q:\n%s", want, words)
		}
	}
	if strings.Contains(words, "That is not one of the answers") {
		t.Errorf("? is taken for a wrong answer:\n%s", words)
	}
	s.answer("quit")
	<-s.done
}
