package investigate

import (
	"bytes"
	"strings"
)

// A key beside a placeholder secret is a template, not a leak:
//
//	MJ_APIKEY_PUBLIC=3d64d48bed607833359e3fa5bfe5daa7
//	MJ_APIKEY_PRIVATE=your_secret_here
//
// (a README, an .env.example, a fallback || "your-api-secret"). Its author
// kept the secret out on purpose, and a key alone cannot send email, so
// the key is not reported: a careful user who is told "Mailjet API key"
// about every example file learns to skip the findings that matter. A key
// whose secret comes from elsewhere (${MJ_APIKEY_PRIVATE}, process.env,
// an empty value) is still reported, since that secret may be leaked too.

// templateWindow is how many lines around a lone key its placeholder
// secret may be: the next setting or two.
const templateWindow = 3

// dropTemplateKeys removes the lone keys that sit beside a placeholder
// secret.
func dropTemplateKeys(content []byte, creds []credential) []credential {
	var starts []int // line starts, computed once if a lone key needs them
	out := creds[:0]
	for _, c := range creds {
		if c.rule == RuleMailjetKey {
			if starts == nil {
				starts = lineStarts(content)
			}
			if placeholderNear(content, starts, c.line) {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func lineStarts(content []byte) []int {
	starts := []int{0}
	for off := 0; ; {
		i := bytes.IndexByte(content[off:], '\n')
		if i < 0 {
			return starts
		}
		off += i + 1
		starts = append(starts, off)
	}
}

// placeholderNear reports a placeholder secret within templateWindow
// lines of line (1-based).
func placeholderNear(content []byte, starts []int, line int) bool {
	for l := max(1, line-templateWindow); l <= min(len(starts), line+templateWindow); l++ {
		end := len(content)
		if l < len(starts) {
			end = starts[l]
		}
		if placeholderSecretOn(content[starts[l-1]:end]) {
			return true
		}
	}
	return false
}

// secretWords name a secret, as roleFromName reads them.
var secretWords = [...]string{"secret", "private", "pass", "pwd"}

// placeholderSecretOn reports a setting on the line whose name says
// secret and whose value is a placeholder.
func placeholderSecretOn(line []byte) bool {
	for _, w := range secretWords {
		for off := 0; off < len(line); {
			i := indexFoldASCII(line[off:], w)
			if i < 0 {
				break
			}
			end := off + i + len(w)
			off = end
			for end < len(line) && isNameByte(line[end]) {
				end++
			}
			if v, ok := valueAfter(line[end:]); ok && isPlaceholderText(v) {
				return true
			}
		}
	}
	return false
}

// valueAfter reads the literal after a name: the separators (= : => ,)
// and fallback operators (|| ?? ?: :-) are skipped, then a quoted string
// or a bare word up to a space, comma or semicolon. ok is false when no
// value follows.
func valueAfter(b []byte) (string, bool) {
	i := 0
	for i < len(b) && strings.IndexByte(" \t'\"`)]=:>,|?-", b[i]) >= 0 {
		if isQuote(b[i]) {
			q := b[i]
			j := bytes.IndexByte(b[i+1:], q)
			if j < 0 {
				return "", false
			}
			if i > 0 && strings.IndexByte("=:>,|?-( \t", b[i-1]) >= 0 {
				return string(b[i+1 : i+1+j]), true
			}
		}
		i++
	}
	j := i
	for j < len(b) && strings.IndexByte(" \t,;)\r\n#", b[j]) < 0 {
		j++
	}
	return string(b[i:j]), j > i
}

// isPlaceholderText reports a value no secret has and that refers to
// nothing: your_secret_here, xxx, <secret>, changeme, ****. References to
// a secret kept elsewhere (${…}, %env(…)%, {{ … }}, process.env…, getenv)
// and empty values are not placeholders.
func isPlaceholderText(v string) bool {
	t := strings.ToLower(strings.TrimSpace(v))
	if t == "" || IsMailjetValue(t) && !isPlaceholder(t) {
		return false
	}
	for _, ref := range []string{"$", "%env", "{{", "<%", "process.env", "env(", "getenv", "environ", "env[", "config(", "secrets."} {
		if strings.Contains(t, ref) {
			return false
		}
	}
	if strings.Trim(t, "x*.-_ ") == "" || t[0] == '<' || IsMailjetValue(t) {
		return true
	}
	for _, w := range []string{"your", "xxx", "changeme", "change_me", "change-me", "placeholder", "here", "example",
		"replace", "insert", "secret", "private", "password", "todo", "dummy", "fake", "sample", "redacted", "***"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// indexFoldASCII is the index of needle (lower-case) in b, ignoring ASCII
// case; it is for short lines only.
func indexFoldASCII(b []byte, needle string) int {
	for i := 0; i+len(needle) <= len(b); i++ {
		if equalFoldASCII(b[i:i+len(needle)], needle) {
			return i
		}
	}
	return -1
}
