package rotate

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

// journal is the env's in-memory journal.
func (e *env) journal() *MemoryJournal { return e.rot.Journal.(*MemoryJournal) }

func (e *env) ledger() Ledger { return Fold(e.journal().Entries()) }

func (e *env) isHeld(ref string) bool { return !e.held[ref].IsZero() }

// next is what slot needs now.
func (e *env) next(slot Slot) Step {
	return e.ledger().Log(slot.Old.APIKey).Next(slot, e.isHeld, e.rot.Recovery != nil)
}

// step runs slot's next step as the wizard does: a handover is the
// customer taking the secret.
func (e *env) step(t *testing.T, slot Slot) (Step, error) {
	t.Helper()
	step := e.next(slot)
	switch step.Op {
	case "":
		return step, nil
	case OpHandover:
		return step, e.journal().Note(HandedOver(slot, step.Made, HandSaved, "/tmp/keys.txt"))
	}
	old := slot.Old.Secret
	if slot.Old.IsMaster {
		old = masterCreds.Secret
	}
	log := *e.ledger().Log(slot.Old.APIKey)
	got, err := e.rot.Do(context.Background(), slot, log, step, e.held[step.Made.Ref], old)
	for ref, s := range got {
		e.held[ref] = s
		e.seen = append(e.seen, s.Reveal())
	}
	e.noSecretIn(t, err)
	return step, err
}

// finish runs slot's steps until it needs nothing, failing on an error.
func (e *env) finish(t *testing.T, slot Slot) []Op {
	t.Helper()
	var ops []Op
	for range maxSteps {
		step, err := e.step(t, slot)
		if err != nil {
			t.Fatalf("%s: %v", step.Op, err)
		}
		if step.Op == "" {
			return ops
		}
		ops = append(ops, step.Op)
	}
	t.Fatal("the slot never settled")
	return nil
}

// activeFor counts the active keys made for slot (by their name).
func (e *env) activeFor(name string) (n int, keys []sandbox.Key) {
	for _, k := range e.sb.Keys() {
		if k.IsActive && !k.IsMaster && strings.HasPrefix(k.Name, name+" (created") {
			n++
			keys = append(keys, k)
		}
	}
	return n, keys
}

func keyActive(sb *sandbox.Server, key string) bool {
	for _, k := range sb.Keys() {
		if k.APIKey == key {
			return k.IsActive
		}
	}
	return false
}

func opsString(ops []Op) string {
	var s []string
	for _, o := range ops {
		s = append(s, string(o))
	}
	return strings.Join(s, ",")
}

// A sub-account key is replaced in an order that keeps the customer safe:
// the new key exists and is handed over before the old one goes off.
func TestSubKeyOrder(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoShopKey)
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "create,handover,deactivate,verify" {
		t.Fatalf("ops = %s", got)
	}
	if keyActive(e.sb, sandbox.DemoShopKey) {
		t.Error("the old key is still on")
	}
	n, keys := e.activeFor("Shop (WooCommerce)")
	if n != 1 {
		t.Fatalf("%d active replacements", n)
	}
	cur, ok := e.ledger().Log(sandbox.DemoShopKey).Current(e.isHeld)
	if !ok || cur.Key != keys[0].APIKey || cur.Check == nil || !cur.Check.OK() || !cur.Has() {
		t.Fatalf("current = %+v", cur)
	}
	if !e.held[cur.Ref].Equal(keys[0].Secret) {
		t.Error("the held secret is not the key's")
	}
	for _, en := range e.journal().Entries() {
		if s := strings.Join([]string{en.Hint, en.Name, en.Key, en.Problem, en.Path}, " "); strings.Contains(s, keys[0].Secret.Reveal()) {
			t.Errorf("journal entry holds the secret: %+v", en)
		}
	}
	if !e.ledger().Log(sandbox.DemoShopKey).Rotated() {
		t.Error("Rotated is false after the whole rotation")
	}
}

// The answer to the create is lost (the request did reach Mailjet): the
// next step is a look at the key list, which finds the key (and, where
// Mailjet still lists secrets, its secret), so no second key is made.
func TestLostCreateAnswerIsFoundAgain(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoShopKey)
	e.proxy.LoseAnswer(http.MethodPost, "/v3/REST/apikey", 1)
	step, err := e.step(t, slot)
	if step.Op != OpCreate || err == nil || !strings.Contains(err.Error(), "did not answer") {
		t.Fatalf("create: %v %v", step.Op, err)
	}
	if n, _ := e.activeFor("Shop (WooCommerce)"); n != 1 {
		t.Fatalf("the lost create made %d keys", n)
	}
	if got := e.next(slot).Op; got != OpLookup {
		t.Fatalf("after a lost answer the next step is %s, want a lookup", got)
	}
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "lookup,handover,deactivate,verify" {
		t.Fatalf("ops = %s", got)
	}
	if n := e.sb.Requests(http.MethodPost, "/v3/REST/apikey"); n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
	if n, _ := e.activeFor("Shop (WooCommerce)"); n != 1 {
		t.Errorf("%d active replacements", n)
	}
}

