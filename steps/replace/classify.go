package replace

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// place is where a finding's path points on disk.
type place int

const (
	placeFile    place = iota // a regular file
	placeDir                  // a folder (.git)
	placeArchive              // a file inside an archive: "backup.zip!wp-config.php"
	placeHistory              // a past version in git: "path@commit"
	placeLink                 // a symbolic link or a special file
	placeMissing              // nothing there (any more)
)

// historySuffix is the "@commit" the scanner adds to history findings.
var historySuffix = regexp.MustCompile(`@[0-9a-f]{7,64}$`)

// locate tells what path is. For an archive member it also returns the
// archive's path.
func locate(path string) (place, string) {
	if info, err := os.Lstat(path); err == nil {
		switch {
		case info.Mode().IsRegular():
			return placeFile, ""
		case info.IsDir():
			return placeDir, ""
		default:
			return placeLink, ""
		}
	}
	// "a.zip!inner/file": the longest prefix ending before a "!" that is a
	// regular file is the archive (archives can nest: a.zip!b.tar!c).
	for i := strings.Index(path, "!"); i >= 0; {
		if info, err := os.Lstat(path[:i]); err == nil && info.Mode().IsRegular() {
			return placeArchive, path[:i]
		}
		j := strings.Index(path[i+1:], "!")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if historySuffix.MatchString(path) {
		return placeHistory, ""
	}
	return placeMissing, ""
}

// backupSuffixes end the names of copies people leave behind.
var backupSuffixes = []string{
	"~", ".bak", ".backup", ".bk", ".bkp", ".old", ".orig", ".original", ".save", ".saved",
	".swp", ".swo", ".tmp", ".temp", ".copy", ".txt",
}

// archiveSuffixes end the names of backup archives and database dumps.
var archiveSuffixes = []string{
	".zip", ".tar", ".tgz", ".tar.gz", ".gz", ".tbz2", ".tar.bz2", ".bz2", ".txz", ".tar.xz", ".xz",
	".7z", ".rar", ".sql", ".sql.gz", ".dump",
}

// isBackupName reports whether a file's name says it is an old copy:
// ".env.bak", "wp-config.php.old", "config.php~". A name that is only the
// suffix (".bak") is not one.
func isBackupName(name string) bool {
	lower := strings.ToLower(name)
	for _, s := range backupSuffixes {
		if strings.HasSuffix(lower, s) && len(lower) > len(s) && strings.Trim(strings.TrimSuffix(lower, s), ".") != "" {
			if s == ".txt" && !looksLikeConfig(strings.TrimSuffix(lower, s)) {
				continue // notes.txt is not a backup; wp-config.php.txt is
			}
			return true
		}
	}
	return strings.Contains(lower, ".env.") && !isLiveEnvName(lower) && !isEnvTemplate(lower)
}

// looksLikeConfig reports whether a name (without a backup suffix) is
// that of a settings file.
func looksLikeConfig(name string) bool {
	return strings.HasPrefix(name, ".env") || strings.HasSuffix(name, ".php") || strings.HasSuffix(name, ".json") ||
		strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".ini") ||
		strings.HasSuffix(name, ".conf") || strings.HasSuffix(name, ".js")
}

// isLiveEnvName reports whether a .env variant is one an app loads:
// .env, .env.local, .env.production... (Laravel, Symfony, Node dotenv).
func isLiveEnvName(lower string) bool {
	switch strings.TrimPrefix(lower, ".env") {
	case "", ".local", ".production", ".prod", ".staging", ".development", ".dev", ".test", ".testing",
		".production.local", ".prod.local", ".dev.local", ".development.local", ".test.local":
		return true
	}
	return false
}

// isEnvTemplate reports whether a .env variant is a template without
// real values (.env.example).
func isEnvTemplate(lower string) bool {
	switch strings.TrimPrefix(lower, ".env") {
	case ".example", ".sample", ".dist", ".template", ".defaults":
		return true
	}
	return false
}

// isArchiveName reports whether a file's name says it is an archive or
// a database dump.
func isArchiveName(name string) bool {
	lower := strings.ToLower(name)
	for _, s := range archiveSuffixes {
		if strings.HasSuffix(lower, s) && len(lower) > len(s) {
			return true
		}
	}
	return false
}

// leakReason decides whether a file the scan flagged is a leaked copy to
// remove rather than a config file to update, and says why in plain
// words. exposed is the scan's exposure rules for the file; hasCreds
// whether it holds a key or secret.
func leakReason(p *lang.Printer, path string, exposed []string, hasCreds bool) (string, bool) {
	name := filepath.Base(path)
	onWeb := len(exposed) > 0
	switch {
	case slices.Contains(exposed, investigate.RuleExposedWPBackup):
		return p.T("A copy of wp-config.php that your web server hands to anyone as plain text, database password and keys included."), true
	case slices.Contains(exposed, investigate.RuleExposedPhpinfo):
		return p.T("A page that shows anyone your server's settings, secrets included."), true
	case slices.Contains(exposed, investigate.RuleExposedLog):
		return p.T("An error log published on your website; logs often hold email addresses and passwords."), true
	case isArchiveName(name) && onWeb:
		return p.T("A backup archive published on your website: anyone could download it, keys included."), true
	case isArchiveName(name) && hasCreds:
		return p.T("A backup archive that still holds the old key. It no longer works, but the archive is one more copy to leak."), true
	case isBackupName(name) && onWeb:
		return p.T("An old copy of a settings file, published on your website: anyone could download it, keys included."), true
	case isBackupName(name) && hasCreds:
		return p.T("An old copy of a settings file that still holds the old key. Updating it would only make one more copy of the new key."), true
	}
	return "", false
}

// exposureAdvice is what to do about an exposure that is not removed.
func exposureAdvice(rule string, f investigate.Finding) lang.Message {
	switch rule {
	case investigate.RuleExposedGit:
		return lang.Msg("Your website publishes its program history (.git folder); anyone can download past versions, old keys included. " +
			"Block it in the web server (or ask your hosting provider) rather than deleting it, if you deploy with git.")
	case investigate.RuleExposedEnv:
		return lang.Msg("This settings file is in a folder the web server publishes, so anyone can download it, the new key included once it is updated. " +
			"Move it out of the website's folder or block it in the web server.")
	}
	if f.Message != "" {
		return lang.Kept(f.Message) // the scan's words: translated when they are a marked message
	}
	return lang.Msg("The scan flagged this file as published on your website. Check it by hand.")
}
