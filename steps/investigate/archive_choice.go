package investigate

import (
	"path"
	"strings"

	"github.com/mjrecover/mjrecover/steps/investigate/archive"
)

// Which archives the scan opens.
//
// A server holds thousands of compressed files that cannot hold a key
// someone wrote down: Debian's manual pages (ls.1.gz) and changelogs
// (/usr/share/doc/*/changelog.Debian.gz), and logrotate's old logs
// (access.log.2.gz), which hold requests, not settings (the access-log
// reader reads those for downloads, separately). Unpacking them all made a
// scan of such a tree several times slower than one of its plain files.
// What a careful owner expects to be searched is where a copy of the site
// or its settings ends up:
//
//   - every zip, tar and tar.gz/tgz: they are how sites are backed up and
//     moved (site.zip, backup.tar.gz);
//   - every archive below a folder the walk knows is web-served (named
//     public_html, www..., or listing an index page, an .htaccess or
//     WordPress) or named like uploads or backups (wp-content/uploads,
//     backups/, ai1wm-backups): what is there is either served to anyone
//     or put there to be kept;
//   - a lone .gz whose name says configuration or data: a dump or a copy
//     of a settings or code file (db.sql.gz, .env.gz, config.json.gz,
//     settings.yml.gz, wp-config.php.gz, app.js.gz; rotated too:
//     db.sql.1.gz), or a name saying backup, bak, dump, db, site, www,
//     export, config, settings, secret or credentials (site-backup.gz);
//   - an archive given as the root of the scan, whatever its name.
//
// A lone .gz is not opened when it is a manual page (x.1.gz, x.3perl.gz),
// a changelog, NEWS or README, a rotated log (access.log.3.gz,
// error.log-20240501.gz, cPanel's example.com-Nov-2024.gz), a page, text,
// style sheet or source map (.html.gz, .txt.gz, .css.gz, .map.gz), or
// anything inside system documentation (share/doc, share/man, share/info)
// or third-party packages (vendor, site-packages). Like images, the files
// passed over are not listed one by one; Options.AllArchives
// (--all-archives) opens them all, Options.NoArchives none.

// opensArchive reports whether the walk reads inside an archive it listed
// at rel (a slash path in its tree); inBackupPlace says its folder, or one
// above, is web-served or holds uploads or backups.
func (s *scanner) opensArchive(rel string, kind archive.Kind, inBackupPlace bool) bool {
	switch {
	case s.opts.NoArchives:
		return false
	case kind != archive.Gzip, s.opts.AllArchives, inBackupPlace:
		return true
	}
	return gzipMayHoldKeys(strings.ToLower(rel))
}

// gzipMayHoldKeys judges a lone .gz by its path (lower case).
func gzipMayHoldKeys(lowerRel string) bool {
	if inDocsOrPackages(lowerRel) {
		return false
	}
	inner := strings.TrimSuffix(path.Base(lowerRel), ".gz")
	stem := trimRotation(inner)
	switch ext := path.Ext(stem); {
	case strings.HasPrefix(stem, ".env"), dataExtensions[ext]:
		return true
	case isManPageName(inner), isRotatedLogName(inner, stem), isDocumentName(stem), textExtensions[ext]:
		return false
	}
	return namesBackup(stem)
}

// dataExtensions are the extensions of files holding settings, data or
// code: a compressed one is a copy worth reading.
var dataExtensions = setOf(".sql", ".env", ".json", ".yml", ".yaml", ".php", ".js", ".mjs", ".cjs", ".ts",
	".xml", ".ini", ".conf", ".cnf", ".cfg", ".config", ".properties", ".toml", ".csv", ".tsv",
	".bak", ".backup", ".old", ".orig", ".save", ".dump", ".db", ".sqlite", ".sqlite3",
	".sh", ".bash", ".py", ".rb", ".tf", ".tfvars")

// textExtensions are pages, text and their companions: documentation or
// pre-compressed assets (style.css.gz), no place for settings.
var textExtensions = setOf(".txt", ".text", ".html", ".htm", ".xhtml", ".css", ".map", ".md", ".markdown",
	".rst", ".info", ".pdf", ".ps", ".dvi", ".tex", ".texi", ".pod", ".svg", ".eps", ".log")

func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

