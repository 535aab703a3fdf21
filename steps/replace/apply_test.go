package replace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate"
)

// Each style is written, planned, applied and checked byte for byte: only
// the exact old values change; quotes, spacing and line endings stay.
func TestQuotingStyles(t *testing.T) {
	cases := []struct {
		name, file, before, after string
		lines                     []int // of the finding(s)
		master                    bool  // the master key: only the secret changes
	}{
		{"KEY=value", ".env",
			"APP_NAME=shop\nMAILJET_APIKEY=OLDKEY\nMAILJET_APISECRET=OLDSECRET\n",
			"APP_NAME=shop\nMAILJET_APIKEY=NEWKEY\nMAILJET_APISECRET=NEWSECRET\n", []int{3}, false},
		{`KEY="value"`, ".env",
			"MJ_APIKEY_PUBLIC=\"OLDKEY\"\nMJ_APIKEY_PRIVATE=\"OLDSECRET\"",
			"MJ_APIKEY_PUBLIC=\"NEWKEY\"\nMJ_APIKEY_PRIVATE=\"NEWSECRET\"", []int{2}, false},
		{"KEY='value'", ".env",
			"export MJ_APIKEY_PUBLIC='OLDKEY'\nexport MJ_APIKEY_PRIVATE='OLDSECRET'\n",
			"export MJ_APIKEY_PUBLIC='NEWKEY'\nexport MJ_APIKEY_PRIVATE='NEWSECRET'\n", []int{2}, false},
		{"PHP define", "wp-config.php",
			"<?php\ndefine( 'WPMS_MAILJET_API_KEY', 'OLDKEY' );\ndefine('WPMS_MAILJET_SECRET_KEY', \"OLDSECRET\");\n",
			"<?php\ndefine( 'WPMS_MAILJET_API_KEY', 'NEWKEY' );\ndefine('WPMS_MAILJET_SECRET_KEY', \"NEWSECRET\");\n", []int{3}, false},
		{"JSON", "appsettings.json",
			"{\n  \"Mailjet\": {\n    \"ApiKey\": \"OLDKEY\",\n    \"ApiSecret\": \"OLDSECRET\"\n  }\n}\n",
			"{\n  \"Mailjet\": {\n    \"ApiKey\": \"NEWKEY\",\n    \"ApiSecret\": \"NEWSECRET\"\n  }\n}\n", []int{4}, false},
		{"YAML", "docker-compose.yml",
			"services:\n  app:\n    environment:\n      MJ_APIKEY_PUBLIC: OLDKEY\n      MJ_APIKEY_PRIVATE: \"OLDSECRET\"\n",
			"services:\n  app:\n    environment:\n      MJ_APIKEY_PUBLIC: NEWKEY\n      MJ_APIKEY_PRIVATE: \"NEWSECRET\"\n", []int{5}, false},
		{"DSN", ".env.local",
			"MAILER_DSN=mailjet+api://OLDKEY:OLDSECRET@default?sandbox=false\n",
			"MAILER_DSN=mailjet+api://NEWKEY:NEWSECRET@default?sandbox=false\n", []int{1}, false},
		{"CRLF", ".env",
			"APP_ENV=production\r\nMAILJET_APIKEY=OLDKEY\r\nMAILJET_APISECRET=OLDSECRET\r\n\r\n# end\r\n",
			"APP_ENV=production\r\nMAILJET_APIKEY=NEWKEY\r\nMAILJET_APISECRET=NEWSECRET\r\n\r\n# end\r\n", []int{3}, false},
		{"master key: only the secret", ".env",
			"MJ_APIKEY_PUBLIC=MASTERKEY\nMJ_APIKEY_PRIVATE=MASTEROLD\n",
			"MJ_APIKEY_PUBLIC=MASTERKEY\nMJ_APIKEY_PRIVATE=MASTERNEW\n", []int{2}, true},
		{"unrelated hex stays", "config.php",
			"<?php // checksum OLDKEY0 and aOLDSECRET stay; md5 0123456789abcdef0123456789abcdef stays\n$mj = new \\Mailjet\\Client('OLDKEY', 'OLDSECRET');\n",
			"<?php // checksum OLDKEY0 and aOLDSECRET stay; md5 0123456789abcdef0123456789abcdef stays\n$mj = new \\Mailjet\\Client('NEWKEY', 'NEWSECRET');\n", []int{2}, false},
		{"Basic header", "curl.sh",
			"# mailjet\ncurl -H 'Authorization: Basic " + b64(oldKey+":"+oldSecret) + "' https://api.mailjet.com/v3/REST/apikey\n",
			"# mailjet\ncurl -H 'Authorization: Basic " + b64(newKey+":"+newSecret) + "' https://api.mailjet.com/v3/REST/apikey\n", []int{2}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, c.file, fill(c.before), 0o640)
			rot, key, sec := subRotation, oldKey, oldSecret
			if c.master {
				rot, key, sec = masterRotation, masterKey, masterOld
			}
			var findings []investigate.Finding
			for _, l := range c.lines {
				findings = append(findings, pair(path, l, key, sec))
			}
			p := plan(t, Input{Findings: findings, Rotations: []Rotation{rot}})
			if len(p.Updates) != 1 || len(p.Removals) != 0 {
				t.Fatalf("plan = %+v, want one update", p)
			}
			u := p.Updates[0]
			noSecrets(t, "the diff", u.Diff.String())
			noSecrets(t, "the plan printed", fmt.Sprintf("%v %+v %#v", p, p, p))
			if !c.master && !strings.Contains(u.Diff.String(), "-") {
				t.Errorf("diff = %s", u.Diff)
			}

			a := Applier{Now: fixedClock}
			res, err := a.Apply(context.Background(), u)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != fill(c.after) {
				t.Errorf("file now\n%q\nwant\n%q", got, fill(c.after))
			}
			backup, _ := os.ReadFile(res.Backup)
			if string(backup) != fill(c.before) {
				t.Errorf("backup holds %q", backup)
			}
			if want := path + ".mjrecover-20261125-194500.bak"; res.Backup != want {
				t.Errorf("backup at %s, want %s", res.Backup, want)
			}
			if mode(t, res.Backup) != 0o600 || mode(t, path) != 0o640 {
				t.Errorf("modes: backup %v, file %v; want 0600 and the file's 0640", mode(t, res.Backup), mode(t, path))
			}
			if names := listDir(t, filepath.Dir(path)); len(names) != 2 {
				t.Errorf("folder holds %v, want the file and its backup only", names)
			}
			v, err := Verify(context.Background(), p.Updates)
			if err != nil || !v.Clean() {
				t.Errorf("Verify = %+v, %v; want clean", v, err)
			}
		})
	}
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

