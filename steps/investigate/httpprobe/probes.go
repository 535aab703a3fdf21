package httpprobe

import (
	"bytes"
	"regexp"
)

// Kind is what a probe looks for.
type Kind string

const (
	Env            Kind = "env"              // a .env settings file
	Git            Kind = "git"              // a readable .git folder
	WPConfigBackup Kind = "wp-config-backup" // wp-config.php source in a backup copy
	Phpinfo        Kind = "phpinfo"          // a phpinfo() page
	Log            Kind = "log"              // WordPress debug.log or Laravel's log
	Backup         Kind = "backup"           // an archive or a SQL dump
)

// Response is what a probe's matcher sees: the status and at most the
// first ReadCap bytes of the body.
type Response struct {
	Status int
	Body   []byte
}

// Probe is one well-known path and how to recognise the real thing.
// Match always checks the status and the content: a status alone says
// nothing on sites that answer 200 for every path.
type Probe struct {
	Path  string // relative to the site's base URL, no leading slash
	Kind  Kind
	Match func(Response) bool
}

var (
	envLine     = regexp.MustCompile(`(?m)^[ \t]*(?:export[ \t]+)?[A-Z][A-Z0-9_]{1,63}[ \t]*=`)
	wpDefine    = regexp.MustCompile(`(?i)define\s*\(\s*['"]DB_(?:NAME|USER|PASSWORD|HOST)['"]`)
	wpDebugLine = regexp.MustCompile(`(?m)^\[\d{2}-[A-Za-z]{3}-\d{4} \d{2}:\d{2}:\d{2}[^\]\n]*\] PHP (?:Fatal error|Warning|Notice|Parse error|Deprecated|Stack trace)`)
	laravelLine = regexp.MustCompile(`(?m)^\[\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}[^\]\n]*\] [\w-]+\.(?:EMERGENCY|ALERT|CRITICAL|ERROR|WARNING|NOTICE|INFO|DEBUG):`)
	sqlDump     = regexp.MustCompile(`(?i)(?:^|\n)(?:-- (?:MySQL|MariaDB) dump|CREATE TABLE|INSERT INTO|DROP TABLE IF EXISTS)`)
	gitHead     = regexp.MustCompile(`^(?:ref: refs/[^\s]+|[0-9a-f]{40})\s*$`)
)

// isHTML spots an HTML page (a home page served for every path).
func isHTML(b []byte) bool {
	head := bytes.ToLower(b[:min(len(b), 1024)])
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype")) || bytes.Contains(head, []byte("<body"))
}

func ok(r Response) bool { return r.Status == 200 && len(r.Body) > 0 }

func envFile(r Response) bool {
	return ok(r) && !isHTML(r.Body) && len(envLine.FindAllIndex(r.Body, 2)) == 2
}

func gitConfig(r Response) bool {
	return ok(r) && !isHTML(r.Body) && bytes.Contains(r.Body, []byte("[core]")) &&
		(bytes.Contains(r.Body, []byte("repositoryformatversion")) || bytes.Contains(r.Body, []byte("bare")))
}

func gitHEAD(r Response) bool {
	return ok(r) && gitHead.Match(bytes.TrimSpace(r.Body))
}

func wpConfigSource(r Response) bool {
	return ok(r) && wpDefine.Match(r.Body)
}

func phpinfoPage(r Response) bool {
	return ok(r) && bytes.Contains(r.Body, []byte("PHP Version")) &&
		(bytes.Contains(r.Body, []byte("PHP Extension")) || bytes.Contains(r.Body, []byte("Configuration File (php.ini) Path")))
}

func wpDebugLog(r Response) bool { return ok(r) && !isHTML(r.Body) && wpDebugLine.Match(r.Body) }

func laravelLog(r Response) bool { return ok(r) && !isHTML(r.Body) && laravelLine.Match(r.Body) }

func zipFile(r Response) bool { return ok(r) && bytes.HasPrefix(r.Body, []byte("PK\x03\x04")) }

func gzipFile(r Response) bool { return ok(r) && bytes.HasPrefix(r.Body, []byte{0x1f, 0x8b}) }

func sqlFile(r Response) bool { return ok(r) && !isHTML(r.Body) && sqlDump.Match(r.Body) }

// Default is the list of well-known leaking paths.
func Default() []Probe {
	var ps []Probe
	add := func(kind Kind, match func(Response) bool, paths ...string) {
		for _, p := range paths {
			ps = append(ps, Probe{Path: p, Kind: kind, Match: match})
		}
	}
	add(Env, envFile, ".env", ".env.bak", ".env.backup", ".env.old", ".env.save", ".env.local",
		".env.production", ".env.prod", "api/.env")
	add(Git, gitConfig, ".git/config")
	add(Git, gitHEAD, ".git/HEAD")
	add(WPConfigBackup, wpConfigSource, "wp-config.php.bak", "wp-config.php.old", "wp-config.php.save",
		"wp-config.php.orig", "wp-config.php.txt", "wp-config.php~", "wp-config.php.swp", ".wp-config.php.swp",
		"wp-config.php.backup", "wp-config.bak", "wp-config.old", "wp-config.txt")
	add(Phpinfo, phpinfoPage, "phpinfo.php", "info.php", "test.php", "php.php", "i.php", "php_info.php", "pinfo.php")
	add(Log, wpDebugLog, "wp-content/debug.log")
	add(Log, laravelLog, "storage/logs/laravel.log")
	add(Backup, zipFile, "backup.zip", "site.zip", "www.zip", "public_html.zip", "wordpress.zip")
	add(Backup, gzipFile, "backup.tar.gz", "backup.sql.gz")
	add(Backup, sqlFile, "backup.sql", "dump.sql", "database.sql", "db.sql")
	return ps
}