// inDocsOrPackages reports system documentation and third-party package
// folders.
func inDocsOrPackages(lowerRel string) bool {
	p := "/" + lowerRel
	for _, dir := range []string{"/share/doc/", "/share/man/", "/share/info/", "/share/gtk-doc/", "/share/help/",
		"/vendor/", "/node_modules/", "/bower_components/", "/site-packages/", "/dist-packages/"} {
		if strings.Contains(p, dir) {
			return true
		}
	}
	return false
}

// trimRotation strips the suffixes logrotate and backup tools add: a
// number (.1, -2) or a date (-20240501, .2024-05-01, _20240501).
func trimRotation(name string) string {
	for {
		i := strings.LastIndexAny(name, ".-_")
		if i <= 0 || !rotationSuffix(name[i+1:]) {
			return name
		}
		name = name[:i]
	}
}

func rotationSuffix(s string) bool {
	if s == "" || len(s) > 14 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isManPageName matches a manual page: a name, then its section, a digit
// and maybe letters (ls.1, x509.1ssl, Foo::Bar.3perl, systemd.exec.5).
func isManPageName(inner string) bool {
	i := strings.LastIndexByte(inner, '.')
	if i <= 0 || i == len(inner)-1 {
		return false
	}
	sec := inner[i+1:]
	if sec[0] < '1' || sec[0] > '9' || len(sec) > 8 {
		return false
	}
	for _, c := range sec[1:] {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// isRotatedLogName matches logs: access.log.3, error.log-20240501,
// access_log-20240501 (Red Hat, cPanel), syslog.2, and cPanel's monthly
// archives (example.com-Nov-2024).
func isRotatedLogName(inner, stem string) bool {
	switch {
	case strings.HasSuffix(stem, ".log"), strings.HasSuffix(stem, "_log"), strings.HasSuffix(stem, "-log"):
		return true
	case systemLogs[stem]:
		return true
	}
	return isMonthlyArchive(inner)
}

var systemLogs = setOf("syslog", "messages", "maillog", "secure", "cron", "kern", "daemon", "dmesg", "auth", "user", "debug", "wtmp", "btmp")

// isMonthlyArchive matches cPanel's "-Mon-YYYY" log archive names.
func isMonthlyArchive(name string) bool {
	if len(name) < len("-jan-2024") {
		return false
	}
	tail := name[len(name)-len("-jan-2024"):]
	months := "jan feb mar apr may jun jul aug sep oct nov dec"
	return tail[0] == '-' && tail[4] == '-' && strings.Contains(months, tail[1:4]) && rotationSuffix(tail[5:])
}

// isDocumentName matches the documentation files packages ship:
// changelog, changelog.Debian, NEWS, README.Debian, ChangeLog-2019...
func isDocumentName(stem string) bool {
	first := stem
	if i := strings.IndexAny(stem, ".-_"); i > 0 {
		first = stem[:i]
	}
	return documentNames[first]
}

var documentNames = setOf("changelog", "changes", "news", "readme", "history", "authors", "todo", "thanks",
	"copying", "copyright", "license", "licence", "install", "faq", "bugs", "credits", "contributors", "notice", "upgrading")

// namesBackup reports a name that says what it keeps. "db" must be a
// word or end one (db, db1, wpdb, mydb): feedback is no database.
func namesBackup(stem string) bool {
	for _, word := range []string{"backup", "bak", "dump", "site", "www", "export", "config", "settings", "secret", "credential"} {
		if strings.Contains(stem, word) {
			return true
		}
	}
	for token := range strings.FieldsFuncSeq(stem, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) {
		if strings.HasSuffix(strings.TrimRight(token, "0123456789"), "db") {
			return true
		}
	}
	return false
}

// isBackupPlace reports a folder whose archives are all read: web-served
// by its name or its listing (judged as after the walk, from what is known
// when it is listed), or named like uploads or backups.
func isBackupPlace(rel, name string, marks siteMarks) bool {
	lower := strings.ToLower(name)
	switch {
	case lower == "uploads", lower == "upload", strings.Contains(lower, "backup"), lower == "bak",
		lower == "dump", lower == "dumps", lower == "export", lower == "exports", lower == "sql":
		return true
	}
	var known layout // nothing is known yet of the folders around
	if isWebRootName(name) {
		return !known.vetoed(rel)
	}
	return known.servedByContent(rel, marks)
}
