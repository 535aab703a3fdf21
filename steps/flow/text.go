package flow

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
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

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
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
func yesNo() []Action { return []Action{act(Yes, "yes"), act(No, "no")} }
