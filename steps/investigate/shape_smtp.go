package investigate

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strings"
)

// SMTP logins named by the application, not by Mailjet: Spring's
// spring.mail.host=in-v3.mailjet.com with spring.mail.username and
// .password, PRETALX_MAIL_HOST with PRETALX_MAIL_USER, Ansible's
// postfix_relayhost: "[in-v3.mailjet.com]:587" with postfix_sasl_username.
// The names say nothing of Mailjet; the host setting beside them does. So
// a setting whose value is Mailjet's SMTP host (in-v3.mailjet.com, or the
// legacy in.mailjet.com) makes the words before its "host" a Mailjet group,
// and a user or password under the same words belongs to Mailjet. Any
// other host (smtp.gmail.com, a DB_HOST) makes no group.

// maxSMTPHosts bounds the host settings looked at in one file.
const maxSMTPHosts = 64

// mailjetSMTPHosts returns the setting groups whose host is Mailjet's
// SMTP server, and whether a base64 value names Mailjet (a Kubernetes
// Secret's SMTP_HOST: aW4tdjMubWFpbGpldC5jb20=), which makes the file
// mention Mailjet.
func mailjetSMTPHosts(content []byte, hits keywordHits) (groups [][]string, encoded bool) {
	add := func(line []byte, start int) {
		if len(groups) >= maxSMTPHosts {
			return
		}
		if g := groupOf(nameBefore(line, start)); !slices.ContainsFunc(groups, func(x []string) bool { return slices.Equal(x, g) }) {
			groups = append(groups, g)
		}
	}
	for _, o := range hits.mailjetAt {
		if start, ok := smtpHostAt(content, o); ok {
			line, at := lineAround(content, start)
			if at > 0 && line[at-1] == '[' { // Postfix: [in-v3.mailjet.com]:587
				at--
			}
			add(line, at)
		}
	}
	for _, o := range hits.encodedAt {
		start, end := base64Run(content, o)
		var dec [96]byte
		if end-start > 128 {
			continue
		}
		n, err := base64.StdEncoding.Decode(dec[:], content[start:end])
		if err != nil || !containsFold(dec[:n], "mailjet") {
			continue
		}
		encoded = true
		if _, ok := smtpHostAt(dec[:n], bytes.Index(bytes.ToLower(dec[:n]), []byte("mailjet"))); ok {
			line, at := lineAround(content, start)
			add(line, at)
		}
	}
	return groups, encoded
}

// smtpHostAt reports Mailjet's SMTP host around "mailjet" at b[o:], and
// where the host starts.
func smtpHostAt(b []byte, o int) (int, bool) {
	if o < 0 || o+11 > len(b) || !equalFoldASCII(b[o+7:o+11], ".com") {
		return 0, false
	}
	for _, prefix := range []string{"in-v3.", "in."} {
		s := o - len(prefix)
		if s >= 0 && equalFoldASCII(b[s:o], prefix) && (s == 0 || !isAlnum(b[s-1]) && b[s-1] != '-' && b[s-1] != '.') {
			return s, true
		}
	}
	return 0, false
}

// namesSMTPHost reports a line holding Mailjet's SMTP host.
func namesSMTPHost(line []byte) bool {
	return containsFold(line, "in-v3.mailjet.com") || containsFold(line, "in.mailjet.com")
}

// lineAround returns the line holding b[off] and off's offset in it.
func lineAround(b []byte, off int) ([]byte, int) {
	start := bytes.LastIndexByte(b[:off], '\n') + 1
	end := len(b)
	if i := bytes.IndexByte(b[off:], '\n'); i >= 0 {
		end = off + i
	}
	return b[start:end], off - start
}

// groupOf returns the words of a host setting's name before its host
// word: spring.mail.host → [spring mail]; postfix_relayhost → [postfix];
// host → [].
func groupOf(n naming) []string {
	w := words(strings.Join(n.segments, "."))
	for len(w) > 0 && isHostWord(w[len(w)-1]) {
		w = w[:len(w)-1]
	}
	return w
}

func isHostWord(w string) bool {
	switch w {
	case "host", "hostname", "relayhost", "relay", "smarthost", "server", "address", "addr", "url", "dsn", "name":
		return true
	}
	return false
}

// inSMTPGroup reports a name made of a Mailjet host group's words
// followed by plain credential words: spring.mail.username under the
// group [spring mail], postfix_sasl_password under [postfix].
func inSMTPGroup(segments []string, groups [][]string) bool {
	if len(groups) == 0 {
		return false
	}
	w := words(strings.Join(segments, "."))
	for _, g := range groups {
		if len(g) == 0 || len(w) <= len(g) || !slices.Equal(w[:len(g)], g) {
			continue
		}
		if !slices.ContainsFunc(w[len(g):], func(x string) bool { return !isGenericWord(x) }) {
			return true
		}
	}
	return false
}

// base64Run returns the base64 run (with its padding) around b[o].
func base64Run(b []byte, o int) (start, end int) {
	start = o
	for start > 0 && isBase64Char(b[start-1]) {
		start--
	}
	end = o
	for end < len(b) && isBase64Char(b[end]) {
		end++
	}
	for end < len(b) && end-start < 200 && b[end] == '=' {
		end++
	}
	return start, end
}

func isBase64Char(c byte) bool { return isAlnum(c) || c == '+' || c == '/' }
