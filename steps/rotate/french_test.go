package rotate

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/problem"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
)

func strictFrench(t *testing.T) *lang.Printer {
	t.Helper()
	return lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
}

// The rotation's errors speak the customer's language and are still the
// errors they say; the journal keeps English.
func TestRotationErrorsInFrench(t *testing.T) {
	fr := strictFrench(t)
	e := newEnv(t, false)
	e.rot.Lang = fr
	ctx := context.Background()
	master := e.slot(t, sandbox.DemoMasterKey)
	_, err := e.rot.Accept(ctx, master, 1, secret.New("not a secret"), masterCreds.Secret)
	if !errors.Is(err, ErrNotASecret) || err.Error() != "Ce n'est pas une clé secrète d'API\u00a0: elle doit compter 32 caractères, 0-9 et a-f." {
		t.Errorf("not a secret: %v", err)
	}
	if _, err := e.rot.Accept(ctx, master, 1, masterCreds.Secret, masterCreds.Secret); !errors.Is(err, ErrSameSecret) || !strings.HasPrefix(err.Error(), "C'est la clé secrète actuelle.") {
		t.Errorf("same secret: %v", err)
	}
	if _, err := e.rot.Accept(ctx, master, 1, secret.New(strings.Repeat("0123456789abcdef", 2)), masterCreds.Secret); !errors.Is(err, ErrSecretRefused) || !strings.HasPrefix(err.Error(), "Mailjet a refusé cette clé secrète") {
		t.Errorf("wrong secret: %v", err)
	}
	shop := e.slot(t, sandbox.DemoShopKey)
	if _, err := e.rot.Accept(ctx, shop, 1, masterCreds.Secret, secret.Secret{}); err == nil || !strings.Contains(err.Error(), "n'est pas la clé principale") {
		t.Errorf("not the main key: %v", err)
	}
	if _, err := e.rot.Do(ctx, master, SlotLog{}, Step{Op: OpPrepare, Attempt: 1}, secret.Secret{}, secret.Secret{}); err == nil || !strings.HasPrefix(err.Error(), "La clé secrète de la clé principale ne peut pas être changée d'ici") {
		t.Errorf("prepare without a recovery API: %v", err)
	}
	if _, err := e.rot.Do(ctx, master, SlotLog{}, Step{Op: OpCreate, Attempt: 1}, secret.Secret{}, secret.Secret{}); err == nil || !strings.HasPrefix(err.Error(), "La clé principale ") {
		t.Errorf("create for the master: %v", err)
	}

	// A refused request: French for the customer, English in the journal.
	e.sb.FailNext(http.MethodPost, "/v3/REST/apikey", http.StatusBadRequest, 1)
	_, err = e.rot.Do(ctx, shop, SlotLog{Slot: shop.Old.APIKey}, Step{Op: OpCreate, Attempt: 1}, secret.Secret{}, secret.Secret{})
	if err == nil || !strings.HasPrefix(err.Error(), "Mailjet n'a pas pu créer une nouvelle clé pour remplacer "+sandbox.DemoShopKey+" (Mailjet a donné une réponse inattendue (400 ") {
		t.Errorf("refused create: %v", err)
	}
	entries := e.journal().Entries()
	if last := entries[len(entries)-1]; last.Problem != "Mailjet gave an unexpected answer (400 Bad Request)" {
		t.Errorf("journal problem = %q", last.Problem)
	}
	e.proxy.LoseAnswer(http.MethodPost, "/v3/REST/apikey", 1)
	_, err = e.rot.Do(ctx, shop, SlotLog{Slot: shop.Old.APIKey}, Step{Op: OpCreate, Attempt: 2}, secret.Secret{}, secret.Secret{})
	if err == nil || !strings.HasPrefix(err.Error(), "Mailjet n'a pas dit s'il a pu créer une nouvelle clé") {
		t.Errorf("lost answer: %v", err)
	}

	// No journal, and a journal that cannot write.
	e.rot.Journal = failingJournal{}
	if _, err := e.rot.Do(ctx, shop, SlotLog{Slot: shop.Old.APIKey}, Step{Op: OpCreate, Attempt: 3}, secret.Secret{}, secret.Secret{}); err == nil ||
		!strings.HasPrefix(err.Error(), "L'assistant n'a pas pu noter sa progression\u00a0: il ne change donc rien (disk full).") {
		t.Errorf("journal failing: %v", err)
	}
	e.rot.Journal = nil
	if _, err := e.rot.Do(ctx, shop, SlotLog{}, Step{Op: OpCreate}, secret.Secret{}, secret.Secret{}); !errors.Is(err, ErrNoJournal) || !strings.HasPrefix(err.Error(), "L'assistant n'a nulle part") {
		t.Errorf("no journal: %v", err)
	}
	if err := Say(nil, ErrNoJournal); err != ErrNoJournal {
		t.Errorf("Say in English = %v", err)
	}
}