// Where Mailjet shows a secret only once, a key whose creation answer was
// lost is one nobody has the secret of: it is switched off, and another is
// made, so the slot ends with one active key whose secret the customer has.
func TestLostCreateAnswerWithSecretsShownOnce(t *testing.T) {
	e := newEnv(t, false, sandbox.WithSecretsShownOnce())
	slot := e.slot(t, sandbox.DemoShopKey)
	slot.Old.Secret = secret.Secret{} // Mailjet does not list it either
	e.proxy.LoseAnswer(http.MethodPost, "/v3/REST/apikey", 1)
	if _, err := e.step(t, slot); err == nil {
		t.Fatal("the lost create did not fail")
	}
	_, orphans := e.activeFor("Shop (WooCommerce)")
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "lookup,create,deactivate,handover,deactivate,verify" {
		t.Fatalf("ops = %s", got)
	}
	if keyActive(e.sb, orphans[0].APIKey) {
		t.Error("the key nobody saw is still on")
	}
	n, keys := e.activeFor("Shop (WooCommerce)")
	if n != 1 || !e.held[keys[0].APIKey].Equal(keys[0].Secret) {
		t.Fatalf("%d active replacements, secret held: %v", n, n == 1 && e.isHeld(keys[0].APIKey))
	}
}

// An interruption after the key was made but before its secret was handed
// over leaves a replacement nobody saw; the next session (holding no
// secret) makes another and switches that one off.
func TestUnseenReplacementIsRedone(t *testing.T) {
	e := newEnv(t, false, sandbox.WithSecretsShownOnce())
	slot := e.slot(t, sandbox.DemoShopKey)
	if _, err := e.step(t, slot); err != nil {
		t.Fatal(err)
	}
	first, _ := e.ledger().Log(sandbox.DemoShopKey).Current(e.isHeld)
	e.held = Secrets{} // the process died: memory is gone
	if got := e.next(slot).Op; got != OpCreate {
		t.Fatalf("next = %s, want a new create", got)
	}
	e.finish(t, slot)
	if keyActive(e.sb, first.Key) {
		t.Error("the unseen replacement is still on")
	}
	if n, _ := e.activeFor("Shop (WooCommerce)"); n != 1 {
		t.Errorf("%d active replacements", n)
	}
}

// A replacement handed over in an earlier session is kept, though this
// session does not hold its secret: the customer has it.
func TestHandedReplacementIsKept(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoShopKey)
	e.step(t, slot) // create
	e.step(t, slot) // handover
	e.held = Secrets{}
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "deactivate,verify" {
		t.Fatalf("ops = %s", got)
	}
	cur, _ := e.ledger().Log(sandbox.DemoShopKey).Current(e.isHeld)
	if cur.Check == nil || !strings.Contains(cur.Check.Problem, "not at hand") || !cur.Check.OldRefused {
		t.Errorf("check = %+v", cur.Check)
	}
	if n := e.sb.Requests(http.MethodPost, "/v3/REST/apikey"); n != 1 {
		t.Errorf("%d creates", n)
	}
}

// A switch-off whose answer is lost but which took effect is settled by
// the key list.
func TestLostDeactivateAnswer(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoShopKey)
	e.step(t, slot)
	e.step(t, slot)
	e.proxy.LoseAnswer(http.MethodPut, "/v3/REST/apikey/", 10) // every try of the client
	if step, err := e.step(t, slot); step.Op != OpDeactivate || err == nil {
		t.Fatalf("%s: %v", step.Op, err)
	}
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "lookup,verify" {
		t.Fatalf("ops = %s", got)
	}
	if keyActive(e.sb, sandbox.DemoShopKey) {
		t.Error("the old key is on")
	}
}

