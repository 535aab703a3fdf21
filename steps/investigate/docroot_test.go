package investigate

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// exposedAt is an exposure finding's rule, path (from the scan root) and
// the address it is served at.
type exposedAt struct {
	rule, path, url string
}

func exposuresOf(t *testing.T, root string, res Result) []exposedAt {
	t.Helper()
	var out []exposedAt
	for _, f := range res.Findings {
		if f.Category != CategoryExposure {
			continue
		}
		rel, err := filepath.Rel(root, f.Path)
		if err != nil {
			t.Fatalf("finding path %q is not under %q", f.Path, root)
		}
		out = append(out, exposedAt{f.Rule, filepath.ToSlash(rel), f.URLPath})
	}
	slices.SortFunc(out, func(a, b exposedAt) int { return strings.Compare(a.path, b.path) })
	return out
}

func assertExposed(t *testing.T, root string, res Result, want []exposedAt) {
	t.Helper()
	slices.SortFunc(want, func(a, b exposedAt) int { return strings.Compare(a.path, b.path) })
	if got := exposuresOf(t, root, res); !slices.Equal(got, want) {
		t.Errorf("exposures differ\n got: %v\nwant: %v", got, want)
	}
}

func assertDocRoots(t *testing.T, root string, res Result, want ...string) {
	t.Helper()
	var got []string
	for _, r := range res.DocumentRoots {
		rel, err := filepath.Rel(root, r)
		if err != nil {
			t.Fatalf("document root %q is not under %q", r, root)
		}
		got = append(got, filepath.ToSlash(rel))
	}
	if !slices.Equal(got, want) {
		t.Errorf("document roots %q, want %q", got, want)
	}
}

// TestScanVarWww is /var/www scanned with a site in each folder: the
// sites' exposures are found by their content, with the address each is
// served at, and the folders that are not sites stay silent.
func TestScanVarWww(t *testing.T) {
	const root = "testdata/layouts/var/www"
	res := scan(t, Options{Roots: []string{root}})
	assertExposed(t, root, res, []exposedAt{
		// A WordPress at the top of its folder; its wp-admin/includes/class-wp-filesystem-ssh2.php
		// names phpinfo() in a comment and is no phpinfo page.
		{RuleExposedEnv, "example.com/.env.bak", "/.env.bak"},
		{RuleExposedPhpinfo, "example.com/phpinfo.php", "/phpinfo.php"},
		{RuleExposedLog, "example.com/wp-content/debug.log", "/wp-content/debug.log"},
		// Named by the site's own nginx file.
		{RuleExposedEnv, "example.org/live/.env.production", "/.env.production"},
		// Debian's default site, and a WordPress in its subfolder.
		{RuleExposedEnv, "html/blog/.env.local", "/blog/.env.local"},
		{RuleExposedPhpinfo, "html/info.php", "/info.php"},
		// WordPress below its wp-config.php: the folder above is not served.
		{RuleExposedEnv, "legacy/site/.env", "/.env"},
		// Laravel: public/ is served, the project's .env and logs are not.
		{RuleExposedPhpinfo, "shop.example.net/public/info.html", "/info.html"},
	})
	assertDocRoots(t, root, res, "example.com", "example.org/live", "html", "legacy/site", "shop.example.net/public")
	for _, f := range res.Findings {
		if f.Category != CategoryExposure {
			t.Errorf("unexpected finding %s %s", f.Rule, f.Path)
		}
	}
}

// TestScanServerCopy is a copy of a server's files: Apache's vhost and
// nginx's server block name roots no convention or content shows.
func TestScanServerCopy(t *testing.T) {
	const root = "testdata/layouts/server"
	res := scan(t, Options{Roots: []string{root}})
	assertExposed(t, root, res, []exposedAt{
		{RuleExposedEnv, "srv/example.net/site-files/.env.bak", "/.env.bak"},
		{RuleExposedEnv, "srv/shop/current/build/.env.local", "/.env.local"},
		{RuleExposedPhpinfo, "var/www/html/phpinfo.php", "/phpinfo.php"},
	})
	assertDocRoots(t, root, res, "srv/example.net/site-files", "srv/shop/current/build", "var/www/html")
}

