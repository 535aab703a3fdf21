package lang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/mjrecover/mjrecover/assets"
)

// use is one message the code uses, and where.
type use struct {
	key string
	at  string
}

// messagesInCode finds every message of the module: the first argument of
// every call of a method named T or Text, and of lang.Mark and lang.Msg
// (Mark and Msg inside this package). A T whose message is not a constant
// is reported: the catalog could not be checked.
func messagesInCode(t *testing.T) (uses []use, bad []string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "assets" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			// The printer's own wrappers pass their key along.
			if fn, ok := n.(*ast.FuncDecl); ok && fn.Recv != nil && (fn.Name.Name == "T" || fn.Name.Name == "Text" || fn.Name.Name == "Say") {
				return false
			}
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			var name string
			var isMark bool
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
				isMark = (name == "Mark" || name == "Msg") && isIdent(fn.X, "lang")
			case *ast.Ident:
				// This package's own messages (the months) call Msg unqualified.
				name = fn.Name
				isMark = (name == "Mark" || name == "Msg") && file.Name.Name == "lang"
			default:
				return true
			}
			if name != "T" && name != "Text" && !isMark {
				return true
			}
			at := fset.Position(call.Pos()).String()
			at = strings.TrimPrefix(at, root+string(filepath.Separator))
			key, ok := constString(call.Args[0])
			switch {
			case ok:
				uses = append(uses, use{key, at})
			case name == "T" || isMark:
				bad = append(bad, at)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return uses, bad
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// constString is the value of a string literal or a sum of them.
func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(e.X)
		b, ok2 := constString(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(e.X)
	}
	return "", false
}

// TestEveryMessageIsTranslated fails on a message the code uses that a
// shipped language does not translate, on a translation nothing uses, and
// on a translation whose formatting verbs differ from the English.
func TestEveryMessageIsTranslated(t *testing.T) {
	uses, bad := messagesInCode(t)
	for _, at := range bad {
		t.Errorf("%s: the message is not a constant, so no catalog can be checked for it (use Text for a table's marked message)", at)
	}
	if len(uses) == 0 {
		t.Fatal("no message found in the code: the scan of the sources is broken")
	}
	cats, err := Load(assets.Locales())
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, u := range uses {
		used[u.key] = true
	}
	for _, tag := range Supported() {
		if tag == English {
			continue
		}
		cat := cats[tag]
		var missing []string
		for _, u := range uses {
			if _, ok := cat[u.key]; !ok {
				missing = append(missing, u.at+": "+strconv.Quote(u.key))
			}
		}
		sort.Strings(missing)
		missing = dedupe(missing)
		for _, m := range missing {
			t.Errorf("no %s translation: %s", tag, m)
		}
		checkEntries(t, tag, cat, used)
	}
	checkEntries(t, English, cats[English], used)
}

func checkEntries(t *testing.T, tag language.Tag, cat Catalog, used map[string]bool) {
	t.Helper()
	for key, e := range cat {
		if !used[key] {
			t.Errorf("%s catalog: %q is used nowhere in the code", tag, key)
			continue
		}
		want := sortedVerbs(key)
		for _, text := range e.Texts() {
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s catalog: %q has an empty translation", tag, key)
			}
			if got := sortedVerbs(text); got != want && !(e.Forms != nil && pluralDropsCount(got, want)) {
				t.Errorf("%s catalog: %q: translation %q has verbs %s, the English %s", tag, key, text, got, want)
			}
		}
	}
}

// pluralDropsCount allows a plural form to leave out the count ("one
// file" for "%d file"): the form already says it.
func pluralDropsCount(got, want string) bool {
	w := strings.Fields(want)
	for i, v := range w {
		if v == "%d" {
			return strings.Join(append(w[:i:i], w[i+1:]...), " ") == got
		}
	}
	return false
}

func sortedVerbs(s string) string {
	v := Verbs(s)
	for i, x := range v {
		// "%[2]s" and "%s" are the same verb in another order.
		if j := strings.IndexByte(x, ']'); j >= 0 {
			v[i] = "%" + x[j+1:]
		}
	}
	sort.Strings(v)
	return strings.Join(v, " ")
}

func dedupe(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func TestCatalogsLoad(t *testing.T) {
	if _, err := Load(assets.Locales()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fr"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, "fr", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.json", `{"Hello": "Bonjour"}`)
	write("b.json", `{"Hello": "Salut"}`)
	if _, err := Load(os.DirFS(dir)); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a key in two files: err = %v, want it named as translated twice", err)
	}
	write("b.json", `{"%d file": {"one": "%d fichier"}}`)
	if _, err := Load(os.DirFS(dir)); err == nil || !strings.Contains(err.Error(), "other") {
		t.Errorf("plural forms without other: err = %v", err)
	}
}
