package recovery

import (
	"context"
	"net/http"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// PasswordRule is the service's own password rule, as the recovery API
// announces it (GET /recovery/v1/password-rule): the server refuses a
// password that breaks it, so clients say it up front.
type PasswordRule struct {
	Service     string // "Mailjet"
	MinLength   int
	MinDigits   int
	MinSpecials int // characters that are not a letter, a digit or a space
}

// PasswordRule reads the announced rule. ok is false when the server
// announces none (404): the client then uses the rule it knows.
func (c *Client) PasswordRule(ctx context.Context) (rule PasswordRule, ok bool, err error) {
	reply, err := c.ep.Do(ctx, apicall.Call{Method: http.MethodGet, Path: PathPasswordRule, Idempotent: true})
	if err != nil {
		return PasswordRule{}, false, err
	}
	if reply.StatusCode == http.StatusNotFound {
		return PasswordRule{}, false, nil
	}
	if !isSuccess(reply.StatusCode) {
		return PasswordRule{}, false, c.replyError(http.MethodGet, PathPasswordRule, reply, nil)
	}
	var w struct {
		Service                           string
		MinLength, MinDigits, MinSpecials int
	}
	if err := decodeInto(http.MethodGet, PathPasswordRule, reply.Body, &w); err != nil {
		return PasswordRule{}, false, err
	}
	clamp := func(n int) int { return min(max(n, 0), 128) } // an unreasonable rule is not trusted
	return PasswordRule{
		Service:     untrusted.Text(w.Service, 64),
		MinLength:   clamp(w.MinLength),
		MinDigits:   clamp(w.MinDigits),
		MinSpecials: clamp(w.MinSpecials),
	}, true, nil
}
