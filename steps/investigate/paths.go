package investigate

import (
	"path"
	"strings"
)

// isWebRootName reports folder names web servers publish by convention.
func isWebRootName(name string) bool {
	switch strings.ToLower(name) {
	case "public", "public_html", "www", "htdocs", "html", "web",
		"httpdocs", "httpsdocs", "wwwroot": // Plesk's, IIS's
		return true
	}
	return false
}

// isMediaName reports images, fonts, audio, video and compiled files
// (gettext .mo, PDF, object code) by extension: they cannot hold a
// readable key and a WordPress site has thousands of them.
func isMediaName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff",
		".heic", ".psd", ".woff", ".woff2", ".ttf", ".otf", ".eot",
		".mp3", ".mp4", ".m4a", ".m4v", ".wav", ".ogg", ".oga", ".ogv", ".webm", ".flac",
		".aac", ".mov", ".avi", ".mkv", ".wmv", ".flv",
		".mo", ".pdf", ".so", ".dll", ".dylib", ".exe", ".o", ".a", ".class", ".pyc":
		return true
	}
	return false
}

func isPHPName(name string) bool { return strings.EqualFold(path.Ext(name), ".php") }

func isHTMLName(name string) bool {
	ext := path.Ext(name)
	return strings.EqualFold(ext, ".html") || strings.EqualFold(ext, ".htm")
}

// exposureRuleForName returns the exposure rule a file falls under by its
// path alone (rel is a slash path), or "". Whether it is inside a web
// root is judged after the walk.
func exposureRuleForName(rel string) string {
	name := strings.ToLower(path.Base(rel))
	switch {
	case strings.HasPrefix(name, ".env"):
		return RuleExposedEnv
	case isWPConfigBackupName(name):
		return RuleExposedWPBackup
	case isExposedLogPath(strings.ToLower(rel)):
		return RuleExposedLog
	case isBackupName(name) && !isPackagedPath(strings.ToLower(rel)):
		return RuleExposedBackup
	}
	return ""
}

// isPackagedPath reports files that ship with a plugin, theme or library
// (an install.sql schema, a bundled zip): public code, not a site's backup.
func isPackagedPath(lowerRel string) bool {
	p := "/" + lowerRel
	for _, dir := range []string{"/wp-content/plugins/", "/wp-content/themes/", "/vendor/", "/node_modules/", "/wp-includes/", "/wp-admin/"} {
		if strings.Contains(p, dir) {
			return true
		}
	}
	return false
}

// isBackupName matches archives and SQL dumps. A lone .gz is often a
// pre-compressed asset (app.js.gz), so only dumps and tarballs count.
func isBackupName(lower string) bool {
	for _, ext := range []string{".zip", ".tar", ".tar.gz", ".tgz", ".sql", ".sql.gz"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// isWPConfigBackupName matches wp-config.php copies a web server sends as
// text: wp-config.php.bak, .old, .save, .orig, .txt, .backup, wp-config.php~,
// wp-config.bak, and editor files (.wp-config.php.swp, #wp-config.php#).
// A copy ending in .php is run, not sent, so it is not one.
func isWPConfigBackupName(lower string) bool {
	switch {
	case lower == "wp-config.php":
		return false
	case strings.HasPrefix(lower, ".wp-config.php.sw"), lower == "#wp-config.php#":
		return true
	}
	return strings.HasPrefix(lower, "wp-config") && !strings.HasSuffix(lower, ".php")
}

// isExposedLogPath matches wp-content/debug.log and Laravel's logs
// (storage/logs/laravel.log, laravel-2024-05-14.log).
func isExposedLogPath(lowerRel string) bool {
	if lowerRel == "wp-content/debug.log" || strings.HasSuffix(lowerRel, "/wp-content/debug.log") {
		return true
	}
	dir, name := path.Split(lowerRel)
	inLogs := dir == "storage/logs/" || strings.HasSuffix(dir, "/storage/logs/")
	return inLogs && strings.HasPrefix(name, "laravel") && strings.HasSuffix(name, ".log")
}

// isWPVersionFile reports WordPress's version file, wp-includes/version.php.
func isWPVersionFile(slashPath string) bool {
	p := strings.ToLower("/" + slashPath)
	return strings.HasSuffix(p, "/wp-includes/version.php")
}
