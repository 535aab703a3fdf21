package rotate

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/problem"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Secrets are new secrets held in memory, by Made.Ref. They are never
// journaled.
type Secrets map[string]secret.Secret

// Errors of Do, in plain words. Their texts are marked messages: Say (or
// lang's Text) says them in the customer's language.
var (
	ErrNoJournal     = errors.New(lang.Mark("The wizard has nowhere to note its progress, so it changes nothing."))
	ErrNotASecret    = errors.New(lang.Mark("That is not an API secret: it should be 32 characters, 0-9 and a-f."))
	ErrSameSecret    = errors.New(lang.Mark("That is the current secret. Reset it on the API keys page first, then paste the new one."))
	ErrSecretRefused = errors.New(lang.Mark("Mailjet refused that secret: check that you copied the whole new secret of the main key."))
	ErrOldStillWorks = errors.New(lang.Mark("Mailjet still accepts the old secret: was the reset confirmed on the API keys page?"))
)

// Do performs one step of a slot (one request, or one look at the key
// list), writing the journal before and after. sec is the secret of
// step.Made when this process holds it; old is the slot's old secret when
// known (for the master: the one the session signed in with). New secrets
// the step obtains come back in the Secrets. OpHandover is not a request:
// the caller hands the secret over and notes it (HandedOver).
func (r *Rotator) Do(ctx context.Context, slot Slot, log SlotLog, step Step, sec, old secret.Secret) (Secrets, error) {
	if r.API == nil {
		return nil, errors.New("rotate: no connection to Mailjet was set up")
	}
	if r.Journal == nil {
		return nil, Say(r.Lang, ErrNoJournal)
	}
	switch step.Op {
	case OpCreate:
		return r.create(ctx, slot, step.Attempt)
	case OpDeactivate:
		return nil, r.deactivate(ctx, slot, step)
	case OpLookup:
		return r.lookup(ctx, slot, log)
	case OpPrepare:
		return r.prepare(ctx, slot, step.Attempt)
	case OpActivate:
		return nil, r.activate(ctx, slot, step.Made, sec)
	case OpVerify:
		if log.Retired && !slot.Old.IsMaster {
			return nil, r.verifyOff(ctx, slot, old)
		}
		return nil, r.verify(ctx, slot, step.Made, sec, old)
	}
	return nil, fmt.Errorf("rotate: %q is not a request", step.Op)
}

// entry is the start of an entry about slot.
func entry(slot Slot, op Op, ph Phase) Entry {
	return Entry{Slot: slot.Old.APIKey, Master: slot.Old.IsMaster, Op: op, Phase: ph}
}

// intend writes an intent; failing to write it means not sending.
func (r *Rotator) intend(e Entry) error {
	e.At = r.now()
	if err := r.Journal.Intend(e); err != nil {
		return &saidError{r.Lang.T("The wizard could not note its progress, so it changes nothing (%s).", err.Error()), err}
	}
	return nil
}

// note writes what happened.
func (r *Rotator) note(es ...Entry) error {
	for i := range es {
		es[i].At = r.now()
	}
	if err := r.Journal.Note(es...); err != nil {
		return &saidError{r.Lang.T("The wizard could not note its progress (%s); if it stops now, the next run checks with Mailjet what happened.", err.Error()), err}
	}
	return nil
}

// answered notes how a request ended and explains a failure. what says
// the request (in the customer's language), for "Mailjet could not …".
func (r *Rotator) answered(e Entry, err error, what string) error {
	e.Phase = phaseOf(err)
	if err == nil {
		return r.note(e)
	}
	e.Problem = reasonWords(err) // the journal's words stay English
	noteErr := r.note(e)
	var msg string
	if e.Phase == Unknown {
		msg = r.Lang.T("Mailjet did not answer whether it could %[1]s (%[2]s); the wizard checks before trying again: %[3]s", what, ProblemWords(r.Lang, err), err.Error())
	} else {
		msg = r.Lang.T("Mailjet could not %[1]s (%[2]s): %[3]s", what, ProblemWords(r.Lang, err), err.Error())
	}
	return errors.Join(&saidError{msg, err}, noteErr)
}

// phaseOf is what a request's error says about whether it happened. No
// error: it did. Mailjet refused it (4xx): it did not. Anything else (no
// answer, a 5xx that Mailjet or a proxy may send after applying it):
// nobody knows until someone looks.
func phaseOf(err error) Phase {
	if err == nil {
		return Done
	}
	if p := problem.Of(err); p.Answered() && p.Status >= 400 && p.Status < 500 {
		return Failed
	}
	return Unknown
}

