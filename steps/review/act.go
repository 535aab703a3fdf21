package review

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mjrecover/mjrecover/api/mailjet"
)

// Act does what the item recommends, once the user has confirmed it, and
// checks it is done by reading the account again. api is the master key's
// client that Run used. It returns the item marked Done, or an error in
// plain words; the item is then unchanged.
func Act(ctx context.Context, api *mailjet.Client, it Item) (Item, error) {
	if !it.CanAct() {
		return it, nil
	}
	if it.TargetID <= 0 {
		return it, errors.New("This item names nothing to act on.")
	}
	c, err := clientFor(ctx, api, it.keyID)
	if err != nil {
		return it, err
	}
	var gone bool
	switch it.Action {
	case DeleteWebhook:
		if err = c.DeleteEventCallback(ctx, it.TargetID); err == nil {
			var hooks []mailjet.EventCallback
			hooks, err = c.ListEventCallbacks(ctx)
			gone = !slices.ContainsFunc(hooks, func(h mailjet.EventCallback) bool { return h.ID == it.TargetID })
		}
		it.Result = "Deleted."
	case DeleteParseRoute:
		if err = c.DeleteParseRoute(ctx, it.TargetID); err == nil {
			var routes []mailjet.ParseRoute
			routes, err = c.ListParseRoutes(ctx)
			gone = !slices.ContainsFunc(routes, func(r mailjet.ParseRoute) bool { return r.ID == it.TargetID })
		}
		it.Result = "Deleted."
	case DeleteSender:
		if err = c.DeleteSender(ctx, it.TargetID); err == nil {
			var senders []mailjet.Sender
			senders, err = c.ListSenders(ctx)
			gone = !slices.ContainsFunc(senders, func(s mailjet.Sender) bool { return s.ID == it.TargetID && s.Status != "Deleted" })
		}
		it.Result = "Deleted."
	case DeactivateKey:
		if err = api.SetAPIKeyActive(ctx, it.TargetID, false); err == nil {
			var keys []mailjet.APIKey
			keys, err = api.ListAPIKeys(ctx)
			gone = !slices.ContainsFunc(keys, func(k mailjet.APIKey) bool { return k.ID == it.TargetID && k.IsActive })
		}
		it.Result = "Turned off."
	default:
		return it, fmt.Errorf("mjrecover cannot do %q.", it.Action)
	}
	switch {
	case err != nil:
		it.Result = ""
		return it, fmt.Errorf("%s did not work: %s. Try again, or do it on app.mailjet.com.", it.Action, reasonWords(err))
	case !gone:
		it.Result = ""
		return it, fmt.Errorf("%s: Mailjet answered yes, but it is still there. Try again, or do it on app.mailjet.com.", it.Action)
	}
	it.Done = true
	return it, nil
}

// clientFor returns a client for the key that owns a webhook or parse
// route: api itself (keyID 0), or the sub-account key's own pair, found
// in the key listing.
func clientFor(ctx context.Context, api *mailjet.Client, keyID int64) (*mailjet.Client, error) {
	if keyID == 0 {
		return api, nil
	}
	keys, err := api.ListAPIKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("Could not read the API keys: %s.", reasonWords(err))
	}
	for _, k := range keys {
		if k.ID == keyID && k.IsActive && !k.Secret.IsZero() {
			return api.WithCredentials(mailjet.Credentials{APIKey: k.APIKey, Secret: k.Secret}), nil
		}
	}
	return nil, errors.New("The key this belongs to is turned off or its secret is hidden; do it on app.mailjet.com.")
}
