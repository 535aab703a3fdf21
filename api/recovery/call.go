package recovery

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
)

// post sends one POST (never retried: each changes the account) and
// decodes a JSON answer into out when out is not nil.
func (c *Client) post(ctx context.Context, path string, body, out any, fallback byStatus) error {
	reply, err := c.ep.Do(ctx, apicall.Call{Method: http.MethodPost, Path: path, JSON: body})
	if err != nil {
		return err
	}
	if !isSuccess(reply.StatusCode) {
		return c.replyError(http.MethodPost, path, reply, fallback)
	}
	return decodeInto(http.MethodPost, path, reply.Body, out)
}

func decodeInto(method, path string, body []byte, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		// The JSON error names a type or offset, never the body's content.
		return fmt.Errorf("%s %s: the answer is not the expected JSON: %w", method, path, err)
	}
	return nil
}
