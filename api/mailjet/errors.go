package mailjet

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// ErrUnauthorized is returned (wrapped) when Mailjet answers 401: the key
// pair is wrong or the key is inactive.
var ErrUnauthorized = errors.New("Mailjet refused the API key and secret (401)")

// Error is a non-2xx answer other than 401, in Mailjet's error shapes.
// Message is sanitized (no control characters) and truncated.
type Error struct {
	Method     string
	Path       string
	StatusCode int
	Message    string
	Identifier string // ErrorIdentifier when Mailjet sends one
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: Mailjet answered %d (%s)", e.Method, e.Path, e.StatusCode, apicall.StatusWords(e.StatusCode))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Identifier != "" {
		fmt.Fprintf(&b, " [error id %s]", e.Identifier)
	}
	return b.String()
}

// errorBody covers Mailjet's v3 shape {"ErrorInfo","ErrorMessage",
// "StatusCode"} and v3.1's, which adds "ErrorIdentifier".
type errorBody struct {
	ErrorInfo       string
	ErrorMessage    string
	ErrorIdentifier string
}

// replyError turns a non-success reply into ErrUnauthorized or *Error.
func (c *Client) replyError(method, path string, r apicall.Reply) error {
	if r.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("%s %s: %w", method, path, ErrUnauthorized)
	}
	e := &Error{Method: method, Path: path, StatusCode: r.StatusCode}
	var body errorBody
	switch {
	case json.Unmarshal(r.Body, &body) == nil:
		msg := body.ErrorMessage
		if body.ErrorInfo != "" && body.ErrorInfo != body.ErrorMessage {
			msg = strings.TrimSpace(msg + " (" + body.ErrorInfo + ")")
		}
		e.Message = c.ep.ServerText(msg)
		e.Identifier = untrusted.Text(body.ErrorIdentifier, 64)
	case isPlainText(r.Header.Get("Content-Type")):
		// An HTML error page says nothing useful in one line; plain text may.
		e.Message = c.ep.ServerText(string(r.Body))
	}
	return e
}

func isPlainText(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "text/plain"
}
