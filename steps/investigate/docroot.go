package investigate

import (
	"bytes"
	"path"
	"strings"
)

// Document roots, the folders a web server publishes, are found three
// ways, all from what the walk already lists and reads:
//
//   - by name: public_html, www, htdocs... (paths.go, isWebRootName);
//   - by content: an index page, an .htaccess, WordPress's own files,
//     in a folder that is not a package, documentation or a project
//     built before it is served (siteMarks, below);
//   - by the web server's own configuration: Apache's DocumentRoot and
//     nginx's root, in configuration files found in the trees or in the
//     machine's usual places (docroot_config.go), mapped into the trees.

// siteMarks are what one folder's listing says about serving it.
type siteMarks uint16

const (
	markIndexPHP    siteMarks = 1 << iota // index.php, a PHP site's entry page
	markIndexHTML                         // index.html or index.htm
	markHtaccess                          // .htaccess: Apache settings of a served folder
	markWPConfig                          // wp-config.php
	markWPCore                            // wp-includes/, wp-admin/, wp-settings.php...: WordPress itself
	markApp                               // artisan, manage.py, Gemfile...: an application whose web folder (public/) is served, not itself
	markNodePackage                       // package.json: its index.html is a source, built before it is served
)

// entryMarks is what one entry of a folder's listing says about the
// folder. Names compare exactly: servers look for index.php, not
// Index.PHP, on the file systems where case matters.
func entryMarks(name string, dir bool) siteMarks {
	if dir {
		if name == "wp-includes" || name == "wp-admin" {
			return markWPCore
		}
		return 0
	}
	switch name {
	case "index.php":
		return markIndexPHP
	case "index.html", "index.htm":
		return markIndexHTML
	case ".htaccess":
		return markHtaccess
	case "wp-config.php":
		return markWPConfig
	case "wp-settings.php", "wp-load.php", "wp-blog-header.php":
		return markWPCore
	case "artisan", "manage.py", "symfony.lock", "spark", "Gemfile", "config.ru", "go.mod", "Cargo.toml",
		"pom.xml", "build.gradle", "mix.exs", "pyproject.toml", "setup.py", "requirements.txt", "Pipfile":
		return markApp
	case "package.json":
		return markNodePackage
	}
	return 0
}

// notSiteFolder reports folder names under which an index page is not a
// site: third-party packages, documentation and test reports, templates,
// backups, WordPress's content folder (its index.php files only stop
// listings), collected static files, and hidden folders (caches,
// editors' settings).
func notSiteFolder(name string) bool {
	if strings.HasPrefix(name, ".") {
		return true
	}
	switch strings.ToLower(name) {
	case "vendor", "node_modules", "bower_components", "jspm_packages", "site-packages", "dist-packages",
		"__pycache__", "docs", "doc", "documentation", "man", "coverage", "htmlcov", "lcov-report",
		"test", "tests", "__tests__", "spec", "fixtures", "testdata", "examples", "example", "samples",
		"templates", "views", "layouts", "partials", "backup", "backups", "cache", "wp-content",
		"static", "staticfiles": // Django's collected static files: served under /static/ at most
		return true
	}
	return false
}

// noteSiteFile records what a file's content says about its folder, from
// the content the walk read anyway: an .htaccess refusing every visitor,
// an index page that only stops folder listings, a web server's
// configuration naming document roots.
func noteSiteFile(b *batch, rel, name string, content []byte) {
	switch name {
	case ".htaccess":
		if deniesAll(content) {
			b.denied = append(b.denied, path.Dir(rel))
		}
	case "index.php", "index.html", "index.htm":
		if isStubIndex(content) {
			b.stubs = append(b.stubs, rel)
		}
	}
	if isServerConfigPath(rel) {
		for _, root := range serverConfigRoots(rel, content) {
			b.configRoots = append(b.configRoots, configRoot{file: rel, path: root})
		}
	}
}

// isStubIndex reports an index page that only stops a folder from being
// listed: empty, or WordPress's "Silence is golden". Such a page says the
// folder is inside a site, not where the site starts.
func isStubIndex(content []byte) bool {
	trimmed := bytes.TrimSpace(content)
	return len(trimmed) == 0 || len(trimmed) < 512 && indexFold(trimmed, "silence is golden") >= 0
}

// deniesAll reports an .htaccess that refuses every request (Deny from
// all, Require all denied) outside a <Files>, <Limit> or <If> section,
// which would narrow it. <IfModule> sections do not narrow it: they pick
// the syntax of Apache's version.
func deniesAll(content []byte) bool {
	depth := 0
	for line := range bytes.Lines(content) {
		fields := strings.Fields(strings.ToLower(string(line)))
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		switch d := fields[0]; {
		case d == "<files" || d == "<filesmatch" || d == "<limit" || d == "<limitexcept" ||
			d == "<if" || d == "<elseif" || d == "<else>" || strings.HasPrefix(d, "<files>"):
			depth++
		case d == "</files>" || d == "</filesmatch>" || d == "</limit>" || d == "</limitexcept>" ||
			d == "</if>" || d == "</elseif>" || d == "</else>":
			depth = max(0, depth-1)
		case depth > 0:
		case len(fields) == 3 && d == "deny" && fields[1] == "from" && fields[2] == "all",
			len(fields) == 3 && d == "require" && fields[1] == "all" && fields[2] == "denied":
			return true
		}
	}
	return false
}

