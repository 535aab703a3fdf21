package investigate

import (
	"slices"
	"strings"
)

// role is what a value is: the public API key or the secret.
type role int

const (
	roleNone role = iota
	roleKey
	roleSecret
)

// class is what a value's naming says about it.
type class struct {
	role       role
	positional bool   // role from the argument position in a call, not from a name
	mailjet    bool   // the name itself says Mailjet (MAILJET_…, MJ_…)
	generic    bool   // every word of the name is a plain credential word (user, pass, api, key…)
	smtp       bool   // user/login or password naming, as SMTP settings use
	smtpGroup  bool   // the name is under a setting group whose host is Mailjet's (see shape_smtp.go)
	name       string // the nearest name (apiKey, MJ_APIKEY_PUBLIC), for the checks of shape_*.go
}

// classify decides what a value is from its naming. ok is false when the
// name says it is something else (an id, a hash, a WordPress salt) or
// says nothing.
func classify(n naming) (c class, ok bool) {
	// 'KEY', 'SECRET' or f(other, 'SECRET'): the "name" is the argument
	// before, so only the position speaks.
	nearest := ""
	if len(n.segments) > 0 {
		nearest = n.segments[len(n.segments)-1]
	}
	if strings.Contains(n.seps, ",") && (!n.quoted || IsMailjetValue(nearest)) {
		return class{role: roleSecret, positional: true, generic: true, name: nearest}, true
	}
	all := words(strings.Join(n.segments, "."))
	last := words(nearest)
	if isNotCredential(nearest, last) {
		return class{}, false
	}
	c.name = nearest
	c.mailjet = slices.Contains(all, "mj") || slices.ContainsFunc(all, func(w string) bool { return strings.Contains(w, "mailjet") }) ||
		isMailjetCall(last)
	c.generic = !slices.ContainsFunc(all, func(w string) bool { return !isGenericWord(w) })
	c.role = roleFromName(nearest)
	if c.role == roleNone {
		c.role = roleFromName(strings.Join(n.segments, ""))
	}
	if c.role != roleNone {
		c.smtp = isSMTPName(c.role, last)
		return c, true
	}
	// new Client('KEY', …), auth=('KEY', …): the first argument is the key.
	if strings.ContainsAny(n.seps, "([") {
		c.role, c.positional = roleKey, true
		return c, true
	}
	return class{}, false
}

// roleFromName reads the role from a name; a secret word wins over a key
// word because secrets are often called "…SECRET_KEY" or "APIKEY_PRIVATE".
func roleFromName(name string) role {
	up := strings.ToUpper(name)
	for _, w := range []string{"SECRET", "PRIVATE", "PASS", "PWD"} {
		if strings.Contains(up, w) {
			return roleSecret
		}
	}
	for _, w := range []string{"KEY", "PUBLIC", "USER", "LOGIN"} {
		if strings.Contains(up, w) {
			return roleKey
		}
	}
	return roleNone
}

// isNotCredential spots names of 32-hex values that are not credentials:
// ids (MessageID, CampaignID, MessageUUID), hashes and checksums, and
// WordPress's salts and keys (AUTH_KEY…), which are random but not Mailjet's.
func isNotCredential(name string, last []string) bool {
	for _, w := range last {
		switch w {
		case "id", "ids", "uuid", "guid", "uid", "hash", "hashes", "checksum", "checksums",
			"md5", "sha", "sha1", "sha256", "shasum", "integrity", "etag", "digest",
			"fingerprint", "signature", "sig", "version", "ver", "rev", "revision",
			"commit", "reference", "ref", "build", "cache", "csrf", "session",
			"salt", "nonce":
			return true
		}
		for _, suffix := range []string{"uuid", "guid", "hash", "checksum", "md5"} {
			if strings.HasSuffix(w, suffix) {
				return true
			}
		}
	}
	switch strings.ToUpper(strings.NewReplacer("_", "", "-", "").Replace(name)) {
	case "AUTHKEY", "SECUREAUTHKEY", "LOGGEDINKEY", "NONCEKEY":
		return true
	}
	return false
}

// isGenericWord lists the words a credential's name may be made of when
// only the file, not the name or line, mentions Mailjet: "MAIL_PASSWORD"
// and "$mail->Username" qualify; "DB_PASSWORD" does not.
func isGenericWord(w string) bool {
	switch w {
	case "mail", "mailer", "email", "smtp", "host", "server", "api", "apikey", "apisecret",
		"key", "keys", "secret", "secrets", "secretkey", "publickey", "privatekey",
		"user", "username", "usr", "login", "pass", "password", "passwd", "pwd",
		"public", "private", "auth", "config", "cfg", "conf", "configuration",
		"settings", "setting", "options", "opts", "params", "credentials", "credential",
		"creds", "transport", "transporter", "client", "this", "self", "account",
		"sender", "phpmailer", "nodemailer", "wpms", "mj", "mailjet",
		"sasl",        // Postfix's SMTP login: postfix_sasl_username
		"set", "with": // SwiftMailer's ->setUsername(), Symfony's ->withPassword()
		return true
	}
	return false
}

func isSMTPName(r role, last []string) bool {
	for _, w := range last {
		switch {
		case r == roleKey && (w == "user" || w == "username" || w == "usr" || w == "login"):
			return true
		case r == roleSecret && (w == "pass" || w == "password" || w == "passwd" || w == "pwd"):
			return true
		}
	}
	return false
}

// isMailjetCall reports node-mailjet's constructor, apiConnect, whose name
// survives minification: x.apiConnect("KEY", "SECRET") needs no other
// mention of Mailjet.
func isMailjetCall(last []string) bool {
	n := len(last)
	return n >= 2 && last[n-2] == "api" && last[n-1] == "connect"
}

// isNotCredentialBlock reports a block whose values are not credentials
// of any service: Magento's 'crypt' => ['key' => '…'] (app/etc/env.php),
// which is 32 hex like a Mailjet key, and blocks of caches, sessions and
// signing keys.
func isNotCredentialBlock(name string) bool {
	for _, w := range words(name) {
		switch w {
		case "crypt", "crypto", "encryption", "encrypt", "cipher", "cache", "session", "csrf", "jwt",
			"salt", "signing", "hmac", "graphql":
			return true
		}
	}
	return false
}
