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
// comes from the environment; and, in the folders, the shapes of issue 9,
// each named after the public project it comes from.
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
		// A webpack chunk with node-mailjet's own option and call names and
		// no "mailjet" in it: the SDK's documented constructors
		// (mailjet/mailjet-apiv3-nodejs README: new Mailjet({apiKey,
		// apiSecret}), Mailjet.apiConnect(key, secret)) as a minifier
		// leaves them.
		{RuleMailjetClient, "bundle/static/js/main.3f9a1c2e.chunk.js", 1, "7262665420e9ef0fc4a16bec4c611500", "2989"},
		{RuleMailjetPair, "bundle/static/js/main.3f9a1c2e.chunk.js", 1, "8fee3a981b392c28ed67ced76c2f57d5", "5a82"},
		// Calls written over several lines. EmailService.java: the Java
		// examples' new MailjetClient(System.getenv(…), System.getenv(…),
		// new ClientOptions("v3.1")) (mailjet/api-documentation) with the
		// values written in, and line 14 the key and secret pasted inside
		// System.getenv("…"), as public Java projects do: before, the
		// secret was printed in full as a key.
		{RuleMailjetClient, "calls/EmailService.java", 9, "e6378d2685370c269e18c740701e56f8", "f968"},
		{RuleMailjetClient, "calls/EmailService.java", 14, "3be090dd6e00400ada147bf332a418af", "70ab"},
		// The C# examples' new MailjetClient(
		// Environment.GetEnvironmentVariable("MJ_APIKEY_PUBLIC"), …)
		// (mailjet/api-documentation, mailjet/mailjet-apiv3-dotnet), values
		// pasted in place of the names.
		{RuleMailjetClient, "calls/Program.cs", 5, "22a961f44bb1c775d3c450d4f7f1cfde", "c9cc"},
		// WeerayoothM/mobile-app learn-backend/util/email.js:
		// require("node-mailjet").connect(\n "KEY",\n "SECRET"\n).
		{RuleMailjetClient, "calls/email.js", 3, "06c0cb0857d26fa550df01dfddf6959d", "8e6e"},
		// mailjet/mailjet-apiv3-php README: new \Mailjet\Client(KEY, SECRET,
		// true, ['version' => 'v3.1']), one argument a line.
		{RuleMailjetClient, "calls/send.php", 7, "9bec2324a6c7801772fbcb67fa08ba37", "383e"},
		// radhika022/ecom test.js: const PUB = "…", PVT = "…", then
		// Mailjet.apiConnect(\n PUB,\n PVT\n).
		{RuleMailjetClient, "calls/test.js", 2, "b4a6b7d99f1b14b13f531c8b12f1c01a", "9258"},
		{RuleMailjetPair, "config/mail.yaml", 5, "9a0364b9e99bb480dd25e1f0284c8555", "d079"},
		{RuleMailjetPair, "docker-compose.yml", 6, "e4d909c290d0fb1ca068ffaddf22cbd0", "9d21"},
		// A Kubernetes Secret's data: MJ_APIKEY_PUBLIC/PRIVATE base64-encoded,
		// and MAILJET_API_KEY holding base64("KEY:SECRET") as
		// mailgun/mailjet-mcp-server takes it.
		{RuleMailjetPair, "encoded/mailjet-secret.yaml", 8, "61aaabf8b0a0100d6be30f19945f102b", "fd33"},
		{RuleMailjetBasicAuth, "encoded/mailjet-secret.yaml", 16, "db6ddb2c374a0b739e3b01ecc102ecfc", "e96b"},
		// AccessibleAI/cnvrg-operator pkg/controlplane/tmpl/conf/cm/secret-smtp.tpl,
		// rendered: SMTP_SERVER, SMTP_USERNAME, SMTP_PASSWORD all base64,
		// so "mailjet" is nowhere in clear.
		{RuleMailjetSMTP, "encoded/secret-smtp.yaml", 12, "490849476d049131f1423795bc5142dc", "3f1a"},
		// A fetch to api.mailjet.com with "Basic " + btoa(`${config.pub}:${config.priv}`)
		// and Buffer.from(a + ":" + b).toString('base64'), the parts
		// defined in the same file (the shape of node apps calling the
		// v3.1 Send API without the SDK).
		{RuleMailjetBasicAuth, "encoded/send-mailjet.ts", 7, "1fa5370e76d4d873fd8c1311c6e29ea1", "233e"},
		{RuleMailjetBasicAuth, "encoded/send-mailjet.ts", 23, "00ee3e3a4d7d17a7b0c8fcf546d26cd8", "a6f8"},
		// Fallback literals. Spring's ${MAILJET_API_KEY:literal}.
		{RuleMailjetPair, "fallback/application.yml", 3, "1b811c46df20cda96b029286f1853884", "93d9"},
		// MTES-MCT/camino-api src/tools/api-mailjet/index.ts:
		// mj.connect(process.env.API_MAILJET_KEY || '…', …).
		{RuleMailjetPair, "fallback/camino-index.ts", 5, "3b982cd73569d2c89f5a86d6314cd10f", "b27b"},
		// docker-compose environment: MAILJET_API_KEY=${MAILJET_API_KEY:-literal}.
		{RuleMailjetPair, "fallback/docker-compose.yml", 6, "cb7c5bcdc63c29bedc1059b007e52b68", "3ece"},
		// VraiBrujah/GeeknDragon config.php: 'username' => $_ENV['SMTP_USERNAME']
		// ?? '…' over two lines, and getenv('MJ_APIKEY_PUBLIC') ?: '…'.
		{RuleMailjetSMTP, "fallback/geekndragon-config.php", 9, "40ac6403517b0f552ad207f6a52f768c", "5329"},
		{RuleMailjetPair, "fallback/geekndragon-config.php", 16, "83e0572c8b9d4e3368bc21f4cc81146b", "2cd1"},
		// hackwestern/hackwestern src/server/mail.ts: Mailjet.apiConnect(
		// process.env.MAILJET_API_KEY ?? "…", …).
		{RuleMailjetPair, "fallback/hackwestern-mail.ts", 5, "9375104bbb371c2520f901b178238301", "8b7f"},
		// tneos/thomasneos backend/mail.js: new Mailjet({ apiKey:
		// process.env.MJ_APIKEY_PUBLIC || "…", apiSecret: … || "…" }).
		{RuleMailjetPair, "fallback/thomasneos-mail.js", 5, "c7cef5c3f2c3b37b2e57228e648975f8", "802f"},
		{RuleMailjetPair, "far.env", 42, "9bf31c7ff062936a96d3c8bd1f8f2ff3", "e21b"},
		{RuleMailjetBasicAuth, "logs/access.log", 3, "d41d8cd98f00b204e9800998ecf8427e", "0cb9"},
		{RuleMailjetClient, "main.go", 6, "c0ffee5a1b2c3d4e5f60718293a4b5c6", "331c"},
		{RuleMailjetBasicAuth, "send.sh", 3, "1f3870be274f6c49b3e31a0c6728957f", "aacd"},
		{RuleMailjetPair, "settings.py", 6, "b8e2f1c09a7d4e3f5a6b7c8d9e0f1a2b", "37be"},
		// SMTP logins named by the application. Spring Boot's spring.mail.*
		// properties (spring-projects/spring-boot MailProperties) in a
		// Spring test's @TestPropertySource(properties = {…}) and in
		// application.properties beside an unrelated datasource password.
		{RuleMailjetSMTP, "smtp/MailjetIntegrationTest.java", 11, "303c4513ca9e4a40c42d44afd73f3736", "7bf0"},
		// Magento's app/etc/env.php (magento/magento2) with
		// mageplaza/magento-2-smtp's smtp/configuration_option settings;
		// its 'crypt' => ['key' => …] is not reported.
		{RuleMailjetSMTP, "smtp/app/etc/env.php", 30, "6d329cccf735aebe7d8d34e3c0fe2c55", "061b"},
		{RuleMailjetSMTP, "smtp/application.properties", 7, "e82c5ab2f592032c3649b9d2b30ed173", "c582"},
		// A Postfix sasl_passwd map, [host]:port user:password (the format
		// of tlissak/apache-config doc/postfix.md).
		{RuleMailjetSMTP, "smtp/etc/postfix/sasl_passwd", 1, "22ab3c3191b5e8f8fcf660b4d4cd90e6", "8e03"},
		// dgibbs64/ansible-role-postfix_send_only_relay README's example
		// playbook: postfix_relayhost "[in-v3.mailjet.com]:587" with
		// postfix_sasl_username and postfix_sasl_password.
		{RuleMailjetSMTP, "smtp/postfix-playbook.yml", 8, "9b885b7cc3927fe8ef772033f19d0b8a", "63b4"},
		// pretalx/pretalx src/pretalx/settings.py reads PRETALX_MAIL_HOST,
		// _USER and _PASSWORD (and PRETALX_DB_PASS, not reported).
		{RuleMailjetSMTP, "smtp/pretalx.env", 5, "2563f1a83f59c016677e88d85c4817e2", "4ad0"},
		{RuleMailjetSMTP, "swift.php", 4, "7f3e9d2c1b0a99887766554433221100", "b788"},
		// felipet/mailjet_client examples/simple_send_v3.rs reads the key as
		// MAILJET_API_USER and the secret as MAILJET_API_KEY: shown as a key
		// before, the secret is now reported as the secret.
		{RuleMailjetPair, "userkey/simple_send_v3.env", 3, "43b10d8165127cc4473444fd197aefd6", "514f"},
		// UTF-16 files, as Windows tools save them: a .env in UTF-16BE with
		// its byte-order mark, an .ini in UTF-16LE without one, and an IIS
		// web.config (<add key="MailjetApiKey" value="…" />) in UTF-16LE with
		// CRLF lines.
		{RuleMailjetPair, "utf16/.env", 2, "d971203658087639b3b349bf4d24b6f7", "6c3d"},
		{RuleMailjetPair, "utf16/settings.ini", 3, "b3b2ac1f85a8b0ad2d570c2fad073bb6", "0caf"},
		{RuleMailjetPair, "utf16/web.config", 5, "5b402c251600ee4fb42f96fe5bbe9987", "01a3"},
		{RuleExposedEnv, ".env.production", 0, "", ""},
		{RuleExposedBackup, "backup.sql", 0, "", ""},
		{RuleMailjetSecret, "secret-only.php", 3, "", "303f"},
		{RuleExposedEnv, "utf16/.env", 0, "", ""},
	})
}

func TestBasicHeaderNeedsMailjetNamed(t *testing.T) {
	header := "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(k1+":"+s1))
	if got := detect("GET https://internal.example.test/token", header); len(got) != 0 {
		t.Errorf("a hex:hex header in a file that never names Mailjet was reported: %+v", got)
	}
	got := detect("POST https://api.mailjet.com/v3/send", header)
	if len(got) != 1 || got[0] != (cred(RuleMailjetBasicAuth, k1, s1, 2)) {
		t.Errorf("got %+v, want the pair", got)
	}
}