// Mailjet refusing a create (4xx) is a clear no: try again directly. A 5xx
// may come after the change, so it is looked up first.
func TestFailedCreates(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoShopKey)
	e.sb.FailNext(http.MethodPost, "/v3/REST/apikey", http.StatusBadRequest, 1)
	if _, err := e.step(t, slot); err == nil || !strings.Contains(err.Error(), "could not make a new key") {
		t.Fatalf("err = %v", err)
	}
	if got := e.next(slot).Op; got != OpCreate {
		t.Fatalf("after a 400 the next step is %s", got)
	}
	e.sb.FailNext(http.MethodPost, "/v3/REST/apikey", http.StatusInternalServerError, 1)
	if _, err := e.step(t, slot); err == nil {
		t.Fatal("a 500 did not fail")
	}
	if got := e.next(slot).Op; got != OpLookup {
		t.Fatalf("after a 500 the next step is %s", got)
	}
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "lookup,create,handover,deactivate,verify" {
		t.Fatalf("ops = %s", got)
	}
}

// Nothing is sent when the journal cannot note the intent.
func TestNoJournalNoRequest(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoShopKey)
	e.rot.Journal = failingJournal{}
	_, err := e.rot.Do(context.Background(), slot, SlotLog{Slot: slot.Old.APIKey}, Step{Op: OpCreate, Attempt: 1}, secret.Secret{}, secret.Secret{})
	if err == nil || !strings.Contains(err.Error(), "changes nothing") {
		t.Fatalf("err = %v", err)
	}
	if n := e.sb.Requests(http.MethodPost, "/v3/REST/apikey"); n != 0 {
		t.Errorf("%d creates", n)
	}
	e.rot.Journal = nil
	if _, err := e.rot.Do(context.Background(), slot, SlotLog{}, Step{Op: OpCreate}, secret.Secret{}, secret.Secret{}); !errors.Is(err, ErrNoJournal) {
		t.Errorf("no journal: %v", err)
	}
}

type failingJournal struct{}

func (failingJournal) Intend(...Entry) error { return errors.New("disk full") }
func (failingJournal) Note(...Entry) error   { return errors.New("disk full") }

// The master key gets its new secret in two phases: prepared (the old one
// still works), handed over, then switched on.
func TestMasterTwoPhases(t *testing.T) {
	e := newEnv(t, true)
	slot := e.slot(t, sandbox.DemoMasterKey)
	if step, err := e.step(t, slot); step.Op != OpPrepare || err != nil {
		t.Fatalf("%s: %v", step.Op, err)
	}
	if err := e.authWith(t, sandbox.DemoMasterKey, masterCreds.Secret); err != nil {
		t.Fatalf("the old secret stopped working before the handover: %v", err)
	}
	if got := e.next(slot).Op; got != OpHandover {
		t.Fatalf("next = %s", got)
	}
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "handover,activate,verify" {
		t.Fatalf("ops = %s", got)
	}
	m, ok := e.ledger().Log(sandbox.DemoMasterKey).Active()
	if !ok || m.Check == nil || !m.Check.OK() {
		t.Fatalf("active = %+v", m)
	}
	if err := e.authWith(t, sandbox.DemoMasterKey, e.held[m.Ref]); err != nil {
		t.Errorf("new master: %v", err)
	}
	if err := e.authWith(t, sandbox.DemoMasterKey, masterCreds.Secret); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("old master: %v", err)
	}
}

// The answer to the activation is lost: activating again is safe (the
// recovery API answers that it is already on), and the slot settles.
func TestMasterActivationAnswerLost(t *testing.T) {
	e := newEnv(t, true)
	slot := e.slot(t, sandbox.DemoMasterKey)
	e.step(t, slot) // prepare
	e.step(t, slot) // handover
	e.proxy.LoseAnswer(http.MethodPost, "/recovery/v1/master-secret/activate", 1)
	if step, err := e.step(t, slot); step.Op != OpActivate || err == nil {
		t.Fatalf("%s: %v", step.Op, err)
	}
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "activate,verify" {
		t.Fatalf("ops = %s", got)
	}
	if m, ok := e.ledger().Log(sandbox.DemoMasterKey).Active(); !ok || !m.Check.OK() {
		t.Fatalf("active = %+v %v", m, ok)
	}
}

// An interruption before the activation loses the prepared secret: a new
// one is prepared; the old master secret never stopped working.
func TestMasterPreparedSecretLost(t *testing.T) {
	e := newEnv(t, true)
	slot := e.slot(t, sandbox.DemoMasterKey)
	e.step(t, slot) // prepare
	e.step(t, slot) // handover
	e.held = Secrets{}
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "prepare,handover,activate,verify" {
		t.Fatalf("ops = %s", got)
	}
}

