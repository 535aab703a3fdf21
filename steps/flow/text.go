package flow

import (
	"path/filepath"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// clean strips control characters from text that came from outside (a
// scanned file, an HTTP answer, an error) before it reaches a screen.
func clean(s string) string { return untrusted.Clean(s) }

// errText is an error in plain, terminal-safe words.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return clean(err.Error())
}

// listMsg joins messages with semicolons, as one message.
func listMsg(ms []lang.Message) lang.Message {
	if len(ms) == 0 {
		return lang.Message{}
	}
	out := ms[0]
	for _, m := range ms[1:] {
		out = lang.Msg("%[1]s; %[2]s", out, m)
	}
	return out
}

// humanBytes says a size in p's language: "1.5 MB", "1,5 Mo".
func humanBytes(p *lang.Printer, n int64) string {
	switch {
	case n >= 1<<30:
		return p.T("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return p.T("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return p.T("%.1f KB", float64(n)/(1<<10))
	}
	return p.T("%d byte", n)
}

// relPath is p relative to root when it is inside it.
func relPath(root, p string) string {
	if root != "" {
		if rel, err := filepath.Rel(root, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel
		}
	}
	return p
}

// text, muted... build blocks tersely.
func text(s string) Block          { return Block{Kind: TextBlock, Text: s} }
func toned(t Tone, s string) Block { return Block{Kind: TextBlock, Tone: t, Text: s} }
func tight(b Block) Block          { b.Tight = true; return b }
func box(s string) Block           { return Block{Kind: BoxBlock, Text: s, Ask: true} }
func question(s string) Block      { return Block{Kind: TextBlock, Text: s, Ask: true} }
func working(s string) Block       { return Block{Kind: WorkingBlock, Text: s} }
func input(id string) Block        { return Block{Kind: InputBlock, Field: id} }

// act builds an action.
func act(id ActionID, label string) Action { return Action{ID: id, Label: label} }

// yesNo are the answers to a question.
func (f *Flow) yesNo() []Action { return []Action{act(Yes, f.T("yes")), act(No, f.T("no"))} }