func (r *Rotator) create(ctx context.Context, slot Slot, attempt int) (Secrets, error) {
	old := slot.Old
	if old.IsMaster {
		return nil, errors.New(r.Lang.T("The main key %s cannot be replaced; its secret is changed instead.", old.APIKey))
	}
	e := entry(slot, OpCreate, Intent)
	e.Attempt, e.Name = attempt, r.replacementName(old.Name)
	if err := r.intend(e); err != nil {
		return nil, err
	}
	created, err := r.API.CreateAPIKey(ctx, e.Name)
	if err != nil {
		return nil, r.answered(e, err, r.Lang.T("make a new key to replace %s", old.APIKey))
	}
	e.Key, e.ID, e.Hint = created.APIKey, created.ID, created.Secret.Last4()
	return Secrets{created.APIKey: created.Secret}, r.answered(e, nil, "")
}

func (r *Rotator) deactivate(ctx context.Context, slot Slot, step Step) error {
	e := entry(slot, OpDeactivate, Intent)
	e.Key, e.ID = step.Key, step.ID
	if err := r.intend(e); err != nil {
		return err
	}
	what := r.Lang.T("switch off the old key %s", step.Key)
	if step.Key != slot.Old.APIKey {
		what = r.Lang.T("switch off the key %s, whose secret nobody has", step.Key)
	}
	return r.answered(e, r.API.SetAPIKeyActive(ctx, step.ID, false), what)
}

// lookup settles the slot's unanswered requests from the key list.
func (r *Rotator) lookup(ctx context.Context, slot Slot, log SlotLog) (Secrets, error) {
	keys, err := r.API.ListAPIKeys(ctx)
	if err != nil {
		return nil, &saidError{r.Lang.T("Could not read the key list to check what the last request did (%[1]s): %[2]s", ProblemWords(r.Lang, err), err.Error()), err}
	}
	notes, found := log.Settle(keys, Ledger{slot.Old.APIKey: &log})
	return found, r.note(notes...)
}

// Settle says what a fresh key list tells of the slot's unanswered
// requests: a replacement that was made is found by its name and time (and
// taken with its secret when Mailjet still shows it); one that was not is
// noted as not made; a switch-off is read back from the key's state. all
// is the whole ledger, so a key one slot made is never taken for another's.
// It returns the entries to note, and the secrets Mailjet showed.
func (s *SlotLog) Settle(keys []mailjet.APIKey, all Ledger) ([]Entry, Secrets) {
	found := Secrets{}
	var notes []Entry
	taken := map[string]bool{s.Slot: true}
	for _, k := range keys {
		if all.Made(k.APIKey) {
			taken[k.APIKey] = true
		}
	}
	for _, u := range s.Unknown {
		e := u
		switch u.Op {
		case OpCreate:
			made := replacementsNamed(keys, u, taken)
			if len(made) == 0 {
				e.Phase, e.Problem = Failed, "Mailjet did not make it"
				notes = append(notes, e)
			}
			for _, k := range made {
				taken[k.APIKey] = true
				e.Phase, e.Key, e.ID, e.Hint = Done, k.APIKey, k.ID, k.Secret.Last4()
				notes = append(notes, e)
				if !k.Secret.IsZero() {
					found[k.APIKey] = k.Secret
				}
			}
		case OpDeactivate:
			e.Phase = Done
			if k, ok := keyByID(keys, u.ID); ok && k.IsActive {
				e.Phase, e.Problem = Failed, "it is still on"
			}
			notes = append(notes, e)
		}
		// Master requests are settled by trying the secrets (signing in),
		// not by reading the key list.
	}
	return notes, found
}

// SettleAll settles every slot's unanswered sub-account requests from a
// fresh key list, before a plan is made from it: a key an interrupted
// request made must not be taken for a slot of its own.
func SettleAll(l Ledger, keys []mailjet.APIKey) ([]Entry, Secrets) {
	var notes []Entry
	found := Secrets{}
	for _, s := range l {
		if s.Master {
			continue
		}
		n, f := s.Settle(keys, l)
		notes = append(notes, n...)
		for k, v := range f {
			found[k] = v
		}
	}
	return notes, found
}

// replacementsNamed are the keys u may have made: the name it sent,
// created no earlier than the request (with a minute for clock skew), not
// already accounted for.
func replacementsNamed(keys []mailjet.APIKey, u Entry, taken map[string]bool) []mailjet.APIKey {
	var out []mailjet.APIKey
	for _, k := range keys {
		if k.IsMaster || taken[k.APIKey] || k.Name != u.Name {
			continue
		}
		if k.CreatedAt.IsZero() || !k.CreatedAt.Before(u.At.Add(-time.Minute)) {
			out = append(out, k)
		}
	}
	return out
}

