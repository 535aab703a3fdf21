package investigate

import "github.com/mjrecover/mjrecover/api/untrusted"

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

// ruleInfo is the fixed part of a finding for one rule.
type ruleInfo struct {
	category Category
	severity Severity
	kind     string
	message  string
}

const replaceAdvice = "The key and secret must be replaced (next step)."

// ruleFor holds the wording of every rule. A switch, not a map, so the
// table cannot be changed at run time.
func ruleFor(id string) ruleInfo {
	switch id {
	case RuleMailjetPair:
		return ruleInfo{CategoryCredential, Critical, "Mailjet API key and secret",
			"Anyone who finds this file can send email as you. " + replaceAdvice}
	case RuleMailjetDSN:
		return ruleInfo{CategoryCredential, Critical, "Mailjet API key and secret in a connection address",
			"Anyone who finds this file can send email as you. " + replaceAdvice}
	case RuleMailjetClient:
		return ruleInfo{CategoryCredential, Critical, "Mailjet API key and secret written in program code",
			"Anyone who finds this file can send email as you. " + replaceAdvice}
	case RuleMailjetSMTP:
		return ruleInfo{CategoryCredential, Critical, "Mailjet email server login (API key and secret)",
			"Anyone who finds this file can log in to Mailjet's email server and send email as you. " + replaceAdvice}
	case RuleMailjetBasicAuth:
		return ruleInfo{CategoryCredential, Critical, "Mailjet API key and secret in a basic-authentication login",
			"This is your API key and secret as a program sends them to Mailjet (base64 is an encoding, not a protection): anyone who finds it can send email as you. " + replaceAdvice}
	case RuleMailjetSecret:
		return ruleInfo{CategoryCredential, High, "Mailjet API secret",
			"This is a Mailjet secret key: together with your API key, which is not secret, it lets anyone send email as you. It must be replaced (next step)."}
	case RuleMailjetKey:
		return ruleInfo{CategoryCredential, Low, "Mailjet API key (no secret nearby)",
			"An API key alone cannot send email, but it shows which Mailjet account this file belongs to; make sure its secret is not stored anywhere else."}
	case RuleExposedEnv:
		return ruleInfo{CategoryExposure, High, "Settings file published on the website",
			"This file is in a folder the web server publishes, so anyone can download it, with every password and key in it. Delete it or move it out of the website's folder."}
	case RuleExposedWPBackup:
		return ruleInfo{CategoryExposure, High, "Copy of wp-config.php published on the website",
			"The web server sends this backup as plain text instead of running it, so anyone can read the database password and keys in it. Delete it."}
	case RuleExposedPhpinfo:
		return ruleInfo{CategoryExposure, Medium, "PHP information page",
			"This page shows anyone every setting and environment variable of the server, secrets included. Delete it."}
	case RuleExposedGit:
		return ruleInfo{CategoryExposure, High, "Program history (.git folder) published on the website",
			"Anyone can download this folder and rebuild the site's code and its past versions, including any keys ever saved in it. Delete it from the website."}
	case RuleExposedLog:
		return ruleInfo{CategoryExposure, Medium, "Error log published on the website",
			"Anyone can read this log, which often contains email addresses, file paths and sometimes passwords. Delete it and turn off logging to the website's folder."}
	case RuleExposedBackup:
		return ruleInfo{CategoryExposure, High, "Backup or database dump published on the website",
			"Anyone can download this backup, with the site's configuration, database and any keys in it. Delete it or move it out of the website's folder."}
	case RuleOutdatedWordPress:
		// Severity and message depend on the version: see wordpress.go.
		return ruleInfo{CategoryOutdated, Medium, "Outdated WordPress", "WordPress is older than the latest release: update it."}
	case RuleVulnerableWordPress:
		return ruleInfo{CategoryOutdated, High, "WordPress version with a known security hole", "Update WordPress."}
	case RuleOutdatedPlugin:
		return ruleInfo{CategoryOutdated, Medium, "Outdated WordPress plugin", "This plugin is older than a release known to mjrecover: update it."}
	case RuleVulnerablePlugin:
		return ruleInfo{CategoryOutdated, High, "WordPress plugin with a known security hole", "Attackers look for this plugin version to break in: update the plugin now, or remove it."}
	}
	return ruleInfo{}
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
