package investigate

import (
	"bytes"
	"encoding/base64"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// fixtureSecrets marks, for every fixture under testdata (path from
// testdata), each value written in it as a Mailjet secret. A fixture that
// holds a secret must be listed here: TestNoSecretEverInAPIKey fails on a
// secret it finds that is not marked.
var fixtureSecrets = map[string][]string{
	"credentials/app.js":                               {"60be9ba733e6c768f2031fe54666b556", "6b811d75b048b78d106e98ecf64d9ec9", "fe93981541af3c30232ae5c2e47d5743"},
	"credentials/appsettings.json":                     {"b9fc4162d50bfe7854938cf307a39080"},
	"credentials/client-use.php":                       {"c36b27996b998b38673cae98569088dd"},
	"credentials/client.php":                           {"658a6b88bafd41010b7892aaa1b8e99c"},
	"credentials/config/initializers/mailjet.rb":       {"703e1036a43dbf0becf7dc6761c1ea81"},
	"credentials/laravel.env":                          {"9087c28cee88ab26d6428e18d25d03db"},
	"credentials/lonely.env":                           {"d26f161fe2e543f6b311535444badc73"},
	"credentials/mailer.js":                            {"3ff805c0b6994c3dd453e2c3c40e37d9"},
	"credentials/mcp.env":                              {"670e5f824bb071326b3c6f1ae4397e5a"},
	"credentials/phpmailer.php":                        {"05ac463d137c5ca98e7beeffdf5025c7"},
	"credentials/sdk.env":                              {"a92b4317b187d20672a545d2eaef096d"},
	"credentials/send.py":                              {"3f845271ddc8a6ed6d81dd9f11fcf56c"},
	"credentials/symfony.env":                          {"60c29db337fb0146c0e913b9a4420b3e", "d3f1f5c8903d33323226beb6743b10a2"},
	"credentials/web.config":                           {"2d70cb47f1ac1df1f5c19c9a079afd7a"},
	"credentials/wp-config.php":                        {"4df545149b514f2ed40e0a581b2f0cc6", "a9a353194c1adcf0dc8f069e3f574042"},
	"dialects/.env.production":                         {"33e75ff09dd601bbe69f351039152189"},
	"dialects/Program.cs":                              {"fe9fc289c3ff0af142b6d3bead98a923"},
	"dialects/app.rb":                                  {"02e74f10e0327ad868d138f2b4fdd6f0"},
	"dialects/appsettings.Production.json":             {"c16a5320fa475530d9583c34fd356ef5"},
	"dialects/backup.sql":                              {"1ff1de774005f8da13f42943881c655f", "8e296a067a37563370ded05f5a3bf3ec"},
	"dialects/bundle.min.js":                           {"4e732ced3463d06de0ca9a15b6153677"},
	"dialects/bundle/static/js/main.3f9a1c2e.chunk.js": {"07f3db695d7cde5eac1e7f6a16e45a82", "a6b18396baccc272278c99d0c73f2989"},
	"dialects/calls/EmailService.java":                 {"38fd21de30b5d0020ac7103d53c7f968", "afd5a74c772c43875632f61697e070ab"},
	"dialects/calls/Program.cs":                        {"d5a4b928f3ee01ab4eca12e310d9c9cc"},
	"dialects/calls/email.js":                          {"7501b78e31be824b602f46bb7aab8e6e"},
	"dialects/calls/send.php":                          {"3fffa462b401784acfcd4f53523e383e"},
	"dialects/calls/test.js":                           {"ec4c54ba76f25469463a8c5217a19258"},
	"dialects/config/mail.yaml":                        {"3c59dc048e8850243be8079a5c74d079"},
	"dialects/docker-compose.yml":                      {"68d30a9594728bc39aa24be94b319d21"},
	"dialects/encoded/mailjet-secret.yaml":             {"384a20ff0d09b3620e279f1888ade96b", "a4469cb598dda8d20c5c4c50c775fd33"},
	"dialects/encoded/secret-smtp.yaml":                {"56aed55cc8a5b1696b12494d78383f1a"},
	"dialects/encoded/send-mailjet.ts":                 {"1d662cc9118ac85852cff53354e3a6f8", "c5f988ab62d495f6655277de10fe233e"},
	"dialects/fallback/application.yml":                {"2ba69ecfd4559bfae55c608586e893d9"},
	"dialects/fallback/camino-index.ts":                {"7579647ec4da83b979035cfb0600b27b"},
	"dialects/fallback/docker-compose.yml":             {"891c709172ea6b3935d7333806863ece"},
	"dialects/fallback/geekndragon-config.php":         {"72360a621b310b3b99481177bc172cd1", "a1f5600db1bc96693568c0c1c3ab5329"},
	"dialects/fallback/hackwestern-mail.ts":            {"fe053621c7644ece8344342e0ece8b7f"},
	"dialects/fallback/thomasneos-mail.js":             {"98dfa4c17adf22d76eed5233fd95802f"},
	"dialects/far.env":                                 {"6ea9ab1baa0efb9e19094440c317e21b"},
	"dialects/logs/access.log":                         {"b6d767d2f8ed5d21a44b0e5886680cb9"},
	"dialects/main.go":                                 {"9778d5d219c5080b9a6a17bef029331c"},
	"dialects/secret-only.php":                         {"34173cb38f07f89ddbebc2ac9128303f"},
	"dialects/send.sh":                                 {"37693cfc748049e45d87b8c7d8b9aacd"},
	"dialects/settings.py":                             {"3b5d5c3712955042212316173ccf37be"},
	"dialects/smtp/MailjetIntegrationTest.java":        {"58cca853fcdd135fc21a1c27bb057bf0"},
	"dialects/smtp/app/etc/env.php":                    {"6f8dc5644b03f0eb3f8892dd4f01061b"},
	"dialects/smtp/application.properties":             {"eea665c3628400c05625ff3f3161c582"},
	"dialects/smtp/etc/postfix/sasl_passwd":            {"f11629cf91ff2a7bcdeed8689fd88e03"},
	"dialects/smtp/postfix-playbook.yml":               {"50c66bd63f5ee314bf2d84aaa26563b4"},
	"dialects/smtp/pretalx.env":                        {"2a1855d0c52da97d2649b639b73d4ad0"},
	"dialects/swift.php":                               {"2838023a778dfaecdc212708f721b788"},
	"dialects/userkey/simple_send_v3.env":              {"2379d01aacd8ec1a616a56e539d8514f"},
	"dialects/utf16/.env":                              {"aaf21b8d2e5e5023ff556e7b4b9d6c3d"},
	"dialects/utf16/settings.ini":                      {"23659aabd04b4cf463ba593e92460caf"},
	"dialects/utf16/web.config":                        {"b9c54ee9c49b35b639c3baea019b01a3"},
}

// TestNoSecretEverInAPIKey scans every fixture folder and checks the rule
// that a 32-hex value is shown in full only when it is known to be the
// public key: no finding carries a marked secret in APIKey, every marked
// secret is reported (as Secret, shown by its last four), and every
// secret reported is marked.
func TestNoSecretEverInAPIKey(t *testing.T) {
	marked := map[string]string{} // secret → fixture
	for path, secrets := range fixtureSecrets {
		for _, s := range secrets {
			marked[s] = path
		}
	}
	reported := map[string]bool{}
	for _, root := range []string{"testdata/credentials", "testdata/dialects", "testdata/negatives"} {
		for _, f := range scan(t, Options{Roots: []string{root}}).Findings {
			rel, _ := filepath.Rel("testdata", f.Path)
			rel = filepath.ToSlash(rel)
			if path, ok := marked[f.APIKey]; ok {
				t.Errorf("%s:%d: the secret of %s is shown in full as the API key (%s)", rel, f.Line, path, f.Rule)
			}
			if s := f.Secret.Reveal(); s != "" {
				reported[s] = true
				if marked[s] != rel {
					t.Errorf("%s:%d: reports a secret ending %s that fixtureSecrets does not mark for this file", rel, f.Line, f.Secret.Last4())
				}
			}
		}
	}
	for s, path := range marked {
		if !reported[s] {
			t.Errorf("%s: the secret ending %s is not reported", path, s[len(s)-4:])
		}
	}
}

// TestPublicKeyIsMadeInOnePlace reads the package's code: a publicKey is
// built only by knownPublicKey, and Finding.APIKey is set only from a
// publicKey (content.go), so no other value can reach it.
func TestPublicKeyIsMadeInOnePlace(t *testing.T) {
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := gotoken.NewFileSet()
	assignments := 0
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "publicKey" && p != "shape_publickey.go" {
					t.Errorf("%s: a publicKey is built outside knownPublicKey", fset.Position(n.Pos()))
				}
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "APIKey") {
						t.Errorf("%s: APIKey set in a literal; set it from a publicKey", fset.Position(n.Pos()))
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "APIKey" {
						assignments++
						if p != "content.go" || i >= len(n.Rhs) || !isPublicKeyString(n.Rhs[i]) {
							t.Errorf("%s: APIKey is set from something other than a publicKey", fset.Position(n.Pos()))
						}
					}
				}
			}
			return true
		})
	}
	if assignments != 1 {
		t.Errorf("APIKey is set in %d places, want exactly 1 (content.go)", assignments)
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// isPublicKeyString matches c.key.String().
func isPublicKeyString(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "String" {
		return false
	}
	inner, ok := sel.X.(*ast.SelectorExpr)
	return ok && inner.Sel.Name == "key"
}

// inInput reports a detected value present in the input: in clear, or
// base64-encoded alone or as KEY:SECRET with its pair.
func inInput(content []byte, c credential, v string) bool {
	if bytes.Contains(content, []byte(v)) {
		return true
	}
	enc := base64.StdEncoding.EncodeToString
	return bytes.Contains(content, []byte(enc([]byte(v)))) ||
		c.key.String() != "" && c.secret != "" && bytes.Contains(content, []byte(enc([]byte(c.key.String()+":"+c.secret))))
}

func TestDetectFallbackLiterals(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  []credential
	}{
		{"|| in an options object (tneos/thomasneos backend/mail.js)", []string{
			"const mailjet = new Mailjet({",
			`  apiKey: process.env.MJ_APIKEY_PUBLIC || "` + k1 + `",`,
			`  apiSecret: process.env.MJ_APIKEY_PRIVATE || "` + s1 + `",`,
			"});"},
			[]credential{cred(RuleMailjetPair, k1, s1, 3)}},
		{"|| inside a call", []string{"mj.connect(process.env.MJ_APIKEY_PUBLIC || '" + k1 + "', process.env.MJ_APIKEY_PRIVATE || '" + s1 + "')"},
			[]credential{cred(RuleMailjetPair, k1, s1, 1)}},
		{"?? (JS, C#)", []string{`const k = process.env.MAILJET_API_KEY ?? "` + k1 + `";`, `const s = process.env.MAILJET_SECRET_KEY ?? "` + s1 + `";`},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"?: after getenv (PHP)", []string{"'mailjet_api_key' => getenv('MJ_APIKEY_PUBLIC') ?: '" + k1 + "',", "'mailjet_secret_key' => getenv('MJ_APIKEY_PRIVATE') ?: '" + s1 + "',"},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"?? after $_ENV (PHP)", []string{"$key = $_ENV['MAILJET_APIKEY'] ?? '" + k1 + "';", "$secret = $_ENV['MAILJET_APISECRET'] ?? '" + s1 + "';"},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"or (Python)", []string{"api_key = os.environ.get('MJ_APIKEY_PUBLIC') or '" + k1 + "'", "api_secret = os.environ.get('MJ_APIKEY_PRIVATE') or '" + s1 + "'"},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"${X:-v} (shell, docker-compose)", []string{"MJ_APIKEY_PUBLIC=${MJ_APIKEY_PUBLIC:-" + k1 + "}", "MJ_APIKEY_PRIVATE=${MJ_APIKEY_PRIVATE:-" + s1 + "}"},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"${X-v} and ${X:=v}", []string{"export MJ_APIKEY_PUBLIC=${MJ_APIKEY_PUBLIC-" + k1 + "}", "export MJ_APIKEY_PRIVATE=${MJ_APIKEY_PRIVATE:=" + s1 + "}"},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"${X:v} (Spring)", []string{"mailjet.api-key=${MJ_KEY:" + k1 + "}", "mailjet.secret-key=${MJ_SECRET:" + s1 + "}"},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"the variable's name decides, not the option's", []string{
			`new Mailjet({ apiKey: process.env.MJ_APIKEY_PRIVATE || "` + s1 + `" })`},
			[]credential{cred(RuleMailjetSecret, "", s1, 1)}},
		{"a fallback to a call says nothing", []string{"const x = foo() || '" + k1 + "'; // mailjet"}, nil},
		{"|| alone is not a name: a word like color is not or", []string{"color '" + k1 + "' mailjet"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := detect(c.lines...); !slices.Equal(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestDetectRedactionByConstruction(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  []credential
	}{
		{"values pasted into getenv keep the call's positions", []string{
			`client = new MailjetClient(System.getenv("` + k1 + `"), System.getenv("` + s1 + `"));`},
			[]credential{cred(RuleMailjetClient, k1, s1, 1)}},
		{"a secret pasted into getenv alone is a secret", []string{
			`MailjetClient client = new MailjetClient(System.getenv("` + s1 + `"));`},
			[]credential{cred(RuleMailjetSecret, "", s1, 1)}},
		{"a first argument alone may be the secret", []string{
			"const mj = Mailjet.apiConnect('" + s1 + "', process.env.MJ_APIKEY_PRIVATE);"},
			[]credential{cred(RuleMailjetSecret, "", s1, 1)}},
		{"a named key alone is shown", []string{"MJ_APIKEY_PUBLIC=" + k1},
			[]credential{cred(RuleMailjetKey, k1, "", 1)}},
		{"getenv's name is the lookup's, through the call", []string{
			`String mjSecret = System.getenv("` + s1 + `");`},
			[]credential{cred(RuleMailjetSecret, "", s1, 1)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := detect(c.lines...); !slices.Equal(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestDetectKeyBesidePlaceholder(t *testing.T) {
	silent := [][]string{
		{"MJ_APIKEY_PUBLIC=" + k1, "MJ_APIKEY_PRIVATE=your_secret_here"},
		{"MAILJET_APIKEY=" + k1, "MAILJET_APISECRET=xxx"},
		{"MAILJET_API_KEY=" + k1, "MAILJET_SECRET_KEY=<secret>"},
		{"MAILJET_PUBLIC_KEY=" + k1, "MAILJET_PRIVATE_KEY=changeme"},
		{"MAILJET_PUBLIC_KEY=" + k1, "MAILJET_PRIVATE_KEY=********"},
		{`new Mailjet({ apiKey: "` + k1 + `", apiSecret: "YOUR_MAILJET_SECRET_KEY" })`},
		{"mailjet.apiConnect(process.env.MJ_APIKEY_PUBLIC || '" + k1 + "',", "  process.env.MJ_APIKEY_PRIVATE || '<your_private_api_key>')"},
		{"spring.mail.host=in-v3.mailjet.com", "spring.mail.username=" + k1, "spring.mail.password=YOUR_MAILJET_SECRET_KEY"},
	}
	for _, lines := range silent {
		if got := detect(lines...); len(got) != 0 {
			t.Errorf("%q: got %+v, want nothing (a template)", lines, got)
		}
	}
	// The secret kept elsewhere may be leaked elsewhere: the key is still reported.
	reported := [][]string{
		{"MJ_APIKEY_PUBLIC=" + k1, "MJ_APIKEY_PRIVATE=${MJ_SECRET}"},
		{"MJ_APIKEY_PUBLIC=" + k1, "MJ_APIKEY_PRIVATE="},
		{`new Mailjet({ apiKey: "` + k1 + `", apiSecret: process.env.MJ_APIKEY_PRIVATE })`},
		{"MJ_APIKEY_PUBLIC=" + k1, "", "", "", "", "MJ_APIKEY_PRIVATE=your_secret_here"}, // too far to be its slot
	}
	for _, lines := range reported {
		if got := detect(lines...); len(got) != 1 || got[0] != cred(RuleMailjetKey, k1, "", 1) {
			t.Errorf("%q: got %+v, want the key alone", lines, got)
		}
	}
}

func TestDetectSMTPGroups(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  []credential
	}{
		{"spring properties", []string{"spring.mail.host=in-v3.mailjet.com", "spring.mail.username=" + k1, "spring.mail.password=" + s1},
			[]credential{cred(RuleMailjetSMTP, k1, s1, 3)}},
		{"the legacy host counts", []string{"ACME_MAIL_HOST=in.mailjet.com", "ACME_MAIL_USERNAME=" + k1, "ACME_MAIL_PASSWORD=" + s1},
			[]credential{cred(RuleMailjetSMTP, k1, s1, 3)}},
		{"another host makes no group", []string{"# mailjet later", "spring.mail.host=smtp.gmail.com", "spring.mail.username=" + k1, "spring.mail.password=" + s1}, nil},
		{"a host that only looks like Mailjet's", []string{"spring.mail.host=smtp.mailjet.com.example.org", "spring.mail.username=" + k1, "spring.mail.password=" + s1}, nil},
		{"another group of the same file is not Mailjet's", []string{"ACME_MAIL_HOST=in-v3.mailjet.com", "ACME_DB_PASSWORD=" + s1}, nil},
		{"ansible", []string{`postfix_relayhost: "[in-v3.mailjet.com]:587"`, `postfix_sasl_username: "` + k1 + `"`, `postfix_sasl_password: "` + s1 + `"`},
			[]credential{cred(RuleMailjetSMTP, k1, s1, 3)}},
		{"a sasl_passwd map", []string{"[in-v3.mailjet.com]:587 " + k1 + ":" + s1},
			[]credential{cred(RuleMailjetSMTP, k1, s1, 1)}},
		{"an SMTP URL stays a DSN", []string{"MAILER_DSN=smtp://" + k1 + ":" + s1 + "@in-v3.mailjet.com:587"},
			[]credential{cred(RuleMailjetDSN, k1, s1, 1)}},
		{"magento's crypt key is not a credential", []string{"'crypt' => [", "    'key' => '" + k2 + "'", "],", "'smtp' => ['host' => 'in-v3.mailjet.com', 'username' => '" + k1 + "', 'password' => '" + s1 + "']"},
			[]credential{cred(RuleMailjetSMTP, k1, s1, 4)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := detect(c.lines...); !slices.Equal(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestDetectSecretNamedKey(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  []credential
	}{
		{"user and key (felipet/mailjet_client)", []string{"MAILJET_API_USER=" + k1, "MAILJET_API_KEY=" + s1},
			[]credential{cred(RuleMailjetPair, k1, s1, 2)}},
		{"a group with its secret keeps its key", []string{"MAILJET_API_USER=" + k1, "MAILJET_API_KEY=" + k2, "MAILJET_API_SECRET=" + s1},
			[]credential{cred(RuleMailjetKey, k1, "", 1), cred(RuleMailjetPair, k2, s1, 3)}},
		{"another group's key is not touched", []string{"SMTP_USER=" + k1, "MAILJET_API_KEY=" + k2},
			[]credential{cred(RuleMailjetKey, k1, "", 1), cred(RuleMailjetKey, k2, "", 2)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := detect(c.lines...); !slices.Equal(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestDetectResolvedLogins(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  []credential
	}{
		{"btoa of a concatenation of literals", []string{`fetch("https://api.mailjet.com/v3.1/send", {headers: {Authorization: "Basic " + btoa("` + k1 + `" + ":" + "` + s1 + `")}})`},
			[]credential{cred(RuleMailjetBasicAuth, k1, s1, 1)}},
		{"btoa of one literal", []string{`// api.mailjet.com`, `const auth = btoa("` + k1 + `:` + s1 + `");`},
			[]credential{cred(RuleMailjetBasicAuth, k1, s1, 2)}},
		{"PHP base64_encode of variables", []string{"<?php // api.mailjet.com", "$a = '" + k1 + "';", "$b = '" + s1 + "';", "$h = 'Authorization: Basic ' . base64_encode($a.':'.$b);"},
			[]credential{cred(RuleMailjetBasicAuth, k1, s1, 3)}},
		{"Python f-string", []string{"# mailjet", "a = '" + k1 + "'", "b = '" + s1 + "'", `token = base64.b64encode(f"{a}:{b}".encode())`},
			[]credential{cred(RuleMailjetBasicAuth, k1, s1, 3)}},
		{"client constructor with variables, options after", []string{"const PUB = '" + k1 + "', PVT = '" + s1 + "';", "Mailjet.apiConnect(PUB, PVT, { config: {} })"},
			[]credential{cred(RuleMailjetClient, k1, s1, 1)}},
		{"a variable defined nowhere", []string{"// mailjet", "btoa(a + ':' + b)"}, nil},
		{"one part only", []string{"// mailjet", "const a = '" + k1 + "';", "btoa(a)"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := detect(c.lines...); !slices.Equal(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestEncodedTokens(t *testing.T) {
	enc := base64.StdEncoding.EncodeToString
	one, pair := enc([]byte(k1)), enc([]byte(k1+":"+s1))
	cases := []struct {
		line string
		want []token
	}{
		{"MJ_APIKEY_PUBLIC: " + one, []token{{start: 18, end: 62, text: k1, encoded: true}}},
		{"MAILJET_API_KEY: " + pair, []token{{start: 17, end: 105, text: k1, secret: s1, encoded: true}}},
		{"Authorization: Basic " + pair, nil}, // read by basicHeaderValues
		{"x: " + enc([]byte(k1+"0")), nil},    // 33 bytes
		{"x: A" + one, nil},                   // inside a longer run
		{"x: " + enc([]byte(strings.ToUpper(k1))), nil},
		{"a == b", nil},
	}
	for _, c := range cases {
		if got := encodedTokens([]byte(c.line)); !slices.Equal(got, c.want) {
			t.Errorf("%q: got %+v, want %+v", c.line, got, c.want)
		}
	}
}

func TestFindShapeKeywords(t *testing.T) {
	enc := base64.StdEncoding.EncodeToString
	minified := "/*! license */\n" + strings.Repeat("var a=1;", minifiedLine/8)
	cases := []struct {
		display, text string
		bundle        bool
		encoded       int
	}{
		{"a.js", minified + `var s=new o.Z({apiKey:"x"})`, true, 0},
		{"a.js", minified + `r().apiConnect("x","y")`, true, 0},
		{"a.js", minified + `var apikey=1; ApiConnection()`, false, 0},
		{"a.js", "var s = new o.Z({apiKey: 'x'})\n", false, 0},        // not minified: such code names its module
		{"a.php", minified + `var s=new o.Z({apiKey:"x"})`, false, 0}, // bundles are scripts
		{"a.js", minified + `mailjet apiKey`, false, 0},               // the main pre-search already hit
		{"s.yaml", "h: " + enc([]byte("in-v3.mailjet.com")), false, 1},
		{"s.yaml", "h: " + enc([]byte("x.mailjet")), false, 1},
		{"s.yaml", "h: " + enc([]byte("xy.mailjet")), false, 1},
		{"s.yaml", "h: " + enc([]byte("mailjet")), false, 1},
		{"s.txt", "h: " + enc([]byte("mailjet")), false, 0},
		{"s.json", "WWW WordPress", false, 0},
	}
	for _, c := range cases {
		h := findKeywords([]byte(c.text))
		findShapeKeywords([]byte(c.text), c.display, &h)
		if h.bundle != c.bundle || len(h.encodedAt) != c.encoded {
			t.Errorf("%s %q: bundle %v encoded %d, want %v %d", c.display, c.text, h.bundle, len(h.encodedAt), c.bundle, c.encoded)
		}
	}
}

func TestUTF16(t *testing.T) {
	text := "MJ_APIKEY_PUBLIC=" + k1 + "\r\nMJ_APIKEY_PRIVATE=" + s1 + "\r\n# é 😀\r\n"
	units := utf16.Encode([]rune(text))
	le, be := []byte{0xFF, 0xFE}, []byte{0xFE, 0xFF}
	var bare []byte
	for _, u := range units {
		le = append(le, byte(u), byte(u>>8))
		be = append(be, byte(u>>8), byte(u))
		bare = append(bare, byte(u), byte(u>>8))
	}
	for name, b := range map[string][]byte{"LE with BOM": le, "BE with BOM": be, "LE without BOM": bare} {
		order := utf16Order(b[:min(len(b), binarySniffLen)])
		if order == notUTF16 {
			t.Errorf("%s: not recognised as UTF-16", name)
			continue
		}
		if got := string(decodeUTF16(b, order)); got != text {
			t.Errorf("%s: decoded %q, want %q", name, got, text)
		}
		var buf []byte
		got, reason := readText(bytes.NewReader(b), int64(len(b)), 1<<20, &buf)
		if reason != "" || string(got) != text {
			t.Errorf("%s: readText = %q, %q; want the text", name, got, reason)
		}
		got, reason = readText(bytes.NewReader(b), -1, 1<<20, &buf)
		if reason != "" || string(got) != text {
			t.Errorf("%s: readText of a stream = %q, %q; want the text", name, got, reason)
		}
	}
	// A lone surrogate and an odd last byte do not break the decoder.
	if got := string(decodeUTF16([]byte{0xFF, 0xFE, 'a', 0, 0x00, 0xD8, 'b', 0, 'c'}, littleEndian)); got != "a\uFFFDb" {
		t.Errorf("decoded %q", got)
	}
	for _, bin := range [][]byte{
		{0x89, 'P', 'N', 'G', 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 1, 0, 8, 6},
		bytes.Repeat([]byte{0}, 64),
		append([]byte("\x7fELF"), bytes.Repeat([]byte{1, 0, 0, 0}, 16)...),
	} {
		if utf16Order(bin) != notUTF16 {
			t.Errorf("%q taken for UTF-16", bin)
		}
		var buf []byte
		if _, reason := readText(bytes.NewReader(bin), int64(len(bin)), 1<<20, &buf); reason != reasonBinary {
			t.Errorf("%q: reason %q, want binary", bin, reason)
		}
	}
}

// TestFixturesNameTheirSources keeps the promise of dialects_test.go: each
// fixture of the issue-9 shapes is named there with the public project it
// comes from.
func TestFixturesNameTheirSources(t *testing.T) {
	src, err := os.ReadFile("dialects_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"fallback", "smtp", "encoded", "calls", "bundle", "userkey", "utf16"} {
		err := filepath.WalkDir(filepath.Join("testdata/dialects", dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel("testdata/dialects", p)
			if !bytes.Contains(src, []byte(`"`+filepath.ToSlash(rel)+`"`)) {
				t.Errorf("%s has no expected finding (and source) in dialects_test.go", rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzShapeDetection runs the whole content check, with the script and
// data pre-searches, on hostile input: it never panics, and it reports
// only Mailjet-shaped values, on lines of the input.
func FuzzShapeDetection(f *testing.F) {
	for _, dir := range []string{"testdata/dialects/fallback", "testdata/dialects/calls", "testdata/dialects/encoded", "testdata/dialects/bundle/static/js", "testdata/dialects/smtp"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b, uint8(0))
				f.Add(b, uint8(1))
			}
		}
	}
	f.Add([]byte("a\n  ?? '"+k1+"',\n${X:-"+s1+"}"), uint8(2))
	f.Fuzz(func(t *testing.T, content []byte, kind uint8) {
		display := []string{"x.js", "x.yaml", "x.php"}[int(kind)%3]
		lines := bytes.Count(content, []byte("\n")) + 1
		for _, fd := range credentialFindings(display, content) {
			if fd.APIKey != "" && !IsMailjetValue(fd.APIKey) || !fd.Secret.IsZero() && !IsMailjetValue(fd.Secret.Reveal()) {
				t.Fatalf("not a Mailjet value: %q / %q", fd.APIKey, fd.Secret.Last4())
			}
			if fd.Line < 1 || fd.Line > lines {
				t.Fatalf("line %d outside 1..%d", fd.Line, lines)
			}
		}
	})
}

// FuzzDecodeUTF16 checks the decoder on any bytes: it never panics and
// gives valid UTF-8.
func FuzzDecodeUTF16(f *testing.F) {
	f.Add([]byte{0xFF, 0xFE, 'a', 0, 0x3D, 0xD8, 0x00, 0xDE})
	f.Add([]byte{0xFE, 0xFF, 0, 'a', 0xD8})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, order := range []byteOrder{littleEndian, bigEndian} {
			if out := decodeUTF16(b, order); !utf8.Valid(out) {
				t.Fatalf("invalid UTF-8 from %q", b)
			}
		}
		utf16Order(b)
	})
}
