package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

const maxRequestBody = 1 << 20

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// envelope is the REST v3 answer.
type envelope[T any] struct {
	Count int
	Data  []T
	Total int
}

func writeEnvelope[T any](w http.ResponseWriter, status int, data []T, total int) {
	if data == nil {
		data = []T{}
	}
	writeJSON(w, status, envelope[T]{Count: len(data), Data: data, Total: total})
}

// mailjetError is REST v3's error body.
type mailjetError struct {
	ErrorInfo    string
	ErrorMessage string
	StatusCode   int
}

func writeMailjetError(w http.ResponseWriter, status int, info, message string) {
	writeJSON(w, status, mailjetError{ErrorInfo: info, ErrorMessage: message, StatusCode: status})
}

// recoveryError is the recovery API's error body.
type recoveryError struct {
	ErrorCode    string
	ErrorMessage string
	StatusCode   int
}

func writeRecoveryError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, recoveryError{ErrorCode: code, ErrorMessage: message, StatusCode: status})
}

// readBody reads a request body of at most maxRequestBody bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errors.New("the request body is too large")
	}
	if err != nil {
		return nil, errors.New("the request body could not be read")
	}
	return body, nil
}

// decodeJSON reads the body into v. An empty body leaves v as it is.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(body)) == "" {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errors.New("the request body is not valid JSON of the expected shape")
	}
	return nil
}

// setAllow lists the methods a 405 answer allows; the caller writes the
// body in its API's error shape.
func setAllow(w http.ResponseWriter, allowed ...string) {
	w.Header().Set("Allow", strings.Join(allowed, ", "))
}
