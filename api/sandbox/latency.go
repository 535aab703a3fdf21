package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// pause waits d before r is handled. It returns false when the client went
// away first: the caller then applies nothing and answers nothing.
func pause(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	if !bufferBody(r) {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return false
	case <-t.C:
		return true
	}
}

// bufferBody reads the request body into memory before a wait. Go's
// server notices that a client hung up (and cancels the request's
// context) only once the body was read to its end; without this, a POST
// whose client left during the wait would still be applied when the wait
// ends. At most maxRequestBody+1 bytes are buffered (more is refused later
// by the handler's own limit). It returns false when the body cannot be
// read: the client is gone or broken, and the request cannot be applied.
func bufferBody(r *http.Request) bool {
	if r.Body == nil || r.Body == http.NoBody {
		return true
	}
	head, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		return false
	}
	r.Body = bufferedBody{Reader: io.MultiReader(bytes.NewReader(head), r.Body), Closer: r.Body}
	return true
}

// bufferedBody is a request body whose start was read ahead.
type bufferedBody struct {
	io.Reader
	io.Closer
}

// isSafeMethod reports whether method only reads (RFC 9110 §9.2.1).
func isSafeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}
