package investigate

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate/wpdata"
)

// FuzzDetectCredentials checks the content detector never panics and only
// ever reports values of Mailjet's shape that are really in the input.
func FuzzDetectCredentials(f *testing.F) {
	for _, dir := range []string{"testdata/credentials", "testdata/negatives", "testdata/dialects"} {
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
		for _, c := range detectCredentials(content, findKeywords(content)) {
			if c.key.isZero() && c.secret == "" {
				t.Fatalf("empty finding %+v", c)
			}
			for _, v := range []string{c.key.String(), c.secret} {
				if v != "" && (!IsMailjetValue(v) || !inInput(content, c, v)) {
					t.Fatalf("value %q is not a 32-hex value from the input", v)
				}
			}
			if c.line < 1 || c.line > lines {
				t.Fatalf("line %d outside 1..%d", c.line, lines)
			}
			if ruleFor(c.rule).category != CategoryCredential {
				t.Fatalf("rule %q is not a credential rule", c.rule)
			}
			if (c.secret == "") != (c.rule == RuleMailjetKey) || c.key.isZero() != (c.rule == RuleMailjetSecret) {
				t.Fatalf("rule %q does not match key %q / secret %q", c.rule, c.key, c.secret)
			}
		}
	})
}

// FuzzFindKeywords checks the pre-search against a plain reference: it
// never panics, and it says "mailjet" exactly when the text holds it.
func FuzzFindKeywords(f *testing.F) {
	f.Add([]byte("MJ_APIKEY_PUBLIC=x mailjet Basic NGE5"))
	f.Add([]byte("MAILJET mjApiKey mjpeg Ramjet basic\tQUJD j J b B"))
	f.Add([]byte("Authorization: Basic "))
	f.Fuzz(func(t *testing.T, content []byte) {
		h := findKeywords(content)
		if want := containsFold(content, "mailjet"); h.mailjet != want {
			t.Fatalf("mailjet = %v, want %v", h.mailjet, want)
		}
		for _, o := range h.mailjetAt {
			if !isMailjetAt(content, o) {
				t.Fatalf("offset %d is not mailjet", o)
			}
		}
		if len(h.basicAt) > 0 && !h.namesMailjet() {
			t.Fatal("basic values looked for in a file that does not name Mailjet")
		}
		for _, o := range h.basicAt {
			if o <= 5 || o > len(content) {
				t.Fatalf("basic value offset %d out of range", o)
			}
		}
	})
}

// FuzzDecodeBasic checks that only base64 of KEY:SECRET is accepted.
func FuzzDecodeBasic(f *testing.F) {
	f.Add([]byte(base64.StdEncoding.EncodeToString([]byte(k1 + ":" + s1))))
	f.Add([]byte(base64.StdEncoding.EncodeToString([]byte("admin:" + s1 + "0123456789abcdef012345"))))
	f.Add([]byte("===="))
	f.Fuzz(func(t *testing.T, b []byte) {
		key, sec, ok := decodeBasic(b)
		if !ok {
			return
		}
		if !IsMailjetValue(key) || !IsMailjetValue(sec) {
			t.Fatalf("accepted %q:%q", key, sec)
		}
		if enc := base64.StdEncoding.EncodeToString([]byte(key + ":" + sec)); !bytes.HasPrefix(b, []byte(enc)) {
			t.Fatalf("%q is not what %q encodes", enc, b)
		}
	})
}

// FuzzSerializedValues checks the PHP serialize reader on hostile input.
func FuzzSerializedValues(f *testing.F) {
	ser := `s:7:"mailjet";a:2:{s:7:"api_key";s:32:"` + k1 + `";s:10:"secret_key";s:32:"` + s1 + `";}`
	f.Add([]byte(ser))
	f.Add([]byte(strings.ReplaceAll(ser, `"`, `\"`)))
	f.Add([]byte(`s:7:"mailjet";a:999999999:{`))
	f.Add([]byte(`s:7:"mailjet";O:8:"stdClass":1:{s:7:"api_key";i:5;}`))
	if b, err := os.ReadFile("testdata/dialects/backup.sql"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		h := findKeywords(content)
		for _, v := range serializedValues(content, h.mailjetAt) {
			if !IsMailjetValue(v.text) || v.line < 1 || v.role == roleNone {
				t.Fatalf("bad value %+v", v)
			}
		}
	})
}

// FuzzParsePluginVersion checks the plugin header and readme readers.
func FuzzParsePluginVersion(f *testing.F) {
	f.Add([]byte("<?php\n/*\n * Plugin Name: A\n * Version: 1.2.3\n */"), true)
	f.Add([]byte("=== A ===\nStable tag: 4.5\n"), false)
	f.Add([]byte("Stable tag:"), false)
	f.Fuzz(func(t *testing.T, content []byte, header bool) {
		v, ok := parsePluginVersion(pluginFile{slug: "a", header: header}, content)
		if ok && (v.line < 1 || !wpdata.IsVersion(v.version) || strings.ContainsAny(v.version, "\x00\x1b\n")) {
			t.Fatalf("bad version %+v", v)
		}
	})
}

// FuzzParseWPVersion checks the version.php reader.
func FuzzParseWPVersion(f *testing.F) {
	f.Add([]byte("<?php\n$wp_version = '6.4.3';\n"))
	f.Add([]byte("$wp_version=\"6.4-alpha\x1b[31m\";"))
	f.Fuzz(func(t *testing.T, content []byte) {
		if v, ok := parseWPVersion(content); ok && (v.line < 1 || !wpdata.IsVersion(v.version) || strings.ContainsRune(v.version, 0x1b)) {
			t.Fatalf("bad version %+v", v)
		}
	})
}
