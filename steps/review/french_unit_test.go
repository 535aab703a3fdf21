package review

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Counts are said the French way (39 000), dates in French words.
func TestSendingInFrench(t *testing.T) {
	fr := lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
	day0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var days []mailjet.DayCounts
	for i, n := range []int64{100, 120, 110, 130, 90, 115, 125, 105, 100, 120, 120, 18000, 21000, 90} {
		days = append(days, mailjet.DayCounts{Day: day0.AddDate(0, 0, i), Total: n, Blocked: n / 4})
	}
	since := day0.AddDate(0, 0, 10)
	it := sendingItem(days, since, "")
	if !regexp.MustCompile(`^Du 12 octobre 2026 au 13 octobre 2026, votre compte a envoyé 39\D000 e-mails, alors qu'il en envoie d'habitude environ 115 par jour\. 25\D% ont été refusés`).MatchString(fr.Say(it.Explain)) {
		t.Errorf("spike = %q", fr.Say(it.Explain))
	}
	if fr.Say(it.Title) != "Un pic d'envois" || it.Title.String() != "A spike in sending" ||
		!strings.HasPrefix(it.Line().Finding, "A spike in sending: From 12 October 2026 to 13 October 2026, your account sent 39,000 emails") {
		t.Errorf("title %q, line %+v", fr.Say(it.Title), it.Line())
	}
	quiet := sendingItem(days[:10], since, "Shop")
	if fr.Say(quiet.Title) != "Aucun envoi inhabituel par Shop" || !strings.HasPrefix(fr.Say(quiet.Explain), "La clé Shop a envoyé environ 115 e-mails par jour ces 60 derniers jours") {
		t.Errorf("quiet = %q / %q", fr.Say(quiet.Title), fr.Say(quiet.Explain))
	}
	one := sendingItem([]mailjet.DayCounts{{Day: day0, Total: 1}}, since, "")
	if !strings.HasPrefix(fr.Say(one.Explain), "Votre compte a envoyé environ 1 e-mail par jour") {
		t.Errorf("one a day = %q", fr.Say(one.Explain))
	}
}