func keyByID(keys []mailjet.APIKey, id int64) (mailjet.APIKey, bool) {
	for _, k := range keys {
		if k.ID == id {
			return k, true
		}
	}
	return mailjet.APIKey{}, false
}

// ListedSecrets are the secrets Mailjet still shows in keys for
// replacements the ledger knows, by Made.Ref: after an interruption, a
// replacement whose secret is listed can be handed over instead of made
// again.
func ListedSecrets(l Ledger, keys []mailjet.APIKey) Secrets {
	out := Secrets{}
	for _, k := range keys {
		if k.Secret.IsZero() || !l.Made(k.APIKey) {
			continue
		}
		out[k.APIKey] = k.Secret
	}
	return out
}

func (r *Rotator) prepare(ctx context.Context, slot Slot, attempt int) (Secrets, error) {
	if r.Recovery == nil {
		return nil, errors.New(r.Lang.T("The main key's secret cannot be changed from here; reset it on the API keys page (%s) and paste the new one.", APIKeysPage))
	}
	e := entry(slot, OpPrepare, Intent)
	e.Attempt = attempt
	if err := r.intend(e); err != nil {
		return nil, err
	}
	pending, err := r.Recovery.PrepareMasterSecret(ctx)
	if err != nil {
		return nil, r.answered(e, err, r.Lang.T("prepare a new secret for the main key"))
	}
	e.Hint = pending.Secret.Last4()
	return Secrets{masterRef(slot.Old.APIKey, attempt): pending.Secret}, r.answered(e, nil, "")
}

func (r *Rotator) activate(ctx context.Context, slot Slot, m Made, sec secret.Secret) error {
	if r.Recovery == nil || sec.IsZero() {
		return errors.New("rotate: the new main secret is not at hand")
	}
	e := entry(slot, OpActivate, Intent)
	e.Attempt, e.Hint = m.Attempt, m.Hint
	if err := r.intend(e); err != nil {
		return err
	}
	_, err := r.Recovery.ActivateMasterSecret(ctx, sec)
	if errors.Is(err, mailjet.ErrUnauthorized) {
		// The prepared secret expired or was replaced: it never will be
		// switched on; a new one is prepared.
		e.Phase, e.Problem = Failed, "the prepared secret expired or was replaced"
		return errors.Join(errors.New(r.Lang.T("The new main secret was not switched on: it expired or was replaced. The wizard prepares another one.")), r.note(e))
	}
	if err := r.answered(e, err, r.Lang.T("switch the new main secret on")); err != nil {
		return err
	}
	r.useMaster(slot.Old.APIKey, sec)
	return nil
}

// Accept checks a master secret the customer reset on Mailjet's site and
// typed in: the new pair must work and the old one must not. It is noted
// as attempt's secret, handed over (the customer typed it).
func (r *Rotator) Accept(ctx context.Context, slot Slot, attempt int, typed, old secret.Secret) (Secrets, error) {
	if r.Journal == nil {
		return nil, Say(r.Lang, ErrNoJournal)
	}
	typed = secret.New(strings.TrimSpace(typed.Reveal()))
	switch {
	case !slot.Old.IsMaster:
		return nil, errors.New(r.Lang.T("The key %s is not the main key; it is replaced with a new key instead.", slot.Old.APIKey))
	case !IsSecretFormat(typed.Reveal()):
		return nil, Say(r.Lang, ErrNotASecret)
	case !old.IsZero() && typed.Equal(old):
		return nil, Say(r.Lang, ErrSameSecret)
	}
	var c Check
	if r.verifyNew(ctx, &c, slot.Old.APIKey, typed) == authRefused {
		return nil, Say(r.Lang, ErrSecretRefused)
	}
	if old.IsZero() {
		c.addProblem("The old secret is unknown here, so it could not be tried.")
	} else {
		r.verifyOldPairRefused(ctx, &c, slot.Old.APIKey, old)
	}
	if c.NewWorks && !c.OldRefused && c.Problem == "" {
		return nil, Say(r.Lang, ErrOldStillWorks)
	}
	r.useMaster(slot.Old.APIKey, typed)
	e := entry(slot, OpAccept, Done)
	e.Attempt, e.Hint, e.Check = attempt, typed.Last4(), &c
	return Secrets{masterRef(slot.Old.APIKey, attempt): typed}, r.note(e)
}

