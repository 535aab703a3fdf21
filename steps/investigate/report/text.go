package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// maxTextSkips bounds the skipped paths listed in text; JSON has them all.
const maxTextSkips = 20

// Text writes the result for people: a summary line, then each finding
// with its location, what it is, the key and the secret's last four
// characters, the verification, and what to do.
func Text(w io.Writer, res investigate.Result) error {
	var b strings.Builder
	counts := map[investigate.Severity]int{}
	for _, f := range res.Findings {
		counts[f.Severity]++
	}
	if len(res.Findings) == 0 {
		b.WriteString("No leaked Mailjet credential, exposed file or outdated WordPress found.\n")
	} else {
		var parts []string
		for _, s := range []investigate.Severity{investigate.Critical, investigate.High, investigate.Medium, investigate.Low} {
			if counts[s] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
			}
		}
		fmt.Fprintf(&b, "Found %s: %s.\n", plural(len(res.Findings), "problem", "problems"), strings.Join(parts, ", "))
	}
	for _, f := range res.Findings {
		b.WriteString("\n")
		loc := untrusted.Clean(f.Path)
		if f.Line > 0 {
			loc += fmt.Sprintf(":%d", f.Line)
		}
		fmt.Fprintf(&b, "%-8s  %s\n", strings.ToUpper(f.Severity.String()), loc)
		fmt.Fprintf(&b, "          %s [%s]\n", untrusted.Clean(f.Kind), f.Rule)
		if f.APIKey != "" {
			fmt.Fprintf(&b, "          API key %s\n", untrusted.Clean(f.APIKey))
		}
		if h := f.Secret.Hint(); h != "" {
			fmt.Fprintf(&b, "          secret  %s\n", untrusted.Clean(h))
		}
		if f.Verified != investigate.NotChecked {
			fmt.Fprintf(&b, "          checked: %s (%s)\n", f.Verified, untrusted.Clean(f.VerifyNote))
		}
		fmt.Fprintf(&b, "          %s\n", untrusted.Clean(f.Message))
	}
	st := res.Stats
	fmt.Fprintf(&b, "\nRead %s (%s) in %s.", plural(st.Files, "file", "files"), size(st.Bytes), st.Duration.Round(time.Millisecond))
	if n := len(st.Skipped); n > 0 {
		fmt.Fprintf(&b, " Skipped %s:\n", plural(n, "path", "paths"))
		for i, s := range st.Skipped {
			if i == maxTextSkips {
				fmt.Fprintf(&b, "  … and %d more (--format json lists them all)\n", n-maxTextSkips)
				break
			}
			fmt.Fprintf(&b, "  %s: %s\n", untrusted.Clean(s.Path), untrusted.Clean(s.Reason))
		}
	} else {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func size(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}
