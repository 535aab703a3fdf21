package review

import (
	"bytes"
	"io"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/mjrecover/mjrecover/api/mailjet"
)

// registrable returns the registrable domain of a host name
// ("www.example.co.uk" → "example.co.uk"), lower case, or "" for an IP
// address, a single label or anything that is not a host name.
func registrable(host string) string {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if host == "" || net.ParseIP(host) != nil || !strings.Contains(host, ".") || strings.ContainsAny(host, " /:@*") {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return ""
	}
	return d
}

// emailDomain is the domain of an address ("a@b.example", "*@b.example").
func emailDomain(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(addr[i+1:]))
}

// urlHost is a URL's host name, or "".
func urlHost(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Hostname()
}

// freeMail are providers whose domain is everyone's, never the customer's
// own: an account registered as jane@gmail.com says nothing about which
// webhooks are hers.
var freeMail = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "yahoo.com": true, "yahoo.fr": true, "yahoo.co.uk": true, "ymail.com": true,
	"outlook.com": true, "outlook.fr": true, "hotmail.com": true, "hotmail.fr": true, "hotmail.co.uk": true, "live.com": true,
	"live.fr": true, "msn.com": true, "icloud.com": true, "me.com": true, "mac.com": true, "aol.com": true, "gmx.com": true,
	"gmx.de": true, "gmx.net": true, "gmx.fr": true, "web.de": true, "t-online.de": true, "orange.fr": true, "wanadoo.fr": true,
	"free.fr": true, "sfr.fr": true, "laposte.net": true, "proton.me": true, "protonmail.com": true, "pm.me": true,
	"yandex.com": true, "yandex.ru": true, "mail.ru": true, "zoho.com": true, "tutanota.com": true, "fastmail.com": true,
	"libero.it": true, "virgilio.it": true, "seznam.cz": true, "qq.com": true, "163.com": true, "naver.com": true,
}

// serviceDomains are hosts a config file names without them being the
// customer's: Mailjet itself and the usual platforms.
var serviceDomains = map[string]bool{
	"mailjet.com": true, "mjt.lu": true, "mailjet.net": true, "wordpress.org": true, "wordpress.com": true,
	"github.com": true, "githubusercontent.com": true, "googleapis.com": true, "google.com": true, "gstatic.com": true,
	"php.net": true, "laravel.com": true, "symfony.com": true, "npmjs.org": true, "npmjs.com": true, "jsdelivr.net": true,
	"cloudflare.com": true, "amazonaws.com": true, "w3.org": true, "schema.org": true, "example.com": true,
}

// ownDomains is the customer's domains: the account email's (unless free
// mail), those of senders active since before since, and extra.
func ownDomains(accountEmail string, senders []mailjet.Sender, since time.Time, extra []string) []string {
	var out []string
	add := func(host string) {
		if d := registrable(host); d != "" && !freeMail[d] && !serviceDomains[d] {
			out = append(out, d)
		}
	}
	add(emailDomain(accountEmail))
	for _, s := range senders {
		if strings.EqualFold(s.Status, "Active") && !s.CreatedAt.IsZero() && s.CreatedAt.Before(since) {
			add(emailDomain(s.Email))
		}
	}
	for _, d := range extra {
		add(d)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// isOwn reports whether host belongs to one of the domains.
func isOwn(host string, domains []string) bool {
	d := registrable(host)
	return d != "" && slices.Contains(domains, d)
}

// Settings that name the app's own site or address: APP_URL, WP_HOME,
// SITE_URL, MAIL_FROM_ADDRESS, 'siteurl'...
var (
	siteSetting = regexp.MustCompile(`(?i)(url|home|site|domain|host|from|mail|sender|address)`)
	urlInText   = regexp.MustCompile(`https?://([A-Za-z0-9.-]+\.[A-Za-z]{2,})`)
	mailInText  = regexp.MustCompile(`[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})`)
)

// maxDomainFile bounds what DomainsInFiles reads of a file.
const maxDomainFile = 1 << 20

// DomainsInFiles returns the domains the given settings files use for the
// app's own site and sender address (APP_URL=https://shop.example,
// MAIL_FROM_ADDRESS=orders@shop.example), to pass as Input.ExtraDomains.
// Only lines whose setting is named like a URL, site, host or sender
// count, and Mailjet's and the usual platforms' domains are left out.
// Unreadable files are skipped.
func DomainsInFiles(paths []string) []string {
	var out []string
	for _, p := range paths {
		out = append(out, domainsIn(readHead(p))...)
	}
	return ownDomains("", nil, time.Time{}, out)
}

// domainsIn returns the hosts of the URLs and email addresses in content
// whose line names them like a site or sender setting.
func domainsIn(content []byte) []string {
	var out []string
	for _, line := range bytes.Split(content, []byte("\n")) {
		for _, re := range []*regexp.Regexp{urlInText, mailInText} {
			for _, m := range re.FindAllSubmatchIndex(line, -1) {
				// The setting's name sits just before the value.
				if siteSetting.Match(line[max(0, m[0]-60):m[0]]) {
					out = append(out, string(line[m[2]:m[3]]))
				}
			}
		}
	}
	return out
}

func readHead(path string) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, maxDomainFile))
	return b
}
