package mailjet

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
)

// maxListed bounds every listing but the API keys' (maxKeysListed): an
// account has a handful of webhooks, parse routes and senders, so a
// server that keeps sending full pages is misbehaving.
const maxListed = 10_000

// listAll reads every page of GET path with query added to the paging
// parameters, and stops with an error past atMost records. what names the
// records in errors ("webhooks").
//
// Mailjet's Total cannot say when to stop: unless countOnly is given,
// "Count and Total will only show you the number of elements extracted
// and not the global number" (apidoc filtering guide; mailjet-gem's
// recording of contact?Limit=2 answers Total 2 with 4 contacts). The
// guide's two ways through a listing are countOnly first, or "loop with
// a change of Offset until you reach an empty set of results". The loop
// is taken, stopping at the first page shorter than the Limit asked for
// (an empty one included), which saves the empty request unless the
// listing is an exact multiple of the page size. countOnly first costs a
// request on every listing, and a record added or removed between the
// count and the pages would make the count wrong anyway. The page size
// never exceeds Mailjet's largest Limit (1000), so the server's own cap
// cannot make a page look short.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values, what string, atMost int) ([]T, error) {
	var all []T
	for {
		q := url.Values{"Limit": {strconv.Itoa(c.pageSize)}}
		for k, v := range query {
			q[k] = v
		}
		if len(all) > 0 {
			q.Set("Offset", strconv.Itoa(len(all)))
		}
		page, err := getPage[T](ctx, c, path, q)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", what, err)
		}
		all = append(all, page.Data...)
		if len(page.Data) < c.pageSize {
			return all, nil
		}
		// A server that ignores Offset sends the same full page forever.
		if len(all) >= atMost {
			return nil, fmt.Errorf("list %s: Mailjet listed more than %d; giving up", what, atMost)
		}
	}
}

// getPage reads one GET path?query answer.
func getPage[T any](ctx context.Context, c *Client, path string, query url.Values) (envelope[T], error) {
	call := apicall.Call{Method: http.MethodGet, Path: path, Query: query, Idempotent: true}
	reply, err := c.ep.Do(ctx, call)
	if err != nil {
		return envelope[T]{}, err
	}
	if !isSuccess(reply.StatusCode) {
		return envelope[T]{}, c.replyError(call.Method, call.Path, reply)
	}
	return decodeEnvelope[T](call.Method, call.Path, reply.Body)
}

// deleteByID sends DELETE path/id.
//
// Unlike POST, DELETE is retried on 429, 5xx and network errors: it
// names one object by an ID Mailjet never reuses, so repeating it cannot
// remove anything else. Mailjet answers 204 when it deleted the object and
// 404 when there is no such object, which is also what a retry sees when
// an earlier try worked but its answer was lost. A 404 therefore counts as
// success: either way the object is gone, which is what the caller wants.
func (c *Client) deleteByID(ctx context.Context, path string, id int64, what string) error {
	if id <= 0 {
		return fmt.Errorf("delete %s: invalid ID %d", what, id)
	}
	call := apicall.Call{
		Method:     http.MethodDelete,
		Path:       path + "/" + strconv.FormatInt(id, 10),
		Idempotent: true,
	}
	reply, err := c.ep.Do(ctx, call)
	if err != nil {
		return fmt.Errorf("delete %s %d: %w", what, id, err)
	}
	if isSuccess(reply.StatusCode) || reply.StatusCode == http.StatusNotFound {
		return nil
	}
	return fmt.Errorf("delete %s %d: %w", what, id, c.replyError(call.Method, call.Path, reply))
}

// flexInt reads a JSON number that some Mailjet answers send as a string
// ("Count": "1"). Anything else (null, garbage) reads as 0: a counter is
// never worth failing a listing.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = flexInt(v)
		return nil
	}
	var f float64
	if json.Unmarshal([]byte(s), &f) == nil && f >= -9e18 && f <= 9e18 {
		*n = flexInt(int64(f))
		return nil
	}
	*n = 0
	return nil
}