// Without a recovery API the customer resets the master secret on the
// site and types it: the wizard checks it before taking it.
func TestAcceptMasterSecret(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoMasterKey)
	if slot.Action != GuidedMaster || e.next(slot).Op != OpAccept {
		t.Fatalf("action = %v, next = %v", slot.Action, e.next(slot).Op)
	}
	ctx := context.Background()
	accept := func(s string) error {
		_, err := e.rot.Accept(ctx, slot, 1, secret.New(s), masterCreds.Secret)
		e.noSecretIn(t, err)
		return err
	}
	for _, typed := range []string{"", "not a secret", strings.ToUpper(sandbox.DemoMasterSecret), sandbox.DemoMasterSecret[:31]} {
		if err := accept(typed); !errors.Is(err, ErrNotASecret) {
			t.Errorf("typed %q: %v", typed, err)
		}
	}
	if err := accept(sandbox.DemoMasterSecret); !errors.Is(err, ErrSameSecret) {
		t.Errorf("same secret: %v", err)
	}
	if err := accept(strings.Repeat("0123456789abcdef", 2)); !errors.Is(err, ErrSecretRefused) {
		t.Errorf("wrong secret: %v", err)
	}
	// The customer resets it on the site (here: the recovery route), then
	// pastes it with stray spaces.
	fresh := resetOnTheSite(t, e)
	got, err := e.rot.Accept(ctx, slot, 1, secret.New("  "+fresh.Reveal()+"\n"), masterCreds.Secret)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := e.ledger().Log(sandbox.DemoMasterKey).Active()
	if !ok || !m.Check.OK() || !got[m.Ref].Equal(fresh) || !m.Has() {
		t.Fatalf("active = %+v", m)
	}
	e.held = got
	if op := e.next(slot).Op; op != "" {
		t.Errorf("after the accept the slot needs %s", op)
	}
}

// resetOnTheSite resets the master secret as the customer would on
// Mailjet's site.
func resetOnTheSite(t *testing.T, e *env) secret.Secret {
	t.Helper()
	site := recovery.New(e.url, masterCreds, recovery.WithHTTPClient(e.hc))
	s, err := site.ResetMasterSecret(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.seen = append(e.seen, s.Reveal())
	return s
}

// The customer leaves a key as it is: what the rotation made for it that
// they do not have is switched off again.
func TestSkipCleansUp(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoShopKey)
	e.step(t, slot) // create
	made, _ := e.ledger().Log(sandbox.DemoShopKey).Current(e.isHeld)
	e.journal().Note(Skipped(slot, "the customer keeps the old key"))
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "deactivate" {
		t.Fatalf("ops = %s", got)
	}
	if keyActive(e.sb, made.Key) || !keyActive(e.sb, sandbox.DemoShopKey) {
		t.Error("skip did not leave the account as it was")
	}
}

// RotateAll runs a whole plan: every key rotated and checked.
func TestRotateAll(t *testing.T) {
	e := newEnv(t, true)
	plan := NewPlan(e.keys(t), nil, true, nil)
	results, err := e.rot.RotateAll(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 {
		t.Fatalf("%d results", len(results))
	}
	for _, r := range results {
		if !r.Check.OK() || r.NewSecret.IsZero() || r.NewKey == "" {
			t.Errorf("%s: %+v", r.Slot.Old.Name, r)
		}
	}
	// Done once, the plan says so.
	again := NewPlan(e.keysWith(t, results), nil, true, e.ledger())
	for _, s := range again.Slots {
		if s.Action != DoneEarlier {
			t.Errorf("%s: %v after the rotation", s.Old.Name, s.Action)
		}
	}
}

// keysWith lists the keys with the new master pair.
func (e *env) keysWith(t *testing.T, results []Result) []mailjet.APIKey {
	t.Helper()
	for _, r := range results {
		if r.Slot.Old.IsMaster {
			keys, err := e.mailjetClient(mailjet.Credentials{APIKey: r.NewKey, Secret: r.NewSecret}).ListAPIKeys(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return keys
		}
	}
	return e.keys(t)
}

func TestReadSaved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.txt")
	results := []Result{
		{Slot: Slot{Old: mailjet.APIKey{Name: "Shop"}}, NewKey: "0123456789abcdef0123456789abcdef", NewSecret: secret.New("11112222333344445555666677778888")},
		{Slot: Slot{Old: mailjet.APIKey{Name: "Main", IsMaster: true}}, NewKey: "fedcba9876543210fedcba9876543210", NewSecret: secret.New("99990000aaaabbbbccccddddeeeeffff")},
	}
	if err := SaveSecrets(nil, path, results); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSaved(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !got[r.NewKey].Equal(r.NewSecret) {
			t.Errorf("%s: read %v", r.NewKey, got[r.NewKey])
		}
	}
	if _, err := ReadSaved(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing file reads")
	}
}
