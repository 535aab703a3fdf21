package apicall

import (
	"net"
	"strings"
)

// isLocalHost reports whether host is this machine (the sandbox), the only
// place plain http may carry an API key.
func isLocalHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}
