package review

import (
	"context"
	"errors"
	"slices"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/rotate"
)

// Act does what the item recommends, once the user has confirmed it, and
// checks it is done by reading the account again. api is the master key's
// client that Run used. It returns the item marked Done, or an error in
// plain words (in the language Run spoke); the item is then unchanged.
func Act(ctx context.Context, api *mailjet.Client, it Item) (Item, error) {
	if !it.CanAct() {
		return it, nil
	}
	p := it.lang
	if it.TargetID <= 0 {
		return it, errors.New(p.T("This item names nothing to act on."))
	}
	c, err := clientFor(ctx, p, api, it.keyID)
	if err != nil {
		return it, err
	}
	var gone bool
	var result lang.Message
	switch it.Action {
	case DeleteWebhook:
		if err = c.DeleteEventCallback(ctx, it.TargetID); err == nil {
			var hooks []mailjet.EventCallback
			hooks, err = c.ListEventCallbacks(ctx)
			gone = !slices.ContainsFunc(hooks, func(h mailjet.EventCallback) bool { return h.ID == it.TargetID })
		}
		result = lang.Msg("Deleted.")
	case DeleteParseRoute:
		if err = c.DeleteParseRoute(ctx, it.TargetID); err == nil {
			var routes []mailjet.ParseRoute
			routes, err = c.ListParseRoutes(ctx)
			gone = !slices.ContainsFunc(routes, func(r mailjet.ParseRoute) bool { return r.ID == it.TargetID })
		}
		result = lang.Msg("Deleted.")
	case DeleteSender:
		if err = c.DeleteSender(ctx, it.TargetID); err == nil {
			var senders []mailjet.Sender
			senders, err = c.ListSenders(ctx)
			gone = !slices.ContainsFunc(senders, func(s mailjet.Sender) bool { return s.ID == it.TargetID && s.Status != "Deleted" })
		}
		result = lang.Msg("Deleted.")
	case DeactivateKey:
		if err = api.SetAPIKeyActive(ctx, it.TargetID, false); err == nil {
			var keys []mailjet.APIKey
			keys, err = api.ListAPIKeys(ctx)
			gone = !slices.ContainsFunc(keys, func(k mailjet.APIKey) bool { return k.ID == it.TargetID && k.IsActive })
		}
		result = lang.Msg("Turned off.")
	default:
		return it, errors.New(p.T("mjrecover cannot do %q.", it.Action.Words(p)))
	}
	switch {
	case err != nil:
		return it, errors.New(p.T("%[1]s did not work: %[2]s. Try again, or do it on app.mailjet.com.", it.Action.Words(p), rotate.ProblemWords(p, err)))
	case !gone:
		return it, errors.New(p.T("%s: Mailjet answered yes, but it is still there. Try again, or do it on app.mailjet.com.", it.Action.Words(p)))
	}
	it.Done, it.Result = true, result
	return it, nil
}

// clientFor returns a client for the key that owns a webhook or parse
// route: api itself (keyID 0), or the sub-account key's own pair, found
// in the key listing.
func clientFor(ctx context.Context, p *lang.Printer, api *mailjet.Client, keyID int64) (*mailjet.Client, error) {
	if keyID == 0 {
		return api, nil
	}
	keys, err := api.ListAPIKeys(ctx)
	if err != nil {
		return nil, errors.New(p.T("Could not read the API keys: %s.", rotate.ProblemWords(p, err)))
	}
	for _, k := range keys {
		if k.ID == keyID && k.IsActive && !k.Secret.IsZero() {
			return api.WithCredentials(mailjet.Credentials{APIKey: k.APIKey, Secret: k.Secret}), nil
		}
	}
	return nil, errors.New(p.T("The key this belongs to is turned off or its secret is hidden; do it on app.mailjet.com."))
}
