package kiosk

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestPublicRefusesEverySpecialPurposeBlock(t *testing.T) {
	for _, s := range []string{
		"100.64.0.1", "100.127.255.254", // carrier-grade NAT (and cloud metadata behind it)
		"169.254.169.254", "198.18.0.1", "198.19.255.255", "240.0.0.1", "255.255.255.255", "0.1.2.3",
		"10.0.0.1", "172.31.0.1", "192.168.1.1", "127.0.0.1", "192.0.0.8", "192.0.2.1", "203.0.113.7", "224.0.0.1",
		"64:ff9b::a00:1", "64:ff9b:1::1", "2002:c000:201::1", "fec0::1", "fc00::1", "fe80::1", "ff02::1", "::1", "::",
		"2001:db8::1", "2001::1", "3fff::1", "100::1",
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", // an IPv4 address written as IPv6 is judged as IPv4
	} {
		if Public(netip.MustParseAddr(s)) {
			t.Errorf("%s is taken for a public address", s)
		}
	}
	for _, s := range []string{"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"} {
		if !Public(netip.MustParseAddr(s)) {
			t.Errorf("%s is refused, but it is public", s)
		}
	}
	if Public(netip.MustParseAddr("fe80::1%eth0")) {
		t.Error("an address with a zone is taken for public")
	}
}

// The check runs on every connection, a redirect's included: a site the
// kiosk may reach cannot send it on to one it may not.
func TestOutboundChecksEveryRedirect(t *testing.T) {
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret")) }))
	defer inner.Close()
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL, http.StatusFound)
	}))
	defer outer.Close()

	policy := &outboundPolicy{}
	if err := policy.allowURL(outer.URL); err != nil {
		t.Fatal(err)
	}
	c := policy.client()
	_, err := c.Get(outer.URL)
	if err == nil || !strings.Contains(err.Error(), "not a public address") {
		t.Fatalf("the redirect to %s was followed: err = %v", inner.URL, err)
	}
	// An allowed address that answers itself is reached.
	if err := policy.allowURL(inner.URL); err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(inner.URL)
	if err != nil {
		t.Fatalf("an allowed address was refused: %v", err)
	}
	resp.Body.Close()
	// Without being allowed, a loopback address is not reached.
	if _, err := (&outboundPolicy{}).client().Get(inner.URL); err == nil {
		t.Fatal("a loopback address was reached without being allowed")
	}
}
