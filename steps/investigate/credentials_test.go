package investigate

import (
	"strings"
	"testing"
)

func TestScanFindsEveryDialect(t *testing.T) {
	const root = "testdata/credentials"
	res := scan(t, Options{Roots: []string{root}})
	assertHits(t, root, res.Findings, []hit{
		{RuleMailjetClient, "app.js", 1, "1a1925b89f3ab3046283f7ad14e344ca", "9ec9"},
		{RuleMailjetPair, "app.js", 4, "3d64d48bed607833359e3fa5bfe5daa7", "5743"},
		{RuleMailjetPair, "appsettings.json", 5, "2af3dc44a17f9f467979da116ebe6562", "9080"},
		{RuleMailjetClient, "client-use.php", 6, "c7f188589c4d347c813b4da866b5823d", "88dd"},
		{RuleMailjetClient, "client.php", 4, "5e2602887015ea6118aa521c2ef9d32a", "e99c"},
		{RuleMailjetPair, "config/initializers/mailjet.rb", 3, "84c05ed696795cd50657a4f118a35757", "ea81"},
		{RuleMailjetPair, "laravel.env", 8, "d592c9448572baaa79d6398e48458868", "03db"},
		// 21 lines apart, but the file's only key and secret.
		{RuleMailjetPair, "lonely.env", 22, "3c62a2d067933a595404b916e3b3ac8f", "dc73"},
		{RuleMailjetSMTP, "mailer.js", 9, "d1ca4c01709cb9326afd44afddc8fb3b", "37d9"},
		{RuleMailjetDSN, "mcp.env", 1, "488a1cd9b1912eb2296e01a02abb5738", "7e5a"},
		{RuleMailjetSMTP, "phpmailer.php", 9, "5febe64cd4cd042ade50b98b76d3aaff", "25c7"},
		{RuleMailjetPair, "sdk.env", 3, "39ea7d693830cf5ca7ca692c420bad6f", "096d"},
		{RuleMailjetClient, "send.py", 4, "f569dd759af93e761650429790783e11", "f56c"},
		{RuleMailjetDSN, "symfony.env", 2, "32c2a85e7bf1867023f24531730034ba", "10a2"},
		{RuleMailjetDSN, "symfony.env", 3, "fcdfacffa0be40af54bc054f15d5ce17", "0b3e"},
		{RuleMailjetPair, "web.config", 4, "5ed41a9953b9b7358f1df73895b9651d", "fd7a"},
		{RuleMailjetPair, "wp-config.php", 7, "341a7f34fe166f33ad96152386bd4bb1", "0cc6"},
		{RuleMailjetPair, "wp-config.php", 9, "eec62d74a1c9ba1d8870a249485295de", "4042"},
		// apiConnect(process.env.MJ_APIKEY_PUBLIC, 'SECRET'): the key is not in the file.
		{RuleMailjetSecret, "app.js", 3, "", "b556"},

		{RuleMailjetKey, "send.py", 6, "e96fb7e37bebc6ffe5411bcede7e4680", ""},
	})
	for _, f := range res.Findings {
		if f.Category != CategoryCredential {
			t.Errorf("%s: category %q, want credential", f.Path, f.Category)
		}
		if want := ruleFor(f.Rule); f.Severity != want.severity || f.Kind != want.kind || f.Message == "" {
			t.Errorf("%s %s: severity %v kind %q, want %v %q", f.Rule, f.Path, f.Severity, f.Kind, want.severity, want.kind)
		}
	}
}

func TestScanReportsNoNonLeaks(t *testing.T) {
	const root = "testdata/negatives"
	res := scan(t, Options{Roots: []string{root}})
	assertHits(t, root, res.Findings, nil)
	// The decoys of issue 9 (see shape_test.go for what each one tries).
	if res.Stats.Files != 21 || len(res.Stats.Skipped) != 0 {
		t.Errorf("files %d skipped %v, want 21 files read and none skipped", res.Stats.Files, res.Stats.Skipped)
	}
}

// detect runs the content detector on inline text.
func detect(lines ...string) []credential {
	b := []byte(strings.Join(lines, "\n"))
	return detectCredentials(b, findKeywords(b))
}

const (
	k1 = "9d5ed678fe57bcca610140957afab571"
	s1 = "0cc175b9c0f1b6a831c399e269772661"
	k2 = "92eb5ffee6ae2fec3ad71c777531578f"
	s2 = "4a8a08f09d37b73795649038408b5f33"
)

