package investigate

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDetectCredentials checks the content detector never panics and only
// ever reports values of Mailjet's shape that are really in the input.
func FuzzDetectCredentials(f *testing.F) {
	for _, dir := range []string{"testdata/credentials", "testdata/negatives"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("mailjet+api://" + k1 + ":" + s1 + "@default"))
	f.Add([]byte("x=(" + k1 + "," + s1 + "\n" + k2 + ":" + s2 + "]['mailjet']['value']="))
	f.Fuzz(func(t *testing.T, content []byte) {
		lines := bytes.Count(content, []byte("\n")) + 1
		for _, c := range detectCredentials(content) {
			if c.key == "" && c.secret == "" {
				t.Fatalf("empty finding %+v", c)
			}
			for _, v := range []string{c.key, c.secret} {
				if v != "" && (!IsMailjetValue(v) || !bytes.Contains(content, []byte(v))) {
					t.Fatalf("value %q is not a 32-hex value from the input", v)
				}
			}
			if c.line < 1 || c.line > lines {
				t.Fatalf("line %d outside 1..%d", c.line, lines)
			}
			if ruleFor(c.rule).category != CategoryCredential {
				t.Fatalf("rule %q is not a credential rule", c.rule)
			}
			if (c.secret == "") != (c.rule == RuleMailjetKey) || (c.key == "") != (c.rule == RuleMailjetSecret) {
				t.Fatalf("rule %q does not match key %q / secret %q", c.rule, c.key, c.secret)
			}
		}
	})
}