// shopFile is a config file with the sub-account pair, planned.
func shopFile(t *testing.T, mode os.FileMode) (string, Update) {
	t.Helper()
	dir := t.TempDir()
	path := writeFile(t, dir, "wp-config.php", fill("<?php\ndefine('WPMS_MAILJET_API_KEY', 'OLDKEY');\ndefine('WPMS_MAILJET_SECRET_KEY', 'OLDSECRET');\n"), mode)
	p := plan(t, Input{Findings: []investigate.Finding{pair(path, 3, oldKey, oldSecret)}, Rotations: []Rotation{subRotation}})
	if len(p.Updates) != 1 {
		t.Fatalf("plan = %+v", p)
	}
	return path, p.Updates[0]
}

// untouched fails unless the folder holds only the original file, as it was.
func untouched(t *testing.T, path string) {
	t.Helper()
	got, _ := os.ReadFile(path)
	if !strings.Contains(string(got), oldSecret) || strings.Contains(string(got), newSecret) {
		t.Errorf("the file was changed: %q", got)
	}
	if names := listDir(t, filepath.Dir(path)); len(names) != 1 {
		t.Errorf("folder holds %v, want the original alone (no backup, no temporary file)", names)
	}
}

func TestReadOnlyFileIsRefused(t *testing.T) {
	path, u := shopFile(t, 0o444)
	_, err := (&Applier{}).Apply(context.Background(), u)
	var fe *FileError
	if !errors.Is(err, ErrReadOnly) || !errors.As(err, &fe) || !strings.Contains(fe.Error(), "read-only") {
		t.Fatalf("err = %v, want a plain read-only error", err)
	}
	noSecrets(t, "the error", err.Error())
	untouched(t, path)
}

func TestCrashBetweenBackupAndRenameLeavesTheOriginal(t *testing.T) {
	path, u := shopFile(t, 0o600)
	before, _ := os.ReadFile(path)
	crash := errors.New("power cut")
	a := Applier{Now: fixedClock, beforeRename: func() error {
		// At this point the backup and the new content are on disk…
		names := listDir(t, filepath.Dir(path))
		if len(names) != 3 {
			t.Errorf("before the rename the folder holds %v, want file, backup and temporary file", names)
		}
		// …and the original has not been touched.
		if now, _ := os.ReadFile(path); string(now) != string(before) {
			t.Error("the original changed before the rename")
		}
		return crash
	}}
	_, err := a.Apply(context.Background(), u)
	if !errors.Is(err, crash) {
		t.Fatalf("err = %v, want the injected failure", err)
	}
	untouched(t, path)
	// The file is still as planned: applying again works.
	if _, err := (&Applier{}).Apply(context.Background(), u); err != nil {
		t.Errorf("second try: %v", err)
	}
}

