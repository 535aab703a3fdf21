package replace

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate"
)

func TestEnvNotesFindWhatReadsTheKeyFromTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	w := func(name, content string) string { return writeFile(t, dir, name, fill(content), 0o644) }
	env := w("laravel/.env", "APP_NAME=shop\nMAILJET_APIKEY=OLDKEY\nMAILJET_APISECRET=OLDSECRET\nMAIL_FROM_NAME=\"${APP_NAME}\"\n")
	services := w("laravel/config/services.php", "<?php return ['mailjet' => [\n 'key' => env('MAILJET_APIKEY'),\n 'secret' => env('MAILJET_APISECRET'),\n]];\n")
	mailer := w("node/mailer.js", "// Mailjet\nconst auth = {\n  user: process.env.MJ_APIKEY_PUBLIC,\n  pass: process.env['MJ_APIKEY_PRIVATE'],\n};\n")
	compose := w("docker-compose.yml", "services:\n  app:\n    environment:\n      MJ_APIKEY_PRIVATE: ${MJ_APIKEY_PRIVATE:-}\n")
	dsn := w("symfony/.env", "MAILER_DSN=mailjet+api://OLDKEY:OLDSECRET@default\n")
	symfony := w("symfony/config/mailer.yaml", "framework:\n  mailer:\n    dsn: '%env(MAILER_DSN)%'\n")
	w("laravel/vendor/mailjet/src/Client.php", "<?php getenv('MJ_APIKEY_PUBLIC');\n") // a library: skipped
	w("laravel/app/Other.php", "<?php getenv('DB_PASSWORD'); // mailjet is not read here\n")
	w("node/node_modules/x/index.js", "process.env.MJ_APIKEY_PUBLIC\n")

	p := plan(t, Input{
		Findings:  []investigate.Finding{pair(env, 3, oldKey, oldSecret), pair(dsn, 1, oldKey, oldSecret)},
		Rotations: []Rotation{subRotation},
		Roots:     []string{dir},
	})
	got := map[string]EnvNote{}
	for _, n := range p.EnvNotes {
		got[n.Path] = n
	}
	check := func(path string, line int, names []string, setIn []string) {
		t.Helper()
		n, ok := got[path]
		if !ok {
			t.Errorf("no note for %s; notes: %+v", path, p.EnvNotes)
			return
		}
		if n.Line != line || !slices.Equal(n.Names, names) || !slices.Equal(n.SetIn, setIn) {
			t.Errorf("note = %+v, want line %d, names %v, set in %v", n, line, names, setIn)
		}
	}
	check(services, 2, []string{"MAILJET_APIKEY", "MAILJET_APISECRET"}, []string{env})
	check(mailer, 3, []string{"MJ_APIKEY_PUBLIC", "MJ_APIKEY_PRIVATE"}, nil)
	check(compose, 4, []string{"MJ_APIKEY_PRIVATE"}, nil)
	check(symfony, 3, []string{"MAILER_DSN"}, []string{dsn})
	if len(got) != 4 {
		t.Errorf("%d notes, want 4: %+v", len(got), p.EnvNotes)
	}
	if a := got[mailer].Advice(nil); !strings.Contains(a, "environment of the service") {
		t.Errorf("advice = %q", a)
	}
	if a := got[services].Advice(nil); !strings.Contains(a, filepath.Base(filepath.Dir(env))) {
		t.Errorf("advice = %q, want it to name the file that sets the names", a)
	}
}

func TestEnvNotesStopWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.js", "process.env.MJ_APIKEY_PUBLIC\n", 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := findEnvNotes(ctx, []string{dir}, nil, nil); err == nil {
		t.Error("want the context's error")
	}
}
