package review

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/rotate"
)

// Input is what Run works from. Every field is optional.
type Input struct {
	Now   time.Time // zero: time.Now
	Since time.Time // when the leak may have started; zero: 30 days before Now
	// AccountEmail's domain is the customer's unless it is a free mail
	// provider; empty: read from the account.
	AccountEmail string
	ExtraDomains []string      // more of the customer's domains, e.g. from DomainsInFiles
	Usage        []KeyUsage    // from ReadKeyUsage, before the rotation
	Replacements []Replacement // from ReplacementsFrom, after it
	// Lang is the customer's language (nil: English): Act's errors are
	// said in it, and the items are sorted by their words in it. The
	// items' words are messages, said by whoever shows them.
	Lang *lang.Printer
}

// DefaultSuspicionPeriod is how far back Run looks when Input.Since is
// not set.
const DefaultSuspicionPeriod = 30 * 24 * time.Hour

// Run reviews the account api authenticates with (the master key). It
// only reads. A part that cannot be read becomes a Problem and the rest
// goes on; the error is for a refused key pair or a cancelled ctx.
func Run(ctx context.Context, api *mailjet.Client, in Input) (Review, error) {
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	since := in.Since
	if since.IsZero() {
		since = now.Add(-DefaultSuspicionPeriod)
	}
	p := in.Lang
	r := Review{Since: since, CheckedAt: now}
	fail := func(area Area, what lang.Message, err error) error {
		if errors.Is(err, mailjet.ErrUnauthorized) || ctx.Err() != nil {
			return fmt.Errorf("review the account: %w", err)
		}
		r.Problems = append(r.Problems, Problem{Area: area, Text: lang.Msg("Could not read %[1]s: %[2]s.", what, rotate.ProblemMsg(err))})
		return nil
	}

	keys, err := api.ListAPIKeys(ctx)
	if err != nil {
		return r, fmt.Errorf("review the account: %w", err)
	}
	email := in.AccountEmail
	if email == "" {
		acct, err := api.Account(ctx)
		if err != nil {
			if err := fail(AreaSender, lang.Msg("the account's email address"), err); err != nil {
				return r, err
			}
		}
		email = acct.Email
	}
	senders, err := api.ListSenders(ctx)
	if err != nil {
		if err := fail(AreaSender, lang.Msg("the sender addresses"), err); err != nil {
			return r, err
		}
	}
	r.OwnDomains = ownDomains(email, senders, since, in.ExtraDomains)
	if err == nil {
		r.Items = append(r.Items, senderItems(senders, r.OwnDomains, since)...)
	}

	for _, k := range readableKeys(api, keys) {
		if err := r.reviewKey(ctx, k, since, now, fail); err != nil {
			return r, err
		}
	}

	facts := keyFacts{now: now, since: since, usage: map[string]KeyUsage{}, replacedFrom: map[string]string{}}
	for _, u := range in.Usage {
		facts.usage[u.Key] = u
	}
	for _, rep := range in.Replacements {
		facts.replacedFrom[rep.NewKey] = rep.OldKey
	}
	for _, k := range keys {
		if k.IsMaster || !k.IsActive {
			continue
		}
		_, captured := facts.usage[k.APIKey]
		_, replaced := facts.replacedFrom[k.APIKey]
		if !captured && !replaced {
			facts.usage[k.APIKey] = readUsage(ctx, api, k)
		}
	}
	r.Items = append(r.Items, facts.keyItems(keys)...)
	for i := range r.Items {
		r.Items[i].lang = p
	}
	sortItems(p, r.Items)
	return r, ctx.Err()
}

// keyClient is a key the review can read as, with its client.
type keyClient struct {
	key  mailjet.APIKey
	api  *mailjet.Client
	name string // "" for the master key
}

// readableKeys are the master key (as api) and every active sub-account
// key whose secret the listing holds: webhooks, parse routes and
// statistics belong to one key, and Mailjet shows them to that key only.
func readableKeys(api *mailjet.Client, keys []mailjet.APIKey) []keyClient {
	out := []keyClient{{key: mailjet.APIKey{APIKey: api.Credentials().APIKey, IsMaster: true}, api: api}}
	for _, k := range keys {
		if k.IsMaster || !k.IsActive || k.Secret.IsZero() {
			continue
		}
		out = append(out, keyClient{key: k, api: api.WithCredentials(mailjet.Credentials{APIKey: k.APIKey, Secret: k.Secret}), name: k.Name})
	}
	return out
}

// reviewKey reads one key's webhooks, parse routes and sending.
func (r *Review) reviewKey(ctx context.Context, k keyClient, since, now time.Time, fail func(Area, lang.Message, error) error) error {
	// A sub-account pair refused here was turned off or changed since the
	// listing: nothing of it to review.
	gone := func(err error) bool { return k.name != "" && errors.Is(err, mailjet.ErrUnauthorized) }
	problem := func(area Area, what lang.Message, err error) error {
		if gone(err) {
			return nil
		}
		if k.name == "" {
			return fail(area, what, err)
		}
		return fail(area, lang.Msg("%[1]s of the key %[2]s", what, k.name), err)
	}
	hooks, err := k.api.ListEventCallbacks(ctx)
	if gone(err) {
		return nil
	}
	if err != nil {
		if err := problem(AreaWebhook, lang.Msg("the event webhooks"), err); err != nil {
			return err
		}
	}
	for _, h := range hooks {
		r.Items = append(r.Items, webhookItem(h, r.OwnDomains, k.key.ID, k.name))
	}
	routes, err := k.api.ListParseRoutes(ctx)
	if err != nil {
		if err := problem(AreaParseRoute, lang.Msg("the parse routes"), err); err != nil {
			return err
		}
	}
	for _, route := range routes {
		r.Items = append(r.Items, parseRouteItem(route, r.OwnDomains, k.key.ID, k.name))
	}
	days, err := k.api.DailySending(ctx, now.Add(-statsPeriod), now)
	switch {
	case err != nil:
		if err := problem(AreaSending, lang.Msg("the sending statistics"), err); err != nil {
			return err
		}
	case k.name == "" || hasSending(days):
		r.Items = append(r.Items, sendingItem(days, since, k.name))
	}
	return nil
}

func hasSending(days []mailjet.DayCounts) bool {
	return slices.ContainsFunc(days, func(d mailjet.DayCounts) bool { return d.Total > 0 })
}

// sortItems puts suspicious items first, then by area and title (as p
// says it).
func sortItems(p *lang.Printer, items []Item) {
	slices.SortStableFunc(items, func(a, b Item) int {
		return cmp.Or(cmp.Compare(a.Verdict, b.Verdict),
			cmp.Compare(slices.Index(areaOrder, a.Area), slices.Index(areaOrder, b.Area)),
			cmp.Compare(p.Say(a.Title), p.Say(b.Title)))
	})
}