func TestDetectPairing(t *testing.T) {
	filler := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "OTHER=" + itoa(i)
		}
		return out
	}
	cases := []struct {
		name  string
		lines []string
		want  []credential
	}{
		{"pair across lines", []string{"MJ_APIKEY_PUBLIC=" + k1, "# comment", "MJ_APIKEY_PRIVATE=" + s1},
			[]credential{cred(RuleMailjetPair, k1, s1, 3)}},
		{"secret before key", []string{"MJ_APIKEY_PRIVATE=" + s1, "MJ_APIKEY_PUBLIC=" + k1},
			[]credential{cred(RuleMailjetPair, k1, s1, 1)}},
		{"15 lines apart still pairs", append(append([]string{"MJ_APIKEY_PUBLIC=" + k1}, filler(14)...), "MJ_APIKEY_PRIVATE="+s1),
			[]credential{cred(RuleMailjetPair, k1, s1, 16)}},
		{"16 lines apart: the file's only key and secret still pair", append(append([]string{"MJ_APIKEY_PUBLIC=" + k1}, filler(15)...), "MJ_APIKEY_PRIVATE="+s1),
			[]credential{cred(RuleMailjetPair, k1, s1, 17)}},
		{"16 lines apart with two keys: no guess", append(append([]string{"MJ_APIKEY_PUBLIC=" + k1, "MAILJET_APIKEY=" + k2}, filler(15)...), "MJ_APIKEY_PRIVATE="+s1),
			[]credential{cred(RuleMailjetKey, k1, "", 1), cred(RuleMailjetKey, k2, "", 2), cred(RuleMailjetSecret, "", s1, 18)}},
		{"two blocks pair with their own keys", []string{
			"MJ_APIKEY_PUBLIC=" + k1, "MJ_APIKEY_PRIVATE=" + s1, "MAILJET_APIKEY=" + k2, "MAILJET_APISECRET=" + s2},
			[]credential{cred(RuleMailjetPair, k1, s1, 2), cred(RuleMailjetPair, k2, s2, 4)}},
		{"old and new secret share the key", []string{
			"MJ_APIKEY_PUBLIC=" + k1, "#MJ_APIKEY_PRIVATE=" + s1, "MJ_APIKEY_PRIVATE=" + s2},
			[]credential{cred(RuleMailjetPair, k1, s1, 2), cred(RuleMailjetPair, k1, s2, 3)}},
		{"same pair twice on a line is one finding", []string{
			"mailjet+api://" + k1 + ":" + s1 + "@default mailjet+api://" + k1 + ":" + s1 + "@default"},
			[]credential{cred(RuleMailjetDSN, k1, s1, 1)}},
		{"repeated key is not reported alone", []string{
			"MJ_APIKEY_PUBLIC=" + k1, "MJ_APIKEY_PRIVATE=" + s1, "", "", "MAILJET_APIKEY=" + k1},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"smtp dsn", []string{"MAILER_DSN=smtp://" + k1 + ":" + s1 + "@in-v3.mailjet.com:587"},
			[]credential{cred(RuleMailjetDSN, k1, s1, 1)}},
		{"netrc", []string{"machine in-v3.mailjet.com login " + k1 + " password " + s1},
			[]credential{cred(RuleMailjetSMTP, k1, s1, 1)}},
		{"env default in Laravel config", []string{"'key' => env('MAILJET_APIKEY', '" + k1 + "'),", "'secret' => env('MAILJET_APISECRET', '" + s1 + "'),"},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"php array", []string{"$cfg['mailjet']['key'] = '" + k1 + "';", "$cfg['mailjet']['secret'] = '" + s1 + "';"},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"CRLF line endings", []string{"MJ_APIKEY_PUBLIC=" + k1 + "\r", "MJ_APIKEY_PRIVATE=" + s1 + "\r"},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"django settings, mailjet only in the file", []string{
			"EMAIL_HOST = 'in-v3.mailjet.com'", "EMAIL_HOST_USER = '" + k1 + "'", "EMAIL_HOST_PASSWORD = '" + s1 + "'"},
			[]credential{cred(RuleMailjetSMTP, k1, s1, 3)}},
		{"no mailjet anywhere", []string{"API_KEY=" + k1, "API_SECRET=" + s1}, nil},
		{"generic call without mailjet", []string{"new Client('" + k1 + "', '" + s1 + "')"}, nil},
		{"inside a longer run", []string{"MJ_APIKEY_PUBLIC=" + k1 + "00", "MJ_APIKEY_PRIVATE=x" + s1}, nil},
		{"ids with mailjet context", []string{`{"mailjet": {"MessageID": "` + k1 + `", "CampaignID": "` + s1 + `"}}`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := detect(c.lines...)
			if len(got) != len(c.want) {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("finding %d: got %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestDetectFindsSecretInHugeMinifiedLine(t *testing.T) {
	var b strings.Builder
	for b.Len() < 2<<20 {
		b.WriteString(`function a(b){return b*2};var c={d:"e"};`)
	}
	b.WriteString(`var mj=Mailjet.apiConnect("` + k1 + `","` + s1 + `");`)
	for b.Len() < 4<<20 {
		b.WriteString(`function a(b){return b*2};var c={d:"e"};`)
	}
	got := detect(b.String())
	want := cred(RuleMailjetClient, k1, s1, 1)
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestWords(t *testing.T) {
	cases := map[string]string{
		"WPMS_MAILJET_API_KEY": "wpms mailjet api key",
		"apiKey":               "api key",
		"MessageUUID":          "message uuid",
		"APIKey":               "api key",
		"$mail->Username":      "mail username",
		"mj_campaign_id":       "mj campaign id",
		"":                     "",
	}
	for in, want := range cases {
		if got := strings.Join(words(in), " "); got != want {
			t.Errorf("words(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsPlaceholder(t *testing.T) {
	for _, v := range []string{
		"00000000000000000000000000000000", "0123456789abcdef0123456789abcdef",
		"deadbeefdeadbeefdeadbeefdeadbeef", "aaaaaaaabbbbbbbbaaaaaaaabbbbbbbb",
		"12341234123412341234123412341235",
	} {
		if !isPlaceholder(v) {
			t.Errorf("isPlaceholder(%q) = false, want true", v)
		}
	}
	for _, v := range []string{k1, s1, k2, s2} {
		if isPlaceholder(v) {
			t.Errorf("isPlaceholder(%q) = true, want false", v)
		}
	}
}

func TestIsMailjetValue(t *testing.T) {
	if !IsMailjetValue(k1) || IsMailjetValue(strings.ToUpper(k1)) || IsMailjetValue(k1[:31]) || IsMailjetValue(k1+"0") {
		t.Error("IsMailjetValue accepts only 32 lower-case hex characters")
	}
}

// cred builds an expected credential; key "" is a secret found alone.
func cred(rule, key, secret string, line int) credential {
	return credential{rule: rule, key: publicKey{key}, secret: secret, line: line}
}
