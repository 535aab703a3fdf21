package twofactor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// startBackend refuses the enrolment with err.
type startBackend struct {
	fakeBackend
	err error
}

func (b startBackend) EnrollTOTP(context.Context, secret.Secret) error { return b.err }

// Every error a customer can see while confirming a code, in French; the
// errors are still the errors they say.
func TestErrorsInFrench(t *testing.T) {
	fr := lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
	const nb = "\u00a0"
	e, err := New(fr, "jane@example.com", fixedRand())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	b := &fakeBackend{}

	err = e.Confirm(ctx, b, "12a456", now)
	if !errors.Is(err, ErrFormat) || err.Error() != "Tapez les 6 chiffres affichés par votre application, uniquement des chiffres." {
		t.Errorf("malformed: %v", err)
	}
	var wrong *WrongCodeError
	err = e.Confirm(ctx, b, "123456", now)
	if !errors.As(err, &wrong) || !strings.HasPrefix(err.Error(), "Ce code n'est pas le bon. Tapez les 6 chiffres que votre application affiche pour Mailjet en ce moment. ") ||
		!strings.Contains(err.Error(), "4 essais") {
		t.Errorf("wrong code: %v", err)
	}
	b.answers = []error{fmt.Errorf("confirm: %w", recovery.ErrCodeUsed)}
	if err := e.Confirm(ctx, b, "123456", now); !strings.HasPrefix(err.Error(), "Ce code a déjà servi.") {
		t.Errorf("used code: %v", err)
	}
	for range MaxTries - 2 {
		_ = e.Confirm(ctx, b, "123456", now)
	}
	var backoff *BackoffError
	err = e.Confirm(ctx, b, "123456", now)
	if !errors.As(err, &backoff) || !strings.HasPrefix(err.Error(), "Trop de codes erronés. Attendez 30 secondes, puis réessayez.") ||
		!strings.Contains(err.Error(), "automatique"+nb+": ") {
		t.Errorf("back-off: %v", err)
	}
	if got := (&BackoffError{Wait: 90 * time.Second, lang: fr}).Error(); !strings.Contains(got, "Attendez 2 minutes,") {
		t.Errorf("back-off of 90 s = %q", got)
	}
	later := now.Add(time.Hour)
	b.answers = []error{fmt.Errorf("confirm: %w", recovery.ErrNoPendingTOTP)}
	if err := e.Confirm(ctx, b, "123456", later); !errors.Is(err, recovery.ErrNoPendingTOTP) || !strings.HasPrefix(err.Error(), "Mailjet n'attend pas de code"+nb+": ") {
		t.Errorf("no pending key: %v", err)
	}
	netErr := errors.New("connection refused")
	b.answers = []error{netErr}
	if err := e.Confirm(ctx, b, "123456", later); !errors.Is(err, netErr) || !strings.HasPrefix(err.Error(), "Impossible de vérifier le code auprès de Mailjet") {
		t.Errorf("network: %v", err)
	}

	// Starting: already on, or refused.
	if err := e.Start(ctx, &startBackend{err: recovery.ErrTwoFactorEnabled}); !errors.Is(err, recovery.ErrTwoFactorEnabled) ||
		!strings.HasPrefix(err.Error(), "L'authentification à deux facteurs est déjà activée pour ce compte"+nb+": ") {
		t.Errorf("already on: %v", err)
	}
	if err := e.Start(ctx, &startBackend{err: netErr}); !errors.Is(err, netErr) || !strings.HasPrefix(err.Error(), "Impossible d'enregistrer la clé d'authentification auprès de Mailjet") {
		t.Errorf("refused: %v", err)
	}
	// Without a language, English.
	if got := (&WrongCodeError{TriesLeft: 1}).Error(); !strings.HasSuffix(got, " 1 try left.") {
		t.Errorf("English = %q", got)
	}
}

// The recovery codes file of a French customer is in French.
func TestSaveCodesInFrench(t *testing.T) {
	fr, missed := lang.Strictly(lang.French)
	path := filepath.Join(t.TempDir(), "codes.txt")
	if err := SaveCodes(fr, path, "jane@example.com", []secret.Secret{secret.New("aaaa-bbbb-cccc-dddd")}); err != nil {
		t.Fatal(err)
	}
	missed.Report(t.Errorf)
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "Codes de récupération Mailjet de jane@example.com.") || !strings.Contains(string(data), "aaaa-bbbb-cccc-dddd\n") {
		t.Errorf("the codes file:\n%s", data)
	}
}
