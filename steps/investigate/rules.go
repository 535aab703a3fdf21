package investigate

import (
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Rule ids are stable: reports, the UI and later steps key on them.
//
//	id                         category           severity      what
//	mailjet-pair               credential         critical      API key and secret in configuration (.env, define(), JSON, YAML...)
//	mailjet-dsn                credential         critical      key:secret joined, as in mailjet+api://KEY:SECRET@default
//	mailjet-client             credential         critical      key and secret passed to an SDK call: apiConnect('KEY', 'SECRET')
//	mailjet-smtp               credential         critical      SMTP login for in-v3.mailjet.com: user = key, password = secret
//	mailjet-basic-auth         credential         critical      HTTP basic authentication: Authorization: Basic base64(KEY:SECRET), curl -u KEY:SECRET
//	mailjet-secret             credential         high          secret whose key was not found nearby
//	mailjet-key                credential         low           public key with no secret nearby
//	exposed-env                exposure           high          .env* file inside a web root, or answered over HTTP
//	exposed-wp-config-backup   exposure           high          wp-config.php backup copy inside a web root, or answered over HTTP
//	exposed-phpinfo            exposure           medium        small PHP page calling phpinfo() inside a web root, or a phpinfo page over HTTP
//	exposed-git                exposure           high          .git folder inside a web root, or /.git/ readable over HTTP
//	exposed-log                exposure           medium        wp-content/debug.log or storage/logs/laravel*.log inside a web root, or over HTTP
//	exposed-backup             exposure           high          archive (zip, tar, gz) or SQL dump inside a web root, or over HTTP
//	outdated-wordpress         outdated-software  medium/high   WordPress older than the latest release (high: no security fixes at all)
//	vulnerable-wordpress       outdated-software  high          WordPress in a known-vulnerable range (from a Wordfence feed)
//	outdated-wordpress-plugin  outdated-software  medium        plugin older than a release the table knows
//	vulnerable-wordpress-plugin outdated-software critical/high plugin version in a known-vulnerable range
const (
	RuleMailjetPair      = "mailjet-pair"
	RuleMailjetDSN       = "mailjet-dsn"
	RuleMailjetClient    = "mailjet-client"
	RuleMailjetSMTP      = "mailjet-smtp"
	RuleMailjetBasicAuth = "mailjet-basic-auth"
	RuleMailjetSecret    = "mailjet-secret"
	RuleMailjetKey       = "mailjet-key"

	RuleExposedEnv      = "exposed-env"
	RuleExposedWPBackup = "exposed-wp-config-backup"
	RuleExposedPhpinfo  = "exposed-phpinfo"
	RuleExposedGit      = "exposed-git"
	RuleExposedLog      = "exposed-log"
	RuleExposedBackup   = "exposed-backup"

	RuleOutdatedWordPress   = "outdated-wordpress"
	RuleVulnerableWordPress = "vulnerable-wordpress"
	RuleOutdatedPlugin      = "outdated-wordpress-plugin"
	RuleVulnerablePlugin    = "vulnerable-wordpress-plugin"
)

// Rules lists every rule id, in the order of the table above.
func Rules() []string {
	return []string{
		RuleMailjetPair, RuleMailjetDSN, RuleMailjetClient, RuleMailjetSMTP, RuleMailjetBasicAuth,
		RuleMailjetSecret, RuleMailjetKey,
		RuleExposedEnv, RuleExposedWPBackup, RuleExposedPhpinfo, RuleExposedGit, RuleExposedLog, RuleExposedBackup,
		RuleOutdatedWordPress, RuleVulnerableWordPress, RuleOutdatedPlugin, RuleVulnerablePlugin,
		RuleDownloaded, RuleProbeDownloaded, RuleProbing,
	}
}

// RuleInfo is the fixed description of a rule, for reports (SARIF).
type RuleInfo struct {
	Category Category
	Severity Severity // the usual one; some findings of the rule differ
	Kind     string
	Message  string
}

// DescribeRule returns a rule's description; ok is false for an unknown id.
func DescribeRule(id string) (RuleInfo, bool) {
	r := ruleFor(id)
	if r.kind == "" {
		return RuleInfo{}, false
	}
	return RuleInfo{Category: r.category, Severity: r.severity, Kind: r.kind, Message: r.message}, true
}

// ruleInfo is the fixed part of a finding for one rule. Its kind and
// message are English, marked so a front-end can say them in the
// customer's language with lang's Text (see Finding.Say).
type ruleInfo struct {
	category Category
	severity Severity
	kind     string
	message  string
}

// ruleFor holds the wording of every rule. A switch, not a map, so the
// table cannot be changed at run time.
func ruleFor(id string) ruleInfo {
	switch id {
	case RuleMailjetPair:
		return ruleInfo{CategoryCredential, Critical, lang.Mark("Mailjet API key and secret"),
			lang.Mark("Anyone who finds this file can send email as you. The key and secret must be replaced (next step).")}
	case RuleMailjetDSN:
		return ruleInfo{CategoryCredential, Critical, lang.Mark("Mailjet API key and secret in a connection address"),
			lang.Mark("Anyone who finds this file can send email as you. The key and secret must be replaced (next step).")}
	case RuleMailjetClient:
		return ruleInfo{CategoryCredential, Critical, lang.Mark("Mailjet API key and secret written in program code"),
			lang.Mark("Anyone who finds this file can send email as you. The key and secret must be replaced (next step).")}
	case RuleMailjetSMTP:
		return ruleInfo{CategoryCredential, Critical, lang.Mark("Mailjet email server login (API key and secret)"),
			lang.Mark("Anyone who finds this file can log in to Mailjet's email server and send email as you. The key and secret must be replaced (next step).")}
	case RuleMailjetBasicAuth:
		return ruleInfo{CategoryCredential, Critical, lang.Mark("Mailjet API key and secret in a basic-authentication login"),
			lang.Mark("This is your API key and secret as a program sends them to Mailjet (base64 is an encoding, not a protection): anyone who finds it can send email as you. The key and secret must be replaced (next step).")}
	case RuleMailjetSecret:
		return ruleInfo{CategoryCredential, High, lang.Mark("Mailjet API secret"),
			lang.Mark("This is a Mailjet secret key: together with your API key, which is not secret, it lets anyone send email as you. It must be replaced (next step).")}
	case RuleMailjetKey:
		return ruleInfo{CategoryCredential, Low, lang.Mark("Mailjet API key (no secret nearby)"),
			lang.Mark("An API key alone cannot send email, but it shows which Mailjet account this file belongs to; make sure its secret is not stored anywhere else.")}
	case RuleExposedEnv:
		return ruleInfo{CategoryExposure, High, lang.Mark("Settings file published on the website"),
			lang.Mark("This file is in a folder the web server publishes, so anyone can download it, with every password and key in it. Delete it or move it out of the website's folder.")}
	case RuleExposedWPBackup:
		return ruleInfo{CategoryExposure, High, lang.Mark("Copy of wp-config.php published on the website"),
			lang.Mark("The web server sends this backup as plain text instead of running it, so anyone can read the database password and keys in it. Delete it.")}
	case RuleExposedPhpinfo:
		return ruleInfo{CategoryExposure, Medium, lang.Mark("PHP information page"),
			lang.Mark("This page shows anyone every setting and environment variable of the server, secrets included. Delete it.")}
	case RuleExposedGit:
		return ruleInfo{CategoryExposure, High, lang.Mark("Program history (.git folder) published on the website"),
			lang.Mark("Anyone can download this folder and rebuild the site's code and its past versions, including any keys ever saved in it. Delete it from the website.")}
	case RuleExposedLog:
		return ruleInfo{CategoryExposure, Medium, lang.Mark("Error log published on the website"),
			lang.Mark("Anyone can read this log, which often contains email addresses, file paths and sometimes passwords. Delete it and turn off logging to the website's folder.")}
	case RuleExposedBackup:
		return ruleInfo{CategoryExposure, High, lang.Mark("Backup or database dump published on the website"),
			lang.Mark("Anyone can download this backup, with the site's configuration, database and any keys in it. Delete it or move it out of the website's folder.")}
	case RuleOutdatedWordPress:
		// Severity and message depend on the version: see wordpress.go.
		return ruleInfo{CategoryOutdated, Medium, lang.Mark("Outdated WordPress"), lang.Mark("WordPress is older than the latest release: update it.")}
	case RuleVulnerableWordPress:
		return ruleInfo{CategoryOutdated, High, lang.Mark("WordPress version with a known security hole"), lang.Mark("Update WordPress.")}
	case RuleOutdatedPlugin:
		return ruleInfo{CategoryOutdated, Medium, lang.Mark("Outdated WordPress plugin"), lang.Mark("This plugin is older than a release known to mjrecover: update it.")}
	case RuleVulnerablePlugin:
		return ruleInfo{CategoryOutdated, High, lang.Mark("WordPress plugin with a known security hole"), lang.Mark("Attackers look for this plugin version to break in: update the plugin now, or remove it.")}
	}
	return accessRuleFor(id)
}

// newFinding fills a finding from its rule; path and line are the caller's.
func newFinding(rule, path string, line int) Finding {
	info := ruleFor(rule)
	return Finding{
		Rule:     rule,
		Category: info.category,
		Severity: info.severity,
		Path:     untrusted.Clean(path),
		Line:     line,
		Kind:     info.kind,
		Message:  info.message,
	}
}

// Facts are the values a WordPress or plugin finding's message names.
// They are kept (the journal), so the message can be said again in any
// language.
type Facts struct {
	Plugin      string `json:"plugin,omitempty"`      // the plugin, named with its version: "Contact Form 7 (contact-form-7) 5.1"; "" for WordPress
	Version     string `json:"version,omitempty"`     // WordPress's version
	Latest      string `json:"latest,omitempty"`      // the latest release (WordPress), or the release the plugin is older than
	Unsupported bool   `json:"unsupported,omitempty"` // WordPress's branch gets no security fixes any more
	Holes       int    `json:"holes,omitempty"`       // known security holes in the version (0: it is only outdated)
	Hole        string `json:"hole,omitempty"`        // the first hole, described (with its CVE)
	Fixed       string `json:"fixed,omitempty"`       // the version that fixes it, when known
}

// Say is the finding's message in p's language (nil: English, which is
// Message). The scanner's own reports keep Message.
func (f Finding) Say(p *lang.Printer) string {
	if f.Access != nil {
		return f.Access.say(p, f.Rule, time.UTC)
	}
	if f.Facts == nil {
		return p.Text(f.Message)
	}
	return f.Facts.say(p)
}

func (x *Facts) say(p *lang.Printer) string {
	if x.Holes == 0 {
		switch {
		case x.Plugin != "":
			return p.T("The plugin %[1]s is older than version %[2]s. Old plugins are the usual way into a WordPress site: update it.", x.Plugin, x.Latest)
		case x.Unsupported:
			return p.T("This website runs WordPress %[1]s, which no longer gets any security fixes (the latest version is %[2]s). "+
				"Sites this old are broken into easily: update WordPress now.", x.Version, x.Latest)
		}
		return p.T("This website runs WordPress %[1]s, but the latest version is %[2]s. Old versions have security holes "+
			"that attackers use to break in and steal passwords and keys: update WordPress.", x.Version, x.Latest)
	}
	var msg string
	switch {
	case x.Plugin != "" && x.Holes == 1:
		msg = p.T("The plugin %[1]s has a known security hole: %[2]s.", x.Plugin, x.Hole)
	case x.Plugin != "":
		msg = p.T("The plugin %[1]s has %[2]d known security holes, among them: %[3]s.", x.Plugin, x.Holes, x.Hole)
	case x.Holes == 1:
		msg = p.T("WordPress %[1]s has a known security hole: %[2]s.", x.Version, x.Hole)
	default:
		msg = p.T("WordPress %[1]s has %[2]d known security holes, among them: %[3]s.", x.Version, x.Holes, x.Hole)
	}
	if x.Fixed != "" {
		msg += " " + p.T("Fixed in version %s.", x.Fixed)
	}
	if x.Plugin != "" {
		return msg + " " + p.T("Attackers look for such versions: update the plugin now, or remove it.")
	}
	return msg + " " + p.T("Attackers look for such versions: update WordPress now.")
}
