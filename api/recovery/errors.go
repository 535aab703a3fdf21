package recovery

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/internal/retry"
	"github.com/mjrecover/mjrecover/api/mailjet"
)

// Errors the confirm endpoint answers with (wrapped).
var (
	ErrWrongCode = errors.New("that code is not the current one")
	ErrCodeUsed  = errors.New("that code was already used; wait for the next one")
)

// Other refusals of the recovery API (wrapped in *Error). A 401 wraps
// mailjet.ErrUnauthorized, as on the REST API.
var (
	ErrMalformedCode       = errors.New("a code is 6 digits")
	ErrBadSeed             = errors.New("the TOTP key is not base32 of at least 128 bits")
	ErrNoPendingTOTP       = errors.New("no authenticator key is waiting for confirmation")
	ErrTwoFactorEnabled    = errors.New("two-factor authentication is already on")
	ErrTwoFactorNotEnabled = errors.New("two-factor authentication is not on yet")
	ErrPasswordRefused     = errors.New("the new password was refused")
	ErrReportHasSecret     = errors.New("the report contains a live secret in clear")
	ErrMasterKeyRequired   = errors.New("the recovery API needs the master key")
)

// defaultLockout is assumed when a 429 on code tries lacks Retry-After:
// one TOTP period.
const defaultLockout = 30 * time.Second

// TooManyTriesError is returned when the backend rate-limits code tries.
type TooManyTriesError struct{ RetryAfter time.Duration }

func (e *TooManyTriesError) Error() string {
	wait := e.RetryAfter.Round(time.Second)
	if wait < time.Second {
		wait = time.Second
	}
	return fmt.Sprintf("too many wrong codes; try again in %s", wait)
}

// Error is a non-2xx answer of the recovery API other than 401 and the
// code-try limit. Message is sanitized server text. errors.Is matches the
// sentinel for Code (ErrWrongCode, ErrPasswordRefused, …).
type Error struct {
	Method     string
	Path       string
	StatusCode int
	Code       string // ErrorCode, e.g. "wrong-code"; "" when the body had none
	Message    string
	kind       error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: the recovery API answered %d (%s)", e.Method, e.Path, e.StatusCode, apicall.StatusWords(e.StatusCode))
	switch {
	case e.Message != "":
		b.WriteString(": ")
		b.WriteString(e.Message)
	case e.kind != nil:
		b.WriteString(": ")
		b.WriteString(e.kind.Error())
	}
	return b.String()
}

// Unwrap returns the sentinel the answer stands for, if any.
func (e *Error) Unwrap() error { return e.kind }

// kindOf maps an ErrorCode to its sentinel.
func kindOf(code string) error {
	switch code {
	case CodeWrongCode:
		return ErrWrongCode
	case CodeCodeUsed:
		return ErrCodeUsed
	case CodeMalformedCode:
		return ErrMalformedCode
	case CodeBadSeed:
		return ErrBadSeed
	case CodeNoPendingTOTP:
		return ErrNoPendingTOTP
	case CodeTwoFactorEnabled:
		return ErrTwoFactorEnabled
	case CodeTwoFactorOff:
		return ErrTwoFactorNotEnabled
	case CodePasswordRefused:
		return ErrPasswordRefused
	case CodeReportHasSecret:
		return ErrReportHasSecret
	case CodeMasterRequired:
		return ErrMasterKeyRequired
	}
	return nil
}

type errorBody struct {
	ErrorCode    string
	ErrorMessage string
}

// byStatus gives a route's meaning of a status when the body has no
// ErrorCode (another server implementing the spec loosely).
type byStatus map[int]error

// replyError turns a non-success reply into the error the caller sees.
func (c *Client) replyError(method, path string, r apicall.Reply, fallback byStatus) error {
	if r.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("%s %s: %w", method, path, mailjet.ErrUnauthorized)
	}
	var body errorBody
	_ = json.Unmarshal(r.Body, &body) // a body that is not JSON leaves it empty
	code := strings.TrimSpace(body.ErrorCode)
	if r.StatusCode == http.StatusTooManyRequests && (code == CodeTooManyTries || path == PathTOTPConfirm) {
		wait := retry.ParseRetryAfter(r.Header.Get("Retry-After"), time.Now())
		if wait <= 0 {
			wait = defaultLockout
		}
		return &TooManyTriesError{RetryAfter: wait}
	}
	kind := kindOf(code)
	if code == "" {
		kind = fallback[r.StatusCode]
	}
	return &Error{
		Method:     method,
		Path:       path,
		StatusCode: r.StatusCode,
		Code:       c.ep.ServerText(code),
		Message:    c.ep.ServerText(body.ErrorMessage),
		kind:       kind,
	}
}

func isSuccess(code int) bool { return code >= 200 && code <= 299 }
