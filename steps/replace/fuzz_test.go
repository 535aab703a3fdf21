package replace

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/secret"
)

// fuzzSubs are the substitutions of the sub-account rotation.
func fuzzSubs() []substitution {
	return []substitution{
		{old: secret.New(oldKey), new: secret.New(newKey), kind: kindKey, apiKey: oldKey},
		{old: secret.New(oldSecret), new: secret.New(newSecret), kind: kindSecret, apiKey: oldKey},
		{old: basic(oldKey, secret.New(oldSecret)), new: basic(newKey, secret.New(newSecret)), kind: kindBasic, apiKey: oldKey},
	}
}

func inverse(subs []substitution) []substitution {
	out := make([]substitution, len(subs))
	for i, s := range subs {
		out[i] = substitution{old: s.new, new: s.old, kind: s.kind, apiKey: s.apiKey}
	}
	return out
}

// FuzzRewrite checks the rewriter on any content: only whole old values
// change, so undoing the change gives the original back byte for byte; the
// length stays; no old value is left whole; the diff shows no secret.
func FuzzRewrite(f *testing.F) {
	for _, seed := range []string{
		"MJ_APIKEY_PUBLIC=OLDKEY\nMJ_APIKEY_PRIVATE=OLDSECRET\n",
		"A=\"OLDKEY\"\r\nB='OLDSECRET'\r\n",
		"define('K','OLDKEY');define(\"S\",\"OLDSECRET\");",
		"{\"k\":\"OLDKEY\",\"s\":\"OLDSECRET\"}",
		"dsn: mailjet+smtp://OLDKEY:OLDSECRET@default",
		"xOLDKEY OLDSECRETx OLDKEYOLDSECRET OLDKEY",
		"Basic " + b64(oldKey+":"+oldSecret) + "==",
		"Authorization: Basic " + b64(oldKey+":"+oldSecret) + "\n",
		"\xff\xfe\x00OLDKEY\x00",
		"",
	} {
		f.Add([]byte(fill(seed)))
	}
	subs := fuzzSubs()
	news := [][]byte{[]byte(newKey), []byte(newSecret), []byte(subs[2].new.Reveal())}
	f.Fuzz(func(t *testing.T, content []byte) {
		out, changes := rewrite(content, subs)
		if len(out) != len(content) {
			t.Fatalf("length %d → %d", len(content), len(out))
		}
		if left := findChanges(out, subs); len(left) != 0 && !containsAny(content, news) {
			t.Fatalf("old values left whole after the rewrite: %v", left)
		}
		if !containsAny(content, news) {
			back, _ := rewrite(out, inverse(subs))
			if !bytes.Equal(back, content) {
				t.Fatalf("undoing the rewrite gives\n%q\nnot\n%q", back, content)
			}
		}
		if len(changes) > 0 {
			d := makeDiff(nil, "f", content, subs, changes)
			text := d.String()
			for _, s := range []string{oldSecret, newSecret, subs[2].old.Reveal(), subs[2].new.Reveal()} {
				if strings.Contains(text, s) {
					t.Fatalf("the diff shows a secret: %q", text)
				}
			}
			if len(d.Lines) == 0 {
				t.Fatal("changes but no diff line")
			}
		}
	})
}

func containsAny(b []byte, needles [][]byte) bool {
	for _, n := range needles {
		if bytes.Contains(b, n) {
			return true
		}
	}
	return false
}

// FuzzEnvReferences: any content gives names that are identifiers and a
// line inside the file.
func FuzzEnvReferences(f *testing.F) {
	for _, seed := range []string{
		"const user = process.env.MJ_APIKEY_PUBLIC;\npass: process.env['MJ_APIKEY_PRIVATE']",
		"'key' => env('MAILJET_APIKEY'),\n$s = getenv(\"MJ_APIKEY_PRIVATE\");",
		"MJ: ${MJ_APIKEY_PRIVATE:-x}\ndsn: '%env(resolve:MAILER_DSN)%'",
		"os.environ.get('MAILJET_API_KEY') ENV.fetch('MAILJET_SECRET') ${MJ_",
		"",
	} {
		f.Add([]byte(seed))
	}
	ident := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	wanted := func(n string) bool { return isMailjetName(n) || n == "MAILER_DSN" }
	needles := [][]byte{[]byte("MJ_"), []byte("MAILJET"), []byte("MAILER_DSN")}
	f.Fuzz(func(t *testing.T, content []byte) {
		note, ok := noteFrom("f", content, needles, wanted)
		if !ok {
			return
		}
		lines := 1 + bytes.Count(content, []byte("\n"))
		if note.Line < 1 || note.Line > lines || len(note.Names) == 0 {
			t.Fatalf("note %+v for %d lines", note, lines)
		}
		for _, n := range note.Names {
			if !ident.MatchString(n) || !wanted(n) {
				t.Fatalf("name %q", n)
			}
		}
	})
}
