package recovery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// SubmitReport: POST /recovery/v1/support with the report as JSON.
// Returns the ticket reference. The report must encode as a JSON object;
// secret.Secret fields encode as a mask. Never retried (it would open a
// second ticket).
func (c *Client) SubmitReport(ctx context.Context, report any) (string, error) {
	raw, err := json.Marshal(report)
	if err != nil {
		return "", fmt.Errorf("send the report: encode it: %w", err)
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return "", errors.New("send the report: it must encode as a JSON object")
	}
	var out struct{ Ticket string }
	err = c.post(ctx, PathSupport, json.RawMessage(raw), &out, byStatus{http.StatusUnprocessableEntity: ErrReportHasSecret})
	if err != nil {
		return "", fmt.Errorf("send the report: %w", err)
	}
	ticket := untrusted.Text(out.Ticket, 64)
	if ticket == "" {
		return "", errors.New("send the report: the answer holds no ticket reference")
	}
	return ticket, nil
}
