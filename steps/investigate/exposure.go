package investigate

import (
	"maps"
	"path"
)

// layout is what the walk learnt about one tree, for the path rules.
type layout struct {
	webRoots   map[string]bool // slash paths of folders that look web-served
	candidates []pathCandidate // files and folders exposed if inside a web root
}

// exposures turns the walk's path candidates (and the PHP files found to
// call phpinfo) into findings for those inside a web root.
//
// A web root is a folder named like one (public_html, www, ...), a
// WordPress root (holding wp-config.php or wp-includes/), or the scan root
// itself when it is named like one or nothing below it looks like one.
// So scanning a document root directly works, while scanning a hosting
// account or an app folder leaves private config outside public/ alone
// (a Laravel .env next to public/ is normal; only its keys are reported).
func exposures(t *tree, l layout, phpinfo []string) []Finding {
	if t.isFile() {
		return nil // a lone file's surroundings are unknown
	}
	roots := maps.Clone(l.webRoots)
	if len(roots) == 0 || isWebRootName(t.name) {
		roots["."] = true
	}
	var out []Finding
	add := func(rel, rule string) {
		if inWebRoot(roots, rel) {
			out = append(out, newFinding(rule, t.display(rel), 0))
		}
	}
	for _, c := range l.candidates {
		add(c.rel, c.rule)
	}
	for _, rel := range phpinfo {
		add(rel, RuleExposedPhpinfo)
	}
	return out
}

// inWebRoot reports whether any folder above rel is a web root.
func inWebRoot(roots map[string]bool, rel string) bool {
	for d := path.Dir(rel); ; d = path.Dir(d) {
		if roots[d] {
			return true
		}
		if d == "." || d == "/" {
			return false
		}
	}
}
