package review

import (
	"strings"
	"testing"
	"time"
)

// FuzzDomainsIn: whatever a settings file holds, the domains taken from
// it are registrable host names, never a free mail or service domain.
func FuzzDomainsIn(f *testing.F) {
	for _, seed := range []string{
		"APP_URL=https://orders.lafleur-bakery.example\nMAIL_FROM_ADDRESS=news@la-fleur.example\n",
		"define( 'WPMS_MAIL_FROM', 'shop@lafleur-bakery.example' );",
		"SITE=https://user:pass@host.example:8443/x?y=http://inner.example",
		"FROM=a@b@c.example HOME=http://[::1]/ URL=https://1.2.3.4/",
		"url: https://xn--bcher-kva.example/\r\nmail: jane@GMAIL.com",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		for _, d := range ownDomains("", nil, time.Time{}, domainsIn(content)) {
			if d != registrable(d) || d == "" || strings.ContainsAny(d, " /:@") || freeMail[d] || serviceDomains[d] {
				t.Fatalf("domain %q from %q", d, content)
			}
		}
	})
}
