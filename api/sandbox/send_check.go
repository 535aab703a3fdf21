package sandbox

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// isSendPath reports whether path is want ("/v3.1/send", "/v3/send"),
// with or without a trailing slash.
func isSendPath(path, want string) bool {
	return strings.EqualFold(strings.TrimSuffix(path, "/"), want)
}

// isSendV3Path reports whether path is the v3 Send API: /v3/send, as
// _send-api-V3.md and the gem's resource/send.yml use it, or
// /v3/send/message, where the official Go SDK's SendMail posts
// (mailjet-apiv3-go v4 mailjet_client.go).
func isSendV3Path(path string) bool {
	return isSendPath(path, "/v3/send") || isSendPath(path, "/v3/send/message")
}

// Why a send body could not be read.
var (
	errSendBodyTooLarge   = errors.New("the payload is over the limit")
	errSendBodyUnreadable = errors.New("the payload could not be read")
)

// readSendBody reads a request body of at most maxRequestBody bytes, as
// readBody does, but says which way it failed: the Send API answers a
// payload that is too large with its own error code.
func readSendBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, errSendBodyTooLarge
	case err != nil:
		return nil, errSendBodyUnreadable
	}
	return body, nil
}

// validEmail checks the shape of an address: local@domain, no white space
// or control characters, a local part of at most 64 bytes without
// leading, trailing or doubled dots, and a domain of at least two
// dot-separated labels of letters, digits and hyphens (no label empty or
// starting or ending with a hyphen). Mailjet does not publish its rule;
// the gem's send_v31_incorrect_email cassette shows it refusing
// "passenger@example..com" (mj-0013).
func validEmail(addr string) bool {
	if len(addr) > 254 || !utf8.ValidString(addr) {
		return false
	}
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at > 64 || at == len(addr)-1 {
		return false
	}
	local, domain := addr[:at], addr[at+1:]
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	for _, r := range local {
		if r <= ' ' || r == 0x7f || (r >= 0x80 && r <= 0x9f) || strings.ContainsRune(`"(),:;<>@[\]`, r) {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			letter := (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r >= 0xa0 // internationalized names
			if !letter && !(r >= '0' && r <= '9') && r != '-' {
				return false
			}
		}
	}
	return true
}

// authorizedSenderLocked reports whether email may be a message's From:
// an active sender of the account (the sender resource is shared by its
// keys), by address or by validated domain, which Mailjet lists as
// "*@domain". Call with s.mu held.
func (s *Server) authorizedSenderLocked(email string) bool {
	domain := email[strings.LastIndexByte(email, '@')+1:]
	for _, rec := range s.senders {
		if rec.Status != "Active" {
			continue
		}
		if strings.EqualFold(rec.Email, email) || strings.EqualFold(rec.Email, "*@"+domain) {
			return true
		}
	}
	return false
}

// recipientSet drops an address seen before in the same message, in any
// case: Mailjet counts a recipient "specified twice (in the to, cc, or
// bcc)" only once (api-documentation guides/_send-api.md, "Message JSON
// properties").
type recipientSet map[string]bool

func (seen recipientSet) first(email string) bool {
	k := strings.ToLower(email)
	if seen[k] {
		return false
	}
	seen[k] = true
	return true
}