// docRoot is a folder a web server publishes.
type docRoot struct {
	rel    string // slash path inside the tree
	url    string // the URL path rel is served at: "/", or "/sub" for a tree inside a configured root; "" when unknown
	config bool   // named by the web server's configuration
}

// documentRoots decides the tree's document roots after the walk. A root
// below another one is kept (it says which folder a WordPress in a
// subfolder is), but addresses are given from the root that serves it:
// the deepest one the configuration names, else the outermost one.
func documentRoots(t *tree, l *layout, machine []configRoot) []docRoot {
	var roots []docRoot
	seen := map[string]bool{}
	add := func(r docRoot) {
		if !seen[r.rel] {
			seen[r.rel] = true
			roots = append(roots, r)
		}
	}
	for _, c := range machine {
		if r, ok := t.mapConfigRoot(c); ok {
			add(r)
		}
	}
	for _, c := range l.configs {
		if r, ok := t.mapConfigRoot(c); ok {
			add(r)
		}
	}
	for rel := range l.webRoots {
		if !l.vetoed(rel) && !isSitesParent(t.absSlash(rel)) {
			add(docRoot{rel: rel, url: "/"})
		}
	}
	for rel, m := range l.folders {
		if l.servedByContent(rel, m) {
			add(docRoot{rel: rel, url: "/"})
		}
	}
	if !seen["."] && isWebRootName(t.name) && !isSitesParent(t.absSlash(".")) {
		add(docRoot{rel: ".", url: "/"})
	}
	return roots
}

// servedByContent reports a folder whose listing makes it a document root.
func (l *layout) servedByContent(rel string, m siteMarks) bool {
	switch {
	case l.vetoed(rel):
		return false
	case m&markWPCore != 0:
		return true
	case m&markWPConfig != 0:
		// wp-config.php may sit one level above WordPress, out of reach
		// of the web server: then the folder below is the root.
		return !l.wordPressBelow(rel)
	case m&markApp != 0 || l.denied[rel]:
		return false // an .htaccess refusing everyone guards a folder kept out of reach (CodeIgniter's application/)
	}
	indexPHP := m&markIndexPHP != 0 && !l.stubs[joinRel(rel, "index.php")]
	if top, inside := l.projectAbove(rel); inside {
		// A project's web folder is the child holding its front
		// controller (Laravel's public/index.php, renamed); the rest of
		// it is source, templates and build output.
		return indexPHP && path.Dir(rel) == top
	}
	if indexPHP {
		return true
	}
	if m&markNodePackage != 0 {
		return false // a JavaScript project's index.html is built before it is served
	}
	indexHTML := m&markIndexHTML != 0 && !l.stubs[joinRel(rel, "index.html")] && !l.stubs[joinRel(rel, "index.htm")]
	return indexHTML || m&markHtaccess != 0
}

// vetoed reports a folder inside (or being) a package, documentation,
// test, template, backup or hidden folder of the tree.
func (l *layout) vetoed(rel string) bool {
	if rel == "." {
		return false
	}
	for part := range strings.SplitSeq(rel, "/") {
		if notSiteFolder(part) {
			return true
		}
	}
	return false
}

// projectAbove returns the nearest folder above rel that is the top of
// an application or JavaScript project.
func (l *layout) projectAbove(rel string) (string, bool) {
	for d := rel; d != "."; {
		d = path.Dir(d)
		if l.folders[d]&(markApp|markNodePackage) != 0 {
			return d, true
		}
	}
	return "", false
}

// wordPressBelow reports a subfolder of rel holding WordPress itself.
func (l *layout) wordPressBelow(rel string) bool {
	for sub, m := range l.folders {
		if m&markWPCore != 0 && sub != rel && path.Dir(sub) == rel {
			return true
		}
	}
	return false
}

// isSitesParent reports the folders that hold one folder per site rather
// than being one: /var/www (Debian and Red Hat serve /var/www/html),
// /srv/www (SUSE serves /srv/www/htdocs) and /usr/local/www (FreeBSD).
func isSitesParent(abs string) bool {
	for _, p := range []string{"/var/www", "/srv/www", "/usr/local/www"} {
		if strings.HasSuffix(abs, p) { // also a copy of a server: backup/var/www
			return true
		}
	}
	return false
}

// rootSet holds a tree's document roots by slash path.
type rootSet map[string]docRoot

func newRootSet(roots []docRoot) rootSet {
	s := make(rootSet, len(roots))
	for _, r := range roots {
		s[r.rel] = r
	}
	return s
}

// of returns the root that serves rel (strictly inside it): the deepest
// configured root above it, else the outermost root above it. It looks
// at rel's parents only, so judging every candidate stays cheap however
// many roots a hosting server has.
func (s rootSet) of(rel string) (docRoot, bool) {
	var outer docRoot
	found := false
	for d := rel; d != "."; {
		d = path.Dir(d)
		if r, ok := s[d]; ok {
			if r.config {
				return r, true
			}
			outer, found = r, true
		}
	}
	return outer, found
}

// urlPath is the address root serves rel at; "" when root's is unknown.
func urlPath(root docRoot, rel string) string {
	if root.url == "" {
		return ""
	}
	inside := rel
	if root.rel != "." {
		inside = strings.TrimPrefix(rel, root.rel+"/")
	}
	return path.Join(root.url, inside)
}