// TestScanSiteOnThisMachine: the tree is where the configuration says,
// so its absolute paths name the tree's folders directly; a .git folder
// at a site's top is served at /.git.
func TestScanSiteOnThisMachine(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"alpha/htdocs-live/.git/HEAD":  "ref: refs/heads/main\n",
		"alpha/htdocs-live/about.html": "<p>About</p>\n",
		"alpha/notes/.env":             "NOTE=1\n", // not served
		"beta/index.php":               "<?php echo 'beta';\n",
		"beta/.env.save":               "APP_ENV=production\n",
		"conf/sites-enabled/alpha.conf": "<VirtualHost *:443>\n  ServerName alpha.example\n  DocumentRoot " +
			filepath.ToSlash(filepath.Join(dir, "alpha", "htdocs-live")) + "/\n</VirtualHost>\n",
	})
	res := scan(t, Options{Roots: []string{dir}})
	assertExposed(t, dir, res, []exposedAt{
		{RuleExposedGit, "alpha/htdocs-live/.git", "/.git"},
		{RuleExposedEnv, "beta/.env.save", "/.env.save"},
	})
	assertDocRoots(t, dir, res, "alpha/htdocs-live", "beta")
}

// TestScanReadsMachineConfig: the machine's own nginx configuration (a
// fixture standing for /) names a root; the tree scanned is a folder
// inside it, so its files are served below the folder's address.
func TestScanReadsMachineConfig(t *testing.T) {
	site := t.TempDir()
	etc := t.TempDir()
	writeTree(t, site, map[string]string{"shop/files/.env.old": "APP_ENV=production\n"})
	writeTree(t, etc, map[string]string{
		"etc/nginx/conf.d/site.conf": "server {\n  listen 80;\n  root " + filepath.ToSlash(site) + ";\n}\n",
	})
	scanned := filepath.Join(site, "shop")
	s := newScanner(Options{Roots: []string{scanned}})
	s.openTree = func(root string) (*tree, error) {
		tr, err := openTree(root)
		if err == nil {
			tr.machine = etc
		}
		return tr, err
	}
	res, err := s.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assertExposed(t, scanned, res, []exposedAt{{RuleExposedEnv, "files/.env.old", "/shop/files/.env.old"}})
	assertDocRoots(t, scanned, res, ".")

	roots := machineDocRoots(context.Background(), etc)
	if len(roots) != 1 || roots[0].file != "" || !strings.HasSuffix(roots[0].path, filepath.Base(site)) {
		t.Errorf("machine roots %v, want the one nginx root", roots)
	}
	if got := machineDocRoots(context.Background(), ""); got != nil {
		t.Errorf("no machine: %v", got)
	}
}

// TestScanConfiguredRootThroughLink: deploy tools serve current/, a link
// to the latest release; the walk lists the release itself.
func TestScanConfiguredRootThroughLink(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"app/releases/42/dist/.env.production": "APP_ENV=production\n",
		"app/releases/42/package.json":         "{}\n",
		"nginx/sites-enabled/app":              "server {\n  root " + filepath.ToSlash(filepath.Join(dir, "app", "current", "dist")) + ";\n}\n",
	})
	if err := os.Symlink(filepath.Join("releases", "42"), filepath.Join(dir, "app", "current")); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	res := scan(t, Options{Roots: []string{dir}})
	assertExposed(t, dir, res, []exposedAt{{RuleExposedEnv, "app/releases/42/dist/.env.production", "/.env.production"}})
	assertDocRoots(t, dir, res, "app/releases/42/dist")
}

