package review_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/review"
)

func strictFrench(t *testing.T) *lang.Printer {
	t.Helper()
	return lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
}

// The review in French: the items' words are said in French, the report's
// lines stay English (their messages say them in French), and Act
// answers in French.
func TestReviewInFrench(t *testing.T) {
	ctx := context.Background()
	sb, _, api := demo(t)
	addWebhook(t, api, masterCreds.APIKey, masterCreds.Secret.Reveal(), "http://plain.example.org/hook", "click")
	english, err := review.Run(ctx, api, review.Input{})
	if err != nil {
		t.Fatal(err)
	}
	fr := strictFrench(t)
	r, err := review.Run(ctx, api, review.Input{Lang: fr})
	if err != nil {
		t.Fatal(err)
	}
	hook := find(t, r, "Webhook vers collect.mailstat-cdn.example")
	if !strings.Contains(fr.Say(hook.Explain), "avec l'adresse du destinataire") || fr.Say(hook.Recommend) != "Supprimez-le, sauf si vous l'avez créé pour un service que vous utilisez." {
		t.Errorf("webhook item = %q / %q", fr.Say(hook.Explain), fr.Say(hook.Recommend))
	}
	plain := find(t, r, "Webhook vers plain.example.org")
	if !strings.Contains(fr.Say(plain.Explain), "Et c'est même envoyé sans chiffrement.") {
		t.Errorf("unencrypted webhook = %q", fr.Say(plain.Explain))
	}
	find(t, r, "Route de réception vers inbox-relay.example.net")
	find(t, r, "3 adresses d'expéditeur sur vos domaines")
	spike := find(t, r, "Un pic d'envois")
	if e := fr.Say(spike.Explain); !regexp.MustCompile(`^(Le|Du) \d+(er)? [a-zéû]+ 20\d\d`).MatchString(e) || !strings.Contains(e, "\u00a0% ont été refusés") {
		t.Errorf("spike = %q", e)
	}
	unused := find(t, r, "Clé de sous-compte")
	if e := fr.Say(unused.Explain); !strings.Contains(e, "Elle n'a rien envoyé depuis le ") && !strings.Contains(e, "Elle n'a jamais envoyé") {
		t.Errorf("unused key = %q", e)
	}
	for _, it := range r.Items {
		for _, s := range []string{fr.Say(it.Title), fr.Say(it.Explain), fr.Say(it.Recommend)} {
			for _, english := range []string{"Webhook to", "Nothing to do", "Delete it", "your account", "Sender "} {
				if strings.Contains(s, english) {
					t.Errorf("%q is still English", s)
				}
			}
		}
		if it.Area.Words(fr) == string(it.Area) && it.Area != review.AreaSending {
			t.Errorf("area %q not said in French", it.Area)
		}
		_ = it.Verdict.Words(fr)
		_ = it.Action.Words(fr)
	}

	// The report's lines are the same English as an English review's,
	// messages and all, and a line kept in a journal is said in French.
	en, _ := json.Marshal(english.Lines())
	got, _ := json.Marshal(r.Lines())
	if string(en) != string(got) {
		t.Errorf("report lines changed with the language:\n got %s\nwant %s", got, en)
	}
	var kept []review.Line
	if err := json.Unmarshal(got, &kept); err != nil {
		t.Fatal(err)
	}
	for _, l := range kept {
		if l.FindingMsg.IsZero() || l.ActionMsg.IsZero() || l.AreaMsg.IsZero() {
			t.Errorf("a line without its messages: %+v", l)
		}
		if f := fr.Say(l.FindingMsg); strings.Contains(f, "Webhook to") || strings.Contains(f, "your account") {
			t.Errorf("a kept line said in French is English: %q", f)
		}
	}

	// Act answers in the review's language; the report's line stays English.
	done, err := review.Act(ctx, api, hook)
	if err != nil || fr.Say(done.Result) != "Supprimé." {
		t.Fatalf("Act = %q, %v", fr.Say(done.Result), err)
	}
	if l := done.Line(); l.Action != "Deleted." || !strings.HasPrefix(l.Finding, "Webhook to collect.mailstat-cdn.example: Mailjet sends") ||
		fr.Say(l.ActionMsg) != "Supprimé." || !strings.HasPrefix(fr.Say(l.FindingMsg), "Webhook vers collect.mailstat-cdn.example\u00a0: Mailjet envoie") {
		t.Errorf("line = %+v", l)
	}
	route := find(t, r, "Route de réception vers inbox-relay.example.net")
	sb.FailNext(http.MethodDelete, "/v3/REST/parseroute/", http.StatusBadRequest, 1)
	if _, err := review.Act(ctx, api, route); err == nil || !strings.HasPrefix(err.Error(), "Supprimer la route de réception n'a pas fonctionné\u00a0: ") {
		t.Errorf("failed act: %v", err)
	}

	// A part that could not be read: French on screen, English in the report.
	sb.FailNext(http.MethodGet, "/v3/REST/parseroute", http.StatusForbidden, 1)
	r, err = review.Run(ctx, api, review.Input{Lang: fr})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 1 || !strings.HasPrefix(fr.Say(r.Problems[0].Text), "Impossible de lire les routes de réception\u00a0: Mailjet a donné une réponse inattendue (403 ") {
		t.Errorf("problems = %+v", r.Problems)
	}
	if l := r.Lines(); !strings.HasPrefix(l[len(l)-1].Finding, "Could not read the parse routes: ") || l[len(l)-1].Action != "Not reviewed" {
		t.Errorf("problem line = %+v", l[len(l)-1])
	}
}

func TestSMTPCheckInFrench(t *testing.T) {
	fr := strictFrench(t)
	at := time.Date(2026, 11, 25, 19, 45, 0, 0, time.UTC)
	for _, c := range []review.SMTPCheck{
		{Key: "abc", Outcome: review.SMTPRefused, CheckedAt: at},
		{Key: "abc", Outcome: review.SMTPAccepted, CheckedAt: at},
	} {
		if w := c.Words(fr); !strings.Contains(w, "Le serveur d'e-mail de Mailjet") {
			t.Errorf("Words = %q", w)
		}
		if l := c.Line(); !strings.HasPrefix(l.Finding, "Mailjet's email server") || l.Action != "Checked at 2026-11-25 19:45 UTC" {
			t.Errorf("line = %+v", l)
		}
	}
	// A check that could not be made, said in French.
	checker := review.SMTPChecker{Addr: "no-port"}
	c := checker.CheckLogin(context.Background(), "abc", secret.New("s3cr3t"))
	if c.Outcome != review.SMTPNotChecked || c.Words(fr) != "L'ancienne connexion de la clé abc n'a pas pu être vérifiée\u00a0: l'adresse du serveur d'e-mail n'est pas de la forme hôte:port." {
		t.Errorf("Words = %q", c.Words(fr))
	}
	if c.Problem != "the email server's address is not host:port." || c.Line().Action != "Not checked" {
		t.Errorf("English problem = %q, line %+v", c.Problem, c.Line())
	}
}
