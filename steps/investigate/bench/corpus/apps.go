package corpus

import (
	"fmt"
	"slices"
	"strings"
)

// phpFile is a PHP class of roughly size bytes.
func (g *gen) phpFile(size int) []byte {
	var b strings.Builder
	ns := g.ident()
	fmt.Fprintf(&b, "<?php\n/**\n * %s\n *\n * @package %s\n */\n\nnamespace App\\%s;\n\nuse Illuminate\\Support\\%s;\n\nclass %s\n{\n",
		g.sentence(), ns, strings.ToUpper(ns[:1])+ns[1:], g.ident(), strings.ToUpper(ns[:1])+ns[1:]+"Handler")
	for b.Len() < size {
		fn, arg, v := g.ident(), g.word(), g.word()
		fmt.Fprintf(&b, "    /**\n     * %s\n     *\n     * @param array $%s\n     * @return mixed\n     */\n", g.sentence(), arg)
		fmt.Fprintf(&b, "    public function %s(array $%s = [])\n    {\n", fn, arg)
		fmt.Fprintf(&b, "        $%s = $this->%s->get('%s', null);\n", v, g.word(), g.word())
		fmt.Fprintf(&b, "        if (empty($%s['%s'])) {\n            throw new \\InvalidArgumentException('%s');\n        }\n", arg, g.word(), g.sentence())
		fmt.Fprintf(&b, "        foreach ($%s as $key => $%s) {\n            $this->%s[$key] = json_encode($%s);\n        }\n", arg, g.word(), g.word(), g.word())
		if g.rnd.IntN(20) == 0 {
			fmt.Fprintf(&b, "        $cacheKey = '%s';\n", g.hex(32))
		}
		if g.rnd.IntN(40) == 0 {
			fmt.Fprintf(&b, "        $headers['Authorization'] = 'Basic ' . base64_encode($user . ':' . $pass);\n")
		}
		fmt.Fprintf(&b, "        return $%s;\n    }\n\n", v)
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// jsFile is a CommonJS module of roughly size bytes.
func (g *gen) jsFile(size int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "'use strict';\n\nconst %s = require('%s');\nconst { %s } = require('./%s');\n\n", g.word(), g.word(), g.ident(), g.word())
	for b.Len() < size {
		fn := g.ident()
		fmt.Fprintf(&b, "/**\n * %s\n * @param {Object} options\n * @returns {Promise<Object>}\n */\n", g.sentence())
		fmt.Fprintf(&b, "async function %s(options = {}) {\n  const %s = Object.assign({}, defaults, options);\n", fn, g.word())
		fmt.Fprintf(&b, "  if (!%s.%s) {\n    throw new TypeError('%s');\n  }\n", g.word(), g.word(), g.sentence())
		fmt.Fprintf(&b, "  const result = await %s.%s(JSON.stringify(%s));\n  return result.%s;\n}\n\n", g.word(), g.ident(), g.word(), g.word())
		fmt.Fprintf(&b, "module.exports.%s = %s;\n\n", fn, fn)
	}
	return []byte(b.String())
}

// minified is one long line of bundled JavaScript.
func (g *gen) minified(size int) []byte {
	var b strings.Builder
	b.WriteString("/*! bundle */")
	for b.Len() < size {
		fmt.Fprintf(&b, "function %s(e,t){var n=e.%s||{};return Object.keys(n).forEach(function(r){t[r]=n[r]}),\"%s\"===typeof t?JSON.parse(t):t}",
			g.ident(), g.word(), g.word())
		fmt.Fprintf(&b, ";var %s={%s:\"%s\",%s:[%d,%d],%s:!0};", g.ident(), g.word(), g.sentence(), g.word(), g.rnd.IntN(999), g.rnd.IntN(999), g.word())
		if g.rnd.IntN(30) == 0 {
			fmt.Fprintf(&b, "jQuery(function($){$(\".%s\").on(\"click\",function(){return!1})});", g.word())
		}
	}
	b.WriteString("\n")
	return []byte(b.String())
}

func (g *gen) css(size int) []byte {
	var b strings.Builder
	for b.Len() < size {
		fmt.Fprintf(&b, ".%s-%s{margin:%dpx;padding:%dpx;color:#%s;font-family:\"%s\",sans-serif}\n", g.word(), g.word(), g.rnd.IntN(40), g.rnd.IntN(40), g.hex(6), g.word())
	}
	return []byte(b.String())
}

func (g *gen) text(size int) []byte {
	var b strings.Builder
	for b.Len() < size {
		b.WriteString(g.sentence())
		b.WriteString(" ")
		if g.rnd.IntN(6) == 0 {
			b.WriteString("\n\n")
		}
	}
	return []byte(b.String())
}

// size draws a source file size around mean bytes.
func (g *gen) size(mean int) int { return mean/4 + g.rnd.IntN(mean*3/2) }

func (g *gen) wordpress() error {
	base := "public_html/"
	if err := g.write(base+"wp-includes/version.php", []byte("<?php\n$wp_version = '6.4.3';\n$wp_db_version = 56657;\n")); err != nil {
		return err
	}
	if err := g.write(base+"wp-config.php", []byte("<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', 'wp' );\ndefine( 'DB_PASSWORD', 'hunter2hunter2' );\ndefine( 'AUTH_KEY', '"+g.hex(64)+"' );\n$table_prefix = 'wp_';\nrequire_once ABSPATH . 'wp-settings.php';\n")); err != nil {
		return err
	}
	for i := range g.n(1200) {
		if err := g.write(fmt.Sprintf("%swp-includes/%s/%s-%d.php", base, g.pick("wpinc", i/30), g.word(), i), g.phpFile(g.size(7000))); err != nil {
			return err
		}
	}
	for i := range g.n(300) {
		if err := g.write(fmt.Sprintf("%swp-admin/%s/%s-%d.php", base, g.pick("wpadm", i/40), g.word(), i), g.phpFile(g.size(6000))); err != nil {
			return err
		}
	}
	for i := range g.n(250) {
		if err := g.write(fmt.Sprintf("%swp-includes/js/%s-%d.min.js", base, g.word(), i), g.minified(g.size(6000))); err != nil {
			return err
		}
	}
	for p := range g.n(14) {
		slug := fmt.Sprintf("%s-%s", g.word(), g.word())
		dir := base + "wp-content/plugins/" + slug + "/"
		if err := g.write(dir+slug+".php", []byte(fmt.Sprintf("<?php\n/**\n * Plugin Name: %s\n * Version: %d.%d.%d\n */\n", slug, p%5+1, p%7, p%3))); err != nil {
			return err
		}
		if err := g.write(dir+"readme.txt", append([]byte(fmt.Sprintf("=== %s ===\nStable tag: %d.%d\n\n", slug, p%5+1, p%7)), g.text(3000)...)); err != nil {
			return err
		}
		for i := range g.n(150) {
			if err := g.write(fmt.Sprintf("%svendor/%s/src/%s%d.php", dir, g.pick("plugvendor", i/12), g.ident(), i), g.phpFile(g.size(5000))); err != nil {
				return err
			}
		}
		for i := range g.n(40) {
			if err := g.write(fmt.Sprintf("%sassets/js/%s%d.js", dir, g.word(), i), g.jsFile(g.size(4000))); err != nil {
				return err
			}
		}
		for i := range g.n(12) {
			if err := g.binary(fmt.Sprintf("%slanguages/%s-%s_%d.mo", dir, slug, g.word(), i), "\xde\x12\x04\x95\x00\x00\x00\x00", g.size(20000)); err != nil {
				return err
			}
		}
	}
	for t := range g.n(3) {
		dir := fmt.Sprintf("%swp-content/themes/theme%d/", base, t)
		for i := range g.n(80) {
			if err := g.write(fmt.Sprintf("%s%s-%d.php", dir, g.word(), i), g.phpFile(g.size(4000))); err != nil {
				return err
			}
		}
		if err := g.write(dir+"style.css", g.css(60000)); err != nil {
			return err
		}
		for i := range g.n(10) {
			if err := g.binary(fmt.Sprintf("%sfonts/%s-%d.woff2", dir, g.word(), i), "wOF2", g.size(40000)); err != nil {
				return err
			}
		}
	}
	for i := range g.n(1800) {
		ext, magic := ".jpg", "\xff\xd8\xff\xe0"
		if i%3 == 0 {
			ext, magic = ".png", "\x89PNG\r\n\x1a\n"
		}
		if err := g.binary(fmt.Sprintf("%swp-content/uploads/20%02d/%02d/%s-%d%s", base, 18+i%7, 1+i/7%12, g.word(), i, ext), magic, g.size(24000)); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) laravel() error {
	base := "laravel/"
	for i := range g.n(160) {
		if err := g.write(fmt.Sprintf("%sapp/%s/%s%d.php", base, g.pick("app", i/16), g.ident(), i), g.phpFile(g.size(4000))); err != nil {
			return err
		}
	}
	for i := range g.n(5600) {
		if err := g.write(fmt.Sprintf("%svendor/%s/src/%s/%s%d.php", base, g.pick("lvendor", i/60), g.pick("lsub", i/12%5), g.ident(), i), g.phpFile(g.size(5000))); err != nil {
			return err
		}
	}
	for i := range g.n(6) {
		if err := g.write(fmt.Sprintf("%spublic/build/assets/app-%s.js", base, g.hex(8)), g.minified(300_000+i*50_000)); err != nil {
			return err
		}
	}
	if err := g.write(base+"public/build/assets/app.css", g.css(200_000)); err != nil {
		return err
	}
	if err := g.write(base+"composer.lock", g.lockfile()); err != nil {
		return err
	}
	var log strings.Builder
	for log.Len() < 400_000 {
		fmt.Fprintf(&log, "[2024-05-%02d 10:%02d:%02d] production.ERROR: %s {\"exception\":\"[object] (ErrorException(code: 0): %s\"}\n", 1+g.rnd.IntN(28), g.rnd.IntN(60), g.rnd.IntN(60), g.sentence(), g.sentence())
	}
	return g.write(base+"storage/logs/laravel.log", []byte(log.String()))
}

func (g *gen) lockfile() []byte {
	var b strings.Builder
	b.WriteString("{\n    \"content-hash\": \"" + g.hex(32) + "\",\n    \"packages\": [\n")
	for range 120 {
		fmt.Fprintf(&b, "        {\"name\": \"%s/%s\", \"version\": \"v%d.%d.%d\", \"dist\": {\"type\": \"zip\", \"reference\": \"%s\", \"shasum\": \"\"}},\n",
			g.word(), g.word(), g.rnd.IntN(9), g.rnd.IntN(20), g.rnd.IntN(30), g.hex(40))
	}
	b.WriteString("    ]\n}\n")
	return []byte(b.String())
}

func (g *gen) node() error {
	base := "node-app/"
	for i := range g.n(4800) {
		if err := g.write(fmt.Sprintf("%snode_modules/%s/lib/%s%d.js", base, g.pick("npm", i/15), g.word(), i), g.jsFile(g.size(3500))); err != nil {
			return err
		}
	}
	for i := range g.n(120) {
		if err := g.write(fmt.Sprintf("%ssrc/%s/%s%d.js", base, g.pick("src", i/20), g.ident(), i), g.jsFile(g.size(3000))); err != nil {
			return err
		}
	}
	for i := range g.n(4) {
		if err := g.write(fmt.Sprintf("%sdist/bundle.%d.min.js", base, i), g.minified(700_000)); err != nil {
			return err
		}
	}
	var lock strings.Builder
	lock.WriteString("{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n")
	for range 800 {
		fmt.Fprintf(&lock, "    \"node_modules/%s\": {\"version\": \"%d.%d.%d\", \"integrity\": \"sha512-%s\"},\n", g.word(), g.rnd.IntN(9), g.rnd.IntN(20), g.rnd.IntN(30), g.hex(86))
	}
	lock.WriteString("  }\n}\n")
	return g.write(base+"package-lock.json", []byte(lock.String()))
}

func (g *gen) plainPHP() error {
	base := "shop/"
	for i := range g.n(700) {
		if err := g.write(fmt.Sprintf("%sincludes/%s/%s%d.php", base, g.pick("inc", i/25), g.word(), i), g.phpFile(g.size(5000))); err != nil {
			return err
		}
	}
	for i := range g.n(1500) {
		if err := g.write(fmt.Sprintf("%svendor/%s/src/%s%d.php", base, g.pick("svendor", i/20), g.ident(), i), g.phpFile(g.size(5000))); err != nil {
			return err
		}
	}
	for i := range g.n(200) {
		if err := g.write(fmt.Sprintf("%sassets/img/%s%d.gif", base, g.word(), i), append([]byte("GIF89a"), make([]byte, g.size(3000))...)); err != nil {
			return err
		}
	}
	for i := range g.n(150) {
		if err := g.write(fmt.Sprintf("%sdocs/%s%d.txt", base, g.word(), i), g.text(g.size(4000))); err != nil {
			return err
		}
	}
	return nil
}

// leaks plants a few real-looking Mailjet leaks in the dialects people use.
func (g *gen) leaks() error {
	planted := plantedFiles()
	for _, rel := range Leaks() {
		if err := g.write(rel, []byte(planted[rel])); err != nil {
			return err
		}
		g.stats.Leaks++
		g.stats.Hidden = append(g.stats.Hidden, rel)
	}
	return nil
}

// Leaks are the web root's planted files, sorted.
func Leaks() []string {
	var rels []string
	for rel := range plantedFiles() {
		rels = append(rels, rel)
	}
	slices.Sort(rels)
	return rels
}

func plantedFiles() map[string]string {
	return map[string]string{
		"laravel/.env":                  "APP_NAME=Shop\nAPP_ENV=production\nMAIL_MAILER=mailjet\nMAILJET_APIKEY=" + LeakKey + "\nMAILJET_APISECRET=" + LeakSecret + "\n",
		"public_html/wp-config.php.bak": "<?php\ndefine( 'WPMS_MAILJET_API_KEY', '" + LeakKey + "' );\ndefine( 'WPMS_MAILJET_SECRET_KEY', '" + LeakSecret + "' );\n",
		"shop/includes/mail.php":        "<?php\n$mail->Host = 'in-v3.mailjet.com';\n$mail->Username = '" + LeakKey + "';\n$mail->Password = '" + LeakSecret + "';\n",
		"node-app/src/mailer.js":        "const mailjet = require('node-mailjet').apiConnect('" + LeakKey + "', '" + LeakSecret + "');\n",
	}
}