// TestScanSymlinkedSecretsInWebRoot: a link named .env or like a
// wp-config.php copy inside a web root is reported as a link, without
// reading it or what it points to.
func TestScanSymlinkedSecretsInWebRoot(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	writeTree(t, dir, map[string]string{
		"public_html/index.php": "<?php echo 'hi';\n",
		"shared/.env":           leakEnv, // outside the web root: its keys count, it is not exposed
	})
	writeTree(t, outside, map[string]string{"wp-config.php": "<?php define('DB_PASSWORD', 'x');\n"})
	for link, target := range map[string]string{
		"public_html/.env":              filepath.Join("..", "shared", ".env"),
		"public_html/wp-config.php.bak": filepath.Join(outside, "wp-config.php"),
		"public_html/wp-config.php":     filepath.Join(outside, "wp-config.php"), // run, not sent: no exposure
		"shared/.env.bak":               ".env",                                  // not web-served
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	res := scan(t, Options{Roots: []string{dir}})
	assertHits(t, dir, res.Findings, []hit{
		{RuleMailjetPair, "shared/.env", 2, k1, s1[28:]},
		{RuleExposedEnv, "public_html/.env", 0, "", ""},
		{RuleExposedWPBackup, "public_html/wp-config.php.bak", 0, "", ""},
	})
	fr := lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
	for _, f := range res.Findings[1:] {
		if !strings.HasPrefix(f.Kind, "Link to ") || !strings.Contains(f.Message, "follows links") || f.URLPath == "" {
			t.Errorf("%s: kind %q message %q url %q", f.Path, f.Kind, f.Message, f.URLPath)
		}
		if said := f.Say(fr); !strings.Contains(said, "Le serveur suit les liens") {
			t.Errorf("%s in French: %q", f.Path, said)
		}
		if kind := fr.Text(f.Kind); !strings.HasPrefix(kind, "Lien vers ") {
			t.Errorf("%s kind in French: %q", f.Path, kind)
		}
	}
	if skips := skipsOf(res, dir); skips["public_html/.env"] != "symbolic link not followed" {
		t.Errorf("skips %v: the link is still listed as not followed", skips)
	}
}

// TestContentRootDecoys: folders with an index page that no web server
// publishes as a site.
func TestContentRootDecoys(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"site/index.htm":                       "<p>Hello</p>\n", // the one site
		"lib/docs/index.html":                  "<p>API</p>\n",
		"lib/docs/.env.example":                "X=1\n",
		"report/coverage/index.html":           "<p>87%</p>\n",
		"report/coverage/.env":                 "X=1\n",
		".cache/preview/index.html":            "<p>cached</p>\n",
		".cache/preview/.env":                  "X=1\n",
		"uploads-copy/index.php":               "<?php\n// Silence is golden.\n",
		"uploads-copy/dump.sql":                "CREATE TABLE t (id int);\n",
		"private/.htaccess":                    "<IfModule mod_authz_core.c>\n  Require all denied\n</IfModule>\n<IfModule !mod_authz_core.c>\n  Deny from all\n</IfModule>\n",
		"private/.env":                         "X=1\n",
		"uploads/.htaccess":                    "<Files *.php>\ndeny from all\n</Files>\n", // denies PHP only: still served
		"uploads/.env":                         "X=1\n",
		"frontend/package.json":                "{}\n",
		"frontend/index.html":                  "<div id=app></div>\n",
		"frontend/.env":                        "X=1\n",
		"frontend/dist/index.html":             "<div id=app></div>\n",
		"frontend/dist/.env":                   "X=1\n",
		"wp-content/plugins/forms/index.php":   "<?php // Silence is golden\n",
		"wp-content/plugins/forms/.env":        "X=1\n",
		"vendor/acme/pkg/public_html/.env.bak": "X=1\n",
		// Django's collected static files, with a package's bundled page.
		"django/static/drf-yasg/swagger-ui-dist/index.html": "<div id=swagger-ui></div>\n",
		"django/static/drf-yasg/swagger-ui-dist/.env":       "X=1\n",
		// Laravel with its public/ renamed: the front controller shows it.
		"api/artisan":            "#!/usr/bin/env php\n",
		"api/.env":               "APP_KEY=x\n",
		"api/web-root/index.php": "<?php require __DIR__.'/../vendor/autoload.php';\n",
		"api/web-root/.env.bak":  "APP_KEY=x\n",
		"api/app/Http/index.php": "<?php // not a front controller's place\n",
		"api/app/Http/.env":      "X=1\n",
		// CodeIgniter 4: app/ and writable/ hold pages that only refuse.
		"ci/spark":               "#!/usr/bin/env php\n",
		"ci/app/index.html":      "<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><p>Directory access is forbidden.</p></body></html>\n",
		"ci/app/.env":            "X=1\n",
		"ci/writable/.htaccess":  "<IfModule authz_core_module>\n    Require all denied\n</IfModule>\n",
		"ci/writable/index.html": "<!DOCTYPE html><html><head><title>403 Forbidden</title></head></html>\n",
		"ci/writable/backup.sql": "CREATE TABLE t (id int);\n",
	})
	res := scan(t, Options{Roots: []string{dir}})
	assertExposed(t, dir, res, []exposedAt{
		{RuleExposedEnv, "api/web-root/.env.bak", "/.env.bak"},
		{RuleExposedEnv, "uploads/.env", "/.env"},
	})
	assertDocRoots(t, dir, res, "api/web-root", "site", "uploads")
}

// TestScanVarWwwIsNotASite: /var/www holds the sites; named "www", it is
// not one itself, so what sits beside the sites stays unreported.
func TestScanVarWwwIsNotASite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var", "www")
	writeTree(t, dir, map[string]string{
		"html/index.html":   "<p>It works</p>\n",
		"site-2024.sql":     "CREATE TABLE t (id int);\n",
		"example.com/.env":  "APP_ENV=production\n", // no sign of a site: not reported
		"html/.env.backup":  "APP_ENV=production\n",
		"html/.env.example": "APP_ENV=\n",
	})
	res := scan(t, Options{Roots: []string{dir}})
	assertExposed(t, dir, res, []exposedAt{
		{RuleExposedEnv, "html/.env.backup", "/.env.backup"},
		{RuleExposedEnv, "html/.env.example", "/.env.example"},
	})
	assertDocRoots(t, dir, res, "html")
}

