package kiosk

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"syscall"
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// specialPurpose is every block of the IANA IPv4 and IPv6 Special-Purpose
// Address Registries (iana.org/assignments/iana-ipv4-special-registry and
// iana-ipv6-special-registry), with the multicast and the reserved class E
// ranges and the deprecated site-local block: none is a public web site,
// and several reach what the kiosk's host can reach and a customer must
// not (cloud metadata behind carrier-grade NAT, the host's own services).
var specialPurpose = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		// IPv4
		"0.0.0.0/8",          // "this network"
		"10.0.0.0/8",         // private
		"100.64.0.0/10",      // shared address space (carrier-grade NAT)
		"127.0.0.0/8",        // loopback
		"169.254.0.0/16",     // link local (cloud metadata)
		"172.16.0.0/12",      // private
		"192.0.0.0/24",       // IETF protocol assignments
		"192.0.2.0/24",       // documentation (TEST-NET-1)
		"192.31.196.0/24",    // AS112-v4
		"192.52.193.0/24",    // AMT
		"192.88.99.0/24",     // deprecated 6to4 relay anycast
		"192.168.0.0/16",     // private
		"192.175.48.0/24",    // direct delegation AS112
		"198.18.0.0/15",      // benchmarking
		"198.51.100.0/24",    // documentation (TEST-NET-2)
		"203.0.113.0/24",     // documentation (TEST-NET-3)
		"224.0.0.0/4",        // multicast
		"240.0.0.0/4",        // reserved (class E)
		"255.255.255.255/32", // limited broadcast
		// IPv6
		"::/128",        // unspecified
		"::1/128",       // loopback
		"::ffff:0:0/96", // IPv4-mapped (judged by its IPv4 address instead)
		"64:ff9b::/96",  // IPv4-IPv6 translation (NAT64)
		"64:ff9b:1::/48",
		"100::/64",      // discard-only
		"2001::/23",     // IETF protocol assignments (Teredo, ORCHID...)
		"2001:db8::/32", // documentation
		"2002::/16",     // 6to4
		"3fff::/20",     // documentation
		"5f00::/16",     // segment routing SIDs
		"fc00::/7",      // unique local
		"fe80::/10",     // link local
		"fec0::/10",     // site local (deprecated)
		"ff00::/8",      // multicast
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// Public reports whether ip is a public unicast address: in none of the
// special-purpose blocks. An IPv4 address written as IPv6 is judged as
// the IPv4 address it is.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.Zone() != "" {
		return false
	}
	for _, p := range specialPurpose {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// outboundPolicy decides which addresses the kiosk may connect to on a
// customer's behalf: public unicast addresses, and the exact host:port
// pairs of allow (a demo's own sandbox and site, on loopback by design).
type outboundPolicy struct {
	lang *lang.Printer // the refusal is read on the customer's screen

	mu    sync.RWMutex
	allow map[netip.AddrPort]bool
}

// allowURL adds the address of a loopback URL the kiosk itself serves.
func (o *outboundPolicy) allowURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	ap, err := netip.ParseAddrPort(u.Host)
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.allow == nil {
		o.allow = map[netip.AddrPort]bool{}
	}
	o.allow[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())] = true
	return nil
}

// check is the dialer's Control: it runs on the address actually dialled,
// so after DNS resolution and for every redirect's new connection alike.
func (o *outboundPolicy) check(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return err
	}
	o.mu.RLock()
	allowed := o.allow[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())]
	o.mu.RUnlock()
	if allowed || Public(ap.Addr()) {
		return nil
	}
	return errors.New(o.lang.T("the kiosk does not connect to %s: not a public address", ap.Addr().String()))
}

// client is an HTTP client that connects only where the policy allows,
// with no proxy (a proxy would connect for it, unchecked).
func (o *outboundPolicy) client() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	dialer := &net.Dialer{Timeout: 15 * time.Second, Control: o.check}
	tr.DialContext = dialer.DialContext
	tr.Proxy = nil
	return &http.Client{Timeout: 30 * time.Second, Transport: tr}
}