func TestFileChangedSinceTheScanIsRefused(t *testing.T) {
	t.Run("edited", func(t *testing.T) {
		path, u := shopFile(t, 0o600)
		f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		fmt.Fprintln(f, "// edited")
		f.Close()
		_, err := (&Applier{}).Apply(context.Background(), u)
		if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "Scan again") {
			t.Fatalf("err = %v, want changed since the scan", err)
		}
		if got, _ := os.ReadFile(path); !strings.HasSuffix(string(got), "// edited\n") {
			t.Error("the edit was lost")
		}
	})
	t.Run("same size and time, other content", func(t *testing.T) {
		path, u := shopFile(t, 0o600)
		info, _ := os.Stat(path)
		content, _ := os.ReadFile(path)
		edited := strings.Replace(string(content), "WPMS_", "XPMS_", 1)
		if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, info.ModTime(), info.ModTime()); err != nil {
			t.Fatal(err)
		}
		if _, err := (&Applier{}).Apply(context.Background(), u); !errors.Is(err, ErrChanged) {
			t.Fatalf("err = %v, want changed since the scan (the hash differs)", err)
		}
	})
	t.Run("changed during the update", func(t *testing.T) {
		path, u := shopFile(t, 0o600)
		a := Applier{beforeRename: func() error {
			return os.WriteFile(path, []byte("// someone saved\n"), 0o600)
		}}
		if _, err := a.Apply(context.Background(), u); !errors.Is(err, ErrChanged) {
			t.Fatalf("err = %v, want changed", err)
		}
		if got, _ := os.ReadFile(path); string(got) != "// someone saved\n" {
			t.Errorf("the other writer's content was replaced: %q", got)
		}
	})
}

func TestBackupsNeverOverwrite(t *testing.T) {
	path, u := shopFile(t, 0o600)
	taken := path + ".mjrecover-20261125-194500.bak"
	if err := os.WriteFile(taken, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := (&Applier{Now: fixedClock}).Apply(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	if res.Backup != path+".mjrecover-20261125-194500-2.bak" {
		t.Errorf("backup = %s", res.Backup)
	}
	if got, _ := os.ReadFile(taken); string(got) != "mine" {
		t.Error("an existing file was overwritten")
	}
}

func TestOwnerGroupAndModeAreKept(t *testing.T) {
	path, u := shopFile(t, 0o640)
	if os.Geteuid() == 0 {
		if err := os.Chown(path, 1234, 5678); err != nil {
			t.Fatal(err)
		}
		u = replan(t, path)
	}
	before, _ := os.Stat(path)
	res, err := (&Applier{}).Apply(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if after.Mode() != before.Mode() {
		t.Errorf("mode %v, want %v", after.Mode(), before.Mode())
	}
	bs, as := before.Sys().(*syscall.Stat_t), after.Sys().(*syscall.Stat_t)
	if bs.Uid != as.Uid || bs.Gid != as.Gid {
		t.Errorf("owner %d:%d, want %d:%d", as.Uid, as.Gid, bs.Uid, bs.Gid)
	}
	if bk, _ := os.Stat(res.Backup); bk.Sys().(*syscall.Stat_t).Uid != bs.Uid {
		t.Error("the backup does not belong to the file's owner")
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings %v", res.Warnings)
	}
}

func replan(t *testing.T, path string) Update {
	t.Helper()
	p := plan(t, Input{Findings: []investigate.Finding{pair(path, 3, oldKey, oldSecret)}, Rotations: []Rotation{subRotation}})
	return p.Updates[0]
}

func TestLinksAreNotFollowed(t *testing.T) {
	t.Run("symbolic link", func(t *testing.T) {
		path, _ := shopFile(t, 0o600)
		link := filepath.Join(filepath.Dir(path), "link.php")
		if err := os.Symlink(path, link); err != nil {
			t.Skip(err)
		}
		p := plan(t, Input{Findings: []investigate.Finding{pair(link, 3, oldKey, oldSecret)}, Rotations: []Rotation{subRotation}})
		if len(p.Updates) != 0 || len(p.Manual) != 1 || !strings.Contains(p.Manual[0].Reason, "link") {
			t.Errorf("plan = %+v, want the link left for the user", p)
		}
	})
	t.Run("hard link", func(t *testing.T) {
		path, u := shopFile(t, 0o600)
		if err := os.Link(path, path+".other"); err != nil {
			t.Skip(err)
		}
		if _, err := (&Applier{}).Apply(context.Background(), u); !errors.Is(err, ErrHardLinked) {
			t.Fatalf("err = %v, want ErrHardLinked", err)
		}
	})
}

func TestApplyHonoursTheContext(t *testing.T) {
	path, u := shopFile(t, 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&Applier{}).Apply(ctx, u); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	untouched(t, path)
	if _, err := (&Applier{}).Apply(context.Background(), Update{Path: path}); err == nil {
		t.Error("an unplanned update was applied")
	}
}

func TestBackupsCanGoToAPrivateFolder(t *testing.T) {
	path, u := shopFile(t, 0o600)
	dir := filepath.Join(t.TempDir(), "mjrecover-backups")
	res, err := (&Applier{Now: fixedClock, BackupDir: dir}).Apply(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, filepath.Base(path)+".mjrecover-20261125-194500.bak"); res.Backup != want {
		t.Errorf("backup at %s, want %s", res.Backup, want)
	}
	if mode(t, dir) != 0o700 || mode(t, res.Backup) != 0o600 {
		t.Errorf("modes: folder %v, backup %v", mode(t, dir), mode(t, res.Backup))
	}
	if leftovers, _ := filepath.Glob(path + ".mjrecover-*"); len(leftovers) != 0 {
		t.Errorf("a backup next to the file too: %v", leftovers)
	}
}