// TestFallbackRootHasNoAddress: when nothing shows a document root, the
// scan root is taken for one, but its address is only a guess.
func TestFallbackRootHasNoAddress(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{".env": "APP_ENV=production\n"})
	res := scan(t, Options{Roots: []string{dir}})
	assertExposed(t, dir, res, []exposedAt{{RuleExposedEnv, ".env", ""}})
	if len(res.DocumentRoots) != 0 {
		t.Errorf("document roots %v, want none known", res.DocumentRoots)
	}
}

func TestApacheDocRoots(t *testing.T) {
	conf := "ServerRoot \"/etc/httpd\"\n" +
		"DocumentRoot \"/var/www/html\"\n" +
		"<VirtualHost *:443>\n" +
		"  documentroot /home/shop/site-files/\n" +
		"  # DocumentRoot /var/www/commented\n" +
		"  DocumentRoot ${APACHE_DOCUMENT_ROOT}\n" +
		"  DocumentRoot htdocs\n" +
		"  DocumentRoot \"C:/xampp/htdocs\"\n" +
		"  DocumentRoot \\\n      /srv/continued\n" +
		"</VirtualHost>\n"
	got := apacheDocRoots([]byte(conf))
	if want := []string{"/var/www/html", "/home/shop/site-files", "/srv/continued"}; !slices.Equal(got, want) {
		t.Errorf("apacheDocRoots = %q, want %q", got, want)
	}
}

func TestNginxRoots(t *testing.T) {
	conf := `user www-data;
http {
    root /usr/share/nginx/outside-servers; # not in a server block
    server {
        listen 80;
        root   "/srv/app/public" ;
        location /docs/ { root /srv/manual; }
        location ~ /#frag { return 404; }
        location /files/ { alias /srv/files/; }
        root /srv/sites/$host;
        root html;
    }
    # server { root /srv/commented; }
}
`
	got := nginxRoots([]byte(conf))
	if want := []string{"/srv/app/public", "/srv/manual"}; !slices.Equal(got, want) {
		t.Errorf("nginxRoots = %q, want %q", got, want)
	}
}

func TestIsServerConfigPath(t *testing.T) {
	for rel, want := range map[string]bool{
		"etc/apache2/sites-enabled/000-default.conf": true,
		"etc/nginx/sites-enabled/default":            true,
		"etc/nginx/conf.d/shop.conf":                 true,
		"etc/httpd/conf/httpd.conf":                  true,
		"deploy/nginx.conf":                          true,
		"vhosts/example.com.conf":                    true,
		"etc/php/8.2/fpm/conf.d/10-opcache.ini":      false,
		"etc/nginx/conf.d/README":                    false,
		"etc/nginx/sites-enabled/default.bak":        false,
		"app/config/app.conf":                        false,
		"nginx.conf.sample":                          false,
	} {
		if got := isServerConfigPath(rel); got != want {
			t.Errorf("isServerConfigPath(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestServerCopyTop(t *testing.T) {
	for file, want := range map[string]string{
		"etc/apache2/sites-available/x.conf":  ".",
		"backup/etc/nginx/sites-enabled/shop": "backup",
		"img/usr/local/etc/nginx/nginx.conf":  "img",
		"deploy/nginx.conf":                   "",
	} {
		if got, _ := serverCopyTop(file); got != want {
			t.Errorf("serverCopyTop(%q) = %q, want %q", file, got, want)
		}
	}
}

func TestDeniesAll(t *testing.T) {
	for content, want := range map[string]bool{
		"Deny from all\n":                       true,
		"Order deny,allow\n  deny  from  ALL\n": true,
		"Require all denied\n":                  true,
		"<IfModule mod_authz_core.c>\nRequire all denied\n</IfModule>\n":                        true,
		"<Files *.php>\nDeny from all\n</Files>\n":                                              false,
		"<FilesMatch \"\\.(log|sql)$\">\nRequire all denied\n</FilesMatch>\nOptions -Indexes\n": false,
		"# Deny from all\nRewriteEngine On\n":                                                   false,
		"Require all granted\n":                                                                 false,
	} {
		if got := deniesAll([]byte(content)); got != want {
			t.Errorf("deniesAll(%q) = %v, want %v", content, got, want)
		}
	}
}
