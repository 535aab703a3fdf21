package mailjet

import (
	"context"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// ParseRoute is an inbound parse route (the parseroute resource): email
// received at Email is turned into JSON and POSTed to URL.
type ParseRoute struct {
	ID       int64
	APIKeyID int64
	Email    string
	URL      string
}

type parseRouteJSON struct {
	ID       int64
	APIKeyID flexInt
	Email    string
	URL      string `json:"Url"`
}

const parseRoutePath = "/v3/REST/parseroute"

// ListParseRoutes reads every page of GET /v3/REST/parseroute.
func (c *Client) ListParseRoutes(ctx context.Context) ([]ParseRoute, error) {
	raw, err := listAll[parseRouteJSON](ctx, c, parseRoutePath, nil, "parse routes", maxListed)
	if err != nil {
		return nil, err
	}
	out := make([]ParseRoute, 0, len(raw))
	for _, r := range raw {
		out = append(out, ParseRoute{
			ID:       r.ID,
			APIKeyID: int64(r.APIKeyID),
			Email:    untrusted.Text(r.Email, 254),
			URL:      untrusted.Text(r.URL, maxURLLen),
		})
	}
	return out, nil
}

// DeleteParseRoute deletes a parse route (DELETE /v3/REST/parseroute/{ID}).
// It is retried like a GET and succeeds when the route is already gone;
// see deleteByID.
func (c *Client) DeleteParseRoute(ctx context.Context, id int64) error {
	return c.deleteByID(ctx, parseRoutePath, id, "parse route")
}