// Every problem kind, and every way a test email can fail, in French; the
// English kept in the journal is said again in French from what it holds.
func TestTestEmailWordsInFrench(t *testing.T) {
	fr := strictFrench(t)
	for _, err := range []error{
		errors.New("dial tcp: connection refused"), context.Canceled, &mailjet.Error{StatusCode: 503},
		&mailjet.Error{StatusCode: 429}, &mailjet.Error{StatusCode: 404}, &recovery.Error{StatusCode: 500}, mailjet.ErrUnauthorized, nil,
	} {
		if got := ProblemWords(fr, err); !strings.HasPrefix(got, "Mailjet ") && !strings.HasPrefix(got, "l'attente") {
			t.Errorf("ProblemWords(%v) = %q", err, got)
		}
	}
	if got := ProblemWords(fr, &mailjet.Error{StatusCode: 404}); got != "Mailjet a donné une réponse inattendue (404 Not Found)" {
		t.Errorf("404 = %q", got)
	}

	ok := SendCheck{APIKey: "k", Name: "Shop", From: "shop@example.com", OK: true}
	if got := ok.Words(fr); got != "e-mail de test accepté par l'API d'envoi de Mailjet (depuis shop@example.com, non distribué)" {
		t.Errorf("accepted = %q", got)
	}
	refused := problem.Of(mailjet.ErrUnauthorized)
	for _, c := range []SendCheck{
		{Why: WhyNoSecret}, {Why: WhySenders, Fault: &refused}, {Why: WhyNoSender}, {Why: WhyRefused, Refusal: "Invalid sender"},
		{Why: WhyRefused, Fault: &refused}, {Why: WhyError, Fault: &refused}, {Why: WhyError},
	} {
		if got := c.Words(fr); !strings.HasPrefix(got, "e-mail de test non accepté\u00a0: ") || strings.Contains(got, "not") {
			t.Errorf("%+v: %q", c, got)
		}
	}

	// From the sandbox: a wrong secret is refused; the journal keeps English.
	e := newEnv(t, true)
	shop := e.slot(t, sandbox.DemoShopKey)
	wrong := Result{Slot: shop, NewKey: sandbox.DemoShopKey, NewSecret: secret.New(strings.Repeat("0", 32))}
	got := SendTest(context.Background(), e.rot.API, wrong, sandbox.DemoEmail, time.Now())
	if got.OK || got.Why == "" || !strings.HasPrefix(got.Problem, "could not read the sender addresses") && !strings.HasPrefix(got.Problem, "Mailjet refused the message") {
		t.Fatalf("wrong secret = %+v", got)
	}
	if w := got.Words(fr); strings.Contains(w, "refused") || !strings.HasPrefix(w, "e-mail de test non accepté") {
		t.Errorf("French words = %q", w)
	}
	if got.Words(nil) != "test email not accepted: "+got.Problem {
		t.Errorf("English words %q, problem %q", got.Words(nil), got.Problem)
	}
	// A check from an older journal has only its English problem.
	if w := (SendCheck{Problem: "something odd"}).Trouble(nil); w != "something odd" {
		t.Errorf("old check = %q", w)
	}
}

// Keys saved by a French customer are read back: the file is in French,
// its labels included.
func TestSaveSecretsInFrench(t *testing.T) {
	fr, missed := lang.Strictly(lang.French)
	path := filepath.Join(t.TempDir(), "cles.txt")
	results := []Result{
		{Slot: Slot{Old: mailjet.APIKey{Name: "Shop"}}, NewKey: "0123456789abcdef0123456789abcdef", NewSecret: secret.New("11112222333344445555666677778888")},
		{Slot: Slot{Old: mailjet.APIKey{Name: "Master key", IsMaster: true}}, NewKey: "fedcba9876543210fedcba9876543210", NewSecret: secret.New("99990000aaaabbbbccccddddeeeeffff")},
	}
	if err := SaveSecrets(fr, path, results); err != nil {
		t.Fatal(err)
	}
	missed.Report(t.Errorf)
	data, _ := os.ReadFile(path)
	for _, want := range []string{"supprimez ce fichier", "Clé secrète\u00a0: 11112222333344445555666677778888", "Master key (clé principale)", "environ une heure"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the file lacks %q:\n%s", want, data)
		}
	}
	got, err := ReadSaved(path)
	if err != nil {
		t.Fatal(err)
	}
	if s := got["0123456789abcdef0123456789abcdef"]; s.Reveal() != "11112222333344445555666677778888" || len(got) != 2 {
		t.Errorf("read back %d keys from the French file", len(got))
	}
}
