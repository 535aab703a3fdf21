package mailjet

import (
	"context"
	"fmt"
	"net/http"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// Account is the user resource: who owns the keys.
type Account struct {
	ID       int64
	Email    string
	Username string
}

type userJSON struct {
	ID       int64
	Email    string
	Username string
}

const userPath = "/v3/REST/user"

// Account reads GET /v3/REST/user.
func (c *Client) Account(ctx context.Context) (Account, error) {
	reply, err := c.ep.Do(ctx, apicall.Call{Method: http.MethodGet, Path: userPath, Idempotent: true})
	if err != nil {
		return Account{}, err
	}
	if !isSuccess(reply.StatusCode) {
		return Account{}, c.replyError(http.MethodGet, userPath, reply)
	}
	env, err := decodeEnvelope[userJSON](http.MethodGet, userPath, reply.Body)
	if err != nil {
		return Account{}, err
	}
	if len(env.Data) == 0 {
		return Account{}, fmt.Errorf("GET %s: Mailjet returned no user", userPath)
	}
	u := env.Data[0]
	return Account{
		ID:       u.ID,
		Email:    untrusted.Text(u.Email, 254),
		Username: untrusted.Text(u.Username, 254),
	}, nil
}

func isSuccess(code int) bool { return code >= 200 && code <= 299 }
