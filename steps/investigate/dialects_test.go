package investigate

import (
	"encoding/base64"
	"testing"
)

// TestScanFindsMoreDialects covers the dialects added with the engine:
// django-anymail, SwiftMailer, Go and .NET clients, docker-compose and
// YAML, basic-authentication headers and curl -u, SQL dumps of wp_options
// (plain rows and WP Mail SMTP's serialized option), JSON escaped inside a
// minified bundle, Laravel SMTP on in.mailjet.com next to an unrelated
// DB_PASSWORD, a key and secret 40 lines apart, and a secret whose key
// comes from the environment.
func TestScanFindsMoreDialects(t *testing.T) {
	const root = "testdata/dialects"
	res := scan(t, Options{Roots: []string{root}})
	assertHits(t, root, res.Findings, []hit{
		{RuleMailjetSMTP, ".env.production", 7, "aab3238922bcc25a6f606eb525ffdc56", "2189"},
		{RuleMailjetClient, "Program.cs", 3, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "a923"},
		{RuleMailjetPair, "app.rb", 3, "c51ce410c124a10e0db5e4b97fc2af39", "d6f0"},
		{RuleMailjetPair, "appsettings.Production.json", 5, "70efdf2ec9b086079795c442636b55fb", "6ef5"},
		{RuleMailjetPair, "backup.sql", 3, "45c48cce2e2d7fbdea1afc51c7c6ad26", "655f"},
		{RuleMailjetPair, "backup.sql", 3, "6512bd43d9caa6e02c990b0a82652dca", "f3ec"},
		{RuleMailjetPair, "bundle.min.js", 1, "c20ad4d76fe97759aa27a0c99bff6710", "3677"},
		{RuleMailjetPair, "config/mail.yaml", 5, "9a0364b9e99bb480dd25e1f0284c8555", "d079"},
		{RuleMailjetPair, "docker-compose.yml", 6, "e4d909c290d0fb1ca068ffaddf22cbd0", "9d21"},
		{RuleMailjetPair, "far.env", 42, "9bf31c7ff062936a96d3c8bd1f8f2ff3", "e21b"},
		{RuleMailjetBasicAuth, "logs/access.log", 3, "d41d8cd98f00b204e9800998ecf8427e", "0cb9"},
		{RuleMailjetClient, "main.go", 6, "c0ffee5a1b2c3d4e5f60718293a4b5c6", "331c"},
		{RuleMailjetBasicAuth, "send.sh", 3, "1f3870be274f6c49b3e31a0c6728957f", "aacd"},
		{RuleMailjetPair, "settings.py", 6, "b8e2f1c09a7d4e3f5a6b7c8d9e0f1a2b", "37be"},
		{RuleMailjetSMTP, "swift.php", 4, "7f3e9d2c1b0a99887766554433221100", "b788"},
		{RuleExposedEnv, ".env.production", 0, "", ""},
		{RuleExposedBackup, "backup.sql", 0, "", ""},
		{RuleMailjetSecret, "secret-only.php", 3, "", "303f"},
	})
}

func TestBasicHeaderNeedsMailjetNamed(t *testing.T) {
	header := "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(k1+":"+s1))
	if got := detect("GET https://internal.example.test/token", header); len(got) != 0 {
		t.Errorf("a hex:hex header in a file that never names Mailjet was reported: %+v", got)
	}
	got := detect("POST https://api.mailjet.com/v3/send", header)
	if len(got) != 1 || got[0] != (credential{RuleMailjetBasicAuth, k1, s1, 2}) {
		t.Errorf("got %+v, want the pair", got)
	}
}
