package investigate

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hit is the part of a finding the tests compare: rule, path relative to
// the scan root (slash form), line, API key and the secret's last four.
type hit struct {
	rule  string
	path  string
	line  int
	key   string
	last4 string
}

func hitsOf(t *testing.T, root string, findings []Finding) []hit {
	t.Helper()
	out := make([]hit, 0, len(findings))
	for _, f := range findings {
		rel := f.Path
		if root != "" {
			r, err := filepath.Rel(root, f.Path)
			if err != nil {
				t.Fatalf("finding path %q is not under %q", f.Path, root)
			}
			rel = filepath.ToSlash(r)
		}
		out = append(out, hit{f.Rule, rel, f.Line, f.APIKey, f.Secret.Last4()})
	}
	return out
}

func assertHits(t *testing.T, root string, findings []Finding, want []hit) {
	t.Helper()
	got := hitsOf(t, root, findings)
	if !slices.Equal(got, want) {
		t.Errorf("findings differ\n got:\n%s\nwant:\n%s", formatHits(got), formatHits(want))
	}
}

func formatHits(hs []hit) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString("  {" + h.rule + " " + h.path + ":" + itoa(h.line) + " key=" + h.key + " last4=" + h.last4 + "}\n")
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	if neg {
		d = append([]byte{'-'}, d...)
	}
	return string(d)
}

func scan(t *testing.T, opts Options) Result {
	t.Helper()
	res, err := Scan(context.Background(), opts)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return res
}

// writeTree creates files (slash paths → content) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func skipsOf(res Result, root string) map[string]string {
	m := map[string]string{}
	for _, s := range res.Stats.Skipped {
		rel, err := filepath.Rel(root, s.Path)
		if err != nil {
			rel = s.Path
		}
		m[filepath.ToSlash(rel)] = s.Reason
	}
	return m
}

// failingFolder makes opening some paths (slash paths from the tree's
// top) fail, as an unreadable file or folder does for a user who is not
// root.
type failingFolder struct {
	folder
	at   string // this folder's slash path
	fail map[string]error
}

func (f failingFolder) join(name string) string {
	if f.at == "." {
		return name
	}
	return f.at + "/" + name
}

func (f failingFolder) openFolder(name string) (folder, error) {
	p := f.join(name)
	if name == "." {
		p = f.at
	}
	if err, ok := f.fail[p]; ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	sub, err := f.folder.openFolder(name)
	if err != nil {
		return nil, err
	}
	return failingFolder{sub, p, f.fail}, nil
}

func (f failingFolder) openFile(name string) (fs.File, error) {
	if err, ok := f.fail[f.join(name)]; ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f.folder.openFile(name)
}

// scanInjected runs a scan whose trees are wrapped by wrap.
func scanInjected(t *testing.T, opts Options, wrap func(folder) folder) Result {
	t.Helper()
	s := newScanner(opts)
	s.openTree = func(root string) (*tree, error) {
		tr, err := openTree(root)
		if err == nil {
			tr.top = wrap(tr.top)
		}
		return tr, err
	}
	res, err := s.run(context.Background())
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return res
}