// verify checks that the new pair works and the old one is refused.
func (r *Rotator) verify(ctx context.Context, slot Slot, m Made, sec, old secret.Secret) error {
	var c Check
	key := m.Key
	if slot.Old.IsMaster {
		key = slot.Old.APIKey
	}
	if sec.IsZero() {
		c.addProblem("The new secret is not at hand in this session, so it was not tried.")
	} else {
		r.verifyNew(ctx, &c, key, sec)
	}
	switch {
	case !old.IsZero():
		r.verifyOldPairRefused(ctx, &c, slot.Old.APIKey, old)
	case slot.Old.IsMaster:
		c.addProblem("The old secret is unknown here, so it could not be tried.")
	default:
		r.verifyOldKeyInactive(ctx, &c, slot.Old.ID)
	}
	if !c.OldRefused && c.Problem == "" {
		c.Problem = "Mailjet still accepts the old key " + slot.Old.APIKey + "; check the API keys page in a minute."
	}
	e := entry(slot, OpVerify, Done)
	e.Attempt, e.Key, e.Check = m.Attempt, m.Key, &c
	return r.note(e)
}

// verifyOff checks that the pair of a key switched off with no
// replacement is refused (from the key list when its secret is unknown).
func (r *Rotator) verifyOff(ctx context.Context, slot Slot, old secret.Secret) error {
	var c Check
	if old.IsZero() {
		r.verifyOldKeyInactive(ctx, &c, slot.Old.ID)
	} else {
		r.verifyOldPairRefused(ctx, &c, slot.Old.APIKey, old)
	}
	if !c.OldRefused && c.Problem == "" {
		c.Problem = "Mailjet still accepts the key " + slot.Old.APIKey + "; check the API keys page in a minute."
	}
	e := entry(slot, OpVerify, Done)
	e.Key, e.ID, e.Check = slot.Old.APIKey, slot.Old.ID, &c
	return r.note(e)
}

// Retired is the entry that says the customer chose to switch slot's
// unused key off with no replacement: written before the first request.
func Retired(slot Slot) Entry {
	e := entry(slot, OpRetire, Done)
	e.LastSent = slot.LastSent
	return e
}

// OffOK reports whether a check of a key switched off with no
// replacement found it refused.
func (c Check) OffOK() bool { return c.OldRefused && c.Problem == "" }

// HandedOver is the entry that says the customer has m's secret: how is
// HandShown, HandSaved (path: the file) or HandTyped.
func HandedOver(slot Slot, m Made, how, path string) Entry {
	e := entry(slot, OpHandover, Done)
	e.Attempt, e.Key, e.How, e.Path = m.Attempt, m.Key, how, path
	return e
}

// LostSecret is the entry that says the customer no longer has m's
// secret: the replacement is made again.
func LostSecret(slot Slot, m Made) Entry {
	e := entry(slot, OpHandover, Failed)
	e.Attempt, e.Key, e.How, e.Problem = m.Attempt, m.Key, HandLost, "the customer no longer has this secret"
	return e
}

// Skipped is the entry that says the customer leaves slot as it is.
func Skipped(slot Slot, why string) Entry {
	e := entry(slot, OpSkip, Done)
	e.Problem = why
	return e
}

// useMaster switches the Rotator's clients to the new master pair.
func (r *Rotator) useMaster(key string, s secret.Secret) {
	creds := mailjet.Credentials{APIKey: key, Secret: s}
	r.API = r.API.WithCredentials(creds)
	if r.Recovery != nil {
		r.Recovery = r.Recovery.WithCredentials(creds)
	}
}

// createdSuffix ends the names this package gives new keys; a name that
// already has one (from an earlier rotation) gets it replaced.
var createdSuffix = regexp.MustCompile(` \(created \d{4}-\d{2}-\d{2}\)$`)

// maxNameRunes keeps new names short enough for Mailjet's list.
const maxNameRunes = 100

// replacementName keeps the old name, so the user and their apps still
// recognise the key, and adds the creation date: the new key stands out
// from the old, inactive one with the same name, and a later rotation
// replaces the date instead of piling up suffixes like "(new) (new)". The
// name and the time are also how a replacement whose answer was lost is
// found again.
func (r *Rotator) replacementName(old string) string {
	base := strings.TrimSpace(createdSuffix.ReplaceAllString(strings.TrimSpace(old), ""))
	if base == "" {
		base = "API key"
	}
	if rs := []rune(base); len(rs) > maxNameRunes {
		base = strings.TrimSpace(string(rs[:maxNameRunes]))
	}
	return base + " (created " + r.now().Format("2006-01-02") + ")"
}

// IsSecretFormat reports whether s looks like a Mailjet API secret: 32
// lowercase hex characters.
func IsSecretFormat(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
