package investigate

import "github.com/mjrecover/mjrecover/api/secret"

// source is where some content came from, and which checks apply to it.
type source struct {
	rel       string // slash path inside its tree ("" outside a tree: archive entry, history, HTTP)
	display   string // the path shown in findings (not yet sanitized)
	phpinfo   bool   // a small PHP file inside a folder root
	wpVersion bool   // wp-includes/version.php
	plugin    pluginFile
}

// inspect runs the content checks on one file's content.
func (w *worker) inspect(b *batch, src source, content []byte) {
	b.findings = append(b.findings, credentialFindings(src.display, content)...)
	if src.phpinfo && callsPhpinfo(content) {
		b.phpinfo = append(b.phpinfo, src.rel)
	}
	if src.wpVersion {
		if v, ok := parseWPVersion(content); ok {
			b.versions = append(b.versions, foundVersion{src.display, v})
		}
	}
	if src.plugin.slug != "" {
		if v, ok := parsePluginVersion(src.plugin, content); ok {
			b.plugins = append(b.plugins, foundPlugin{src.display, src.plugin, v})
		}
	}
}

// credentialFindings runs the keyword pre-search and, where it hits, the
// credential detector.
func credentialFindings(display string, content []byte) []Finding {
	hits := findKeywords(content)
	findShapeKeywords(content, display, &hits)
	creds := detectCredentials(content, hits)
	if len(creds) == 0 {
		return nil
	}
	out := make([]Finding, 0, len(creds))
	for _, c := range creds {
		f := newFinding(c.rule, display, c.line)
		f.APIKey = c.key.String()
		f.Secret = secret.New(c.secret)
		out = append(out, f)
	}
	return out
}
