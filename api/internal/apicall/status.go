package apicall

import (
	"net/http"
	"strings"
)

// StatusWords says what an HTTP status means, in a few plain words.
func StatusWords(code int) string {
	switch {
	case code == http.StatusBadRequest:
		return "bad request"
	case code == http.StatusUnauthorized:
		return "wrong API key or secret"
	case code == http.StatusForbidden:
		return "forbidden"
	case code == http.StatusNotFound:
		return "not found"
	case code == http.StatusMethodNotAllowed:
		return "method not allowed"
	case code == http.StatusConflict:
		return "conflict"
	case code == http.StatusUnprocessableEntity:
		return "refused"
	case code == http.StatusTooManyRequests:
		return "too many requests"
	case code >= 500 && code <= 599:
		return "server error"
	case code >= 300 && code <= 399:
		return "unexpected redirect"
	}
	if t := http.StatusText(code); t != "" {
		return strings.ToLower(t)
	}
	return "unexpected status"
}
