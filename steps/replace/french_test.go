package replace

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// strictFrench fails the test on any message French does not translate,
// except kept texts (a plan's reasons, already in French) said again.
func strictFrench(t *testing.T, kept *map[string]bool) *lang.Printer {
	t.Helper()
	return lang.New(lang.French).Strict(func(k string) {
		if !(*kept)[k] {
			t.Errorf("not translated: %q", k)
		}
	})
}

// The files page in French: the plan's reasons, the preview, the notes,
// the errors of Apply and Remove, the second look and the report's lines.
func TestFilesInFrench(t *testing.T) {
	kept := map[string]bool{}
	fr := strictFrench(t, &kept)
	const nb = "\u00a0"
	dir := t.TempDir()
	w := func(name, content string) string { return writeFile(t, dir, name, fill(content), 0o644) }
	envBak := w("public_html/.env.bak", "MJ_APIKEY_PUBLIC=OLDKEY\nMJ_APIKEY_PRIVATE=OLDSECRET\n")
	wpBak := w("public_html/wp-config.php.bak", "define('WPMS_MAILJET_API_KEY','OLDKEY');define('WPMS_MAILJET_SECRET_KEY','OLDSECRET');\n")
	info := w("public_html/info.php", "<?php phpinfo();\n")
	appEnv := w("app/.env", "MAILJET_APIKEY=MASTERKEY\nMAILJET_SECRET=MASTEROLD\n")
	zip := w("backups/site.zip", "PK not really a zip")
	foreign := w("app/other.env", "MJ_APIKEY_PUBLIC=0f1e2d3c4b5a69788796a5b4c3d2e1f0\nMJ_APIKEY_PRIVATE=9a8b7c6d5e4f30211203f4e5d6c7b8a9\n")
	w("app/mailer.js", "const secret = process.env.MAILJET_SECRET;\n")
	w("node/send.js", "const pub = process.env.MJ_APIKEY_PUBLIC;\n")
	gitDir := filepath.Join(dir, "public_html/.git")
	if err := os.Mkdir(gitDir, 0o755); err != nil {
		t.Fatal(err)
	}
	findings := []investigate.Finding{
		pair(envBak, 2, oldKey, oldSecret), exposure(envBak, investigate.RuleExposedEnv),
		pair(wpBak, 1, oldKey, oldSecret), exposure(wpBak, investigate.RuleExposedWPBackup),
		exposure(info, investigate.RuleExposedPhpinfo),
		pair(appEnv, 2, masterKey, masterOld),
		pair(zip+"!wp-config.php", 7, oldKey, oldSecret),
		pair(filepath.Join(dir, "app/config.php")+"@0123abcd", 3, oldKey, oldSecret),
		pair(foreign, 2, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "9a8b7c6d5e4f30211203f4e5d6c7b8a9"),
		pair(filepath.Join(dir, "gone/.env"), 1, oldKey, oldSecret),
		exposure(gitDir, investigate.RuleExposedGit),
	}
	p := plan(t, Input{Findings: findings, Rotations: []Rotation{subRotation, masterRotation}, Roots: []string{dir}, Lang: fr})

	reasons := map[string]string{}
	for _, r := range p.Removals {
		reasons[r.Path] = r.Reason
	}
	for path, want := range map[string]string{
		envBak: "Une ancienne copie d'un fichier de réglages, publiée sur votre site" + nb + ": ",
		wpBak:  "Une copie de wp-config.php que votre serveur web donne à n'importe qui",
		info:   "Une page qui montre à n'importe qui les réglages de votre serveur",
		zip:    "Une archive de sauvegarde qui contient encore l'ancienne clé (dans ",
	} {
		if !strings.HasPrefix(reasons[path], want) {
			t.Errorf("removal of %s: %q, want %q", path, reasons[path], want)
		}
	}
	manual := map[string]string{}
	for _, m := range p.Manual {
		manual[strings.TrimPrefix(m.Path, dir+"/")] = m.Reason
		kept[m.Reason] = true
	}
	for path, want := range map[string]string{
		"app/config.php@0123abcd": "L'ancienne clé se trouve dans une version précédente conservée dans l'historique du code (git).",
		"app/other.env":           "La clé 0f1e2d3c4b5a69788796a5b4c3d2e1f0 ne fait pas partie des clés remplacées" + nb + ": mjrecover la laisse.",
		"gone/.env":               "Ce fichier n'est plus là. Relancez l'analyse.",
		"public_html/.git":        "Votre site publie l'historique de son code (dossier .git)",
	} {
		if !strings.HasPrefix(manual[path], want) {
			t.Errorf("manual note for %s = %q, want %q", path, manual[path], want)
		}
	}
	if len(p.Updates) != 1 {
		t.Fatalf("updates = %+v", p.Updates)
	}
	u := p.Updates[0]
	diff := u.Diff.String()
	if !strings.Contains(diff, "+++ "+appEnv+" (avec la nouvelle clé)\n") || !strings.Contains(diff, "@@ ligne 2 @@\n") {
		t.Errorf("diff:\n%s", diff)
	}
	var notes []string
	for _, n := range p.EnvNotes {
		notes = append(notes, n.Advice(fr))
	}
	joined := strings.Join(notes, "\n")
	if !strings.Contains(joined, "Il lit MAILJET_SECRET dans l'environnement, que "+appEnv+" définit"+nb+"; mjrecover met ce fichier à jour.") ||
		!strings.Contains(joined, "Il lit MJ_APIKEY_PUBLIC dans l'environnement, qu'aucun des fichiers mis à jour par mjrecover ne définit.") {
		t.Errorf("environment notes:\n%s", joined)
	}

	// Before the update, the second look finds the old values, in French.
	v, err := Verify(context.Background(), p.Updates)
	if err != nil || len(v.Leftovers) == 0 {
		t.Fatalf("verify = %+v, %v", v, err)
	}
	for _, l := range v.Leftovers {
		if !strings.HasPrefix(l.What, "ancienne clé") {
			t.Errorf("leftover %+v", l)
		}
		kept[l.What] = true
	}

	// A file changed since the plan is refused, in French.
	changed := p.Removals[0]
	if err := os.WriteFile(changed.Path, []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Remove(context.Background(), changed, t.TempDir())
	var fe *FileError
	if !errors.As(err, &fe) || !errors.Is(err, ErrChanged) || !strings.HasPrefix(fe.Problem, "Il a été modifié depuis l'analyse"+nb+": mjrecover n'y a pas touché.") {
		t.Fatalf("changed removal: %v", err)
	}
	changedProblem := fe.Problem
	a := &Applier{Now: fixedClock}
	if _, err := a.Apply(context.Background(), Update{Path: appEnv, lang: fr}); !errors.As(err, &fe) || fe.Problem != "Rien n'est prévu pour ce fichier. Préparez d'abord les changements." {
		t.Errorf("nothing planned: %v", err)
	}
	if err := os.Chmod(appEnv, 0o444); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(context.Background(), u); os.Geteuid() != 0 && (!errors.As(err, &fe) || !strings.HasPrefix(fe.Problem, "Il est en lecture seule")) {
		t.Errorf("read-only: %v", err)
	}
	if err := os.Chmod(appEnv, 0o644); err != nil {
		t.Fatal(err)
	}
	applied, err := a.Apply(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	check, err := Verify(context.Background(), []Update{u})
	if err != nil || !check.Clean() {
		t.Fatalf("verify after = %+v, %v", check, err)
	}

	// The report's lines in French; in English with no language.
	out := Outcome{
		Applied:  []Applied{applied},
		Removed:  []Removed{{Path: info, MovedTo: "/private/info.php"}},
		Failed:   []Failure{{Path: changed.Path, Problem: changedProblem}},
		Skipped:  []string{wpBak},
		EnvNotes: p.EnvNotes,
		Manual:   p.Manual,
		Check:    &check,
	}
	kept[changedProblem] = true
	var text []string
	for _, l := range out.Lines(dir, fr) {
		text = append(text, l.Area+" | "+l.Finding+" | "+l.Action)
	}
	lines := strings.Join(text, "\n")
	for _, want := range []string{
		"Fichier de réglages | app/.env contenait l'ancienne clé " + masterKey + " | Mis à jour avec la nouvelle clé API et la nouvelle clé secrète" + nb + "; l'ancienne version est gardée dans app/.env.mjrecover-",
		"Fichier divulgué | public_html/info.php divulguait des clés ou des mots de passe | Retiré du site (déplacé dans /private/info.php)",
		// "Not changed: %s" is another catalog's.
		"Fichier de réglages | " + strings.TrimPrefix(changed.Path, dir+"/") + " contient une ancienne clé | ",
		nb + ": Il a été modifié depuis l'analyse",
		"Fichier de réglages | public_html/wp-config.php.bak contient une ancienne clé | Laissé tel quel, au choix du client",
		"Environnement | app/mailer.js lit MAILJET_SECRET dans l'environnement | Le client a été invité",
		"À faire soi-même | gone/.env | Ce fichier n'est plus là.",
		"Vérification | Le fichier mis à jour a été analysé de nouveau | Aucune ancienne clé API ni clé secrète n'y reste",
	} {
		if !strings.Contains(lines, want) {
			t.Errorf("lines lack %q:\n%s", want, lines)
		}
	}
	if en := out.Lines(dir, nil); en[0].Area != "Settings file" || !strings.HasPrefix(en[0].Action, "Updated with the new key and secret;") {
		t.Errorf("English line = %+v", en[0])
	}
	two := Verification{Files: []string{"a", "b"}, Leftovers: []Leftover{{Path: "a", Line: 1, What: "ancienne clé API x"}}}
	kept["ancienne clé API x"] = true
	if l := (Outcome{Check: &two}).Lines("", fr); l[0].Finding != "Les 2 fichiers mis à jour ont été analysés de nouveau" || l[0].Action != "Encore trouvé"+nb+": a:1 ancienne clé API x" {
		t.Errorf("check line = %+v", l[0])
	}
}

// A rotation that cannot be applied, and a typed secret that is not one,
// are refused in French.
func TestRefusalsInFrench(t *testing.T) {
	kept := map[string]bool{}
	fr := strictFrench(t, &kept)
	const nb = "\u00a0"
	_, err := NewPlan(context.Background(), Input{Lang: fr})
	if err == nil || err.Error() != "remplacement des clés"+nb+": aucune clé remplacée à mettre en place" {
		t.Errorf("no rotation: %v", err)
	}
	for _, r := range []Rotation{
		{OldKey: "short", NewKey: newKey},
		{OldKey: oldKey, NewKey: "short"},
		{OldKey: oldKey, NewKey: newKey},
		{OldKey: oldKey, NewKey: newKey, NewSecret: subRotation.NewSecret, OldSecret: subRotation.NewSecret},
	} {
		if err := r.validate(fr); err == nil || !strings.HasPrefix(err.Error(), "l") {
			t.Errorf("%+v: %v", r, err)
		}
	}
	if err := validateRotations(fr, []Rotation{subRotation, subRotation}); err == nil || err.Error() != "la clé "+oldKey+" est indiquée deux fois" {
		t.Errorf("twice: %v", err)
	}
	if err := ValidateNewSecret(fr, "x"); err == nil || !strings.HasPrefix(err.Error(), "une clé secrète Mailjet compte 16 à 128 lettres et chiffres") {
		t.Errorf("typed secret: %v", err)
	}
	for _, e := range []error{ErrChanged, ErrReadOnly, ErrNotPlainFile, ErrHardLinked, ErrTooLarge, os.ErrNotExist, os.ErrPermission, errors.New("disk full")} {
		if p := fr.Say(fileProblem(e)); p == fileProblem(e).String() {
			t.Errorf("%v: %q", e, p)
		}
	}
	_ = time.Now
}
