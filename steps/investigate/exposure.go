package investigate

import (
	"context"
	"slices"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// layout is what the walk learnt about one tree, for the path rules.
type layout struct {
	webRoots   map[string]bool      // slash paths of folders named like a web root
	folders    map[string]siteMarks // folders whose listing shows site or project files
	stubs      map[string]bool      // index pages that only stop a folder's listing
	denied     map[string]bool      // folders whose .htaccess refuses every visitor
	configs    []configRoot         // roots named by web server configuration in the tree
	candidates []pathCandidate      // files and folders exposed if inside a web root
}

// merge adds one batch's notes (called in the scan goroutine).
func (l *layout) merge(b *batch) {
	if l.webRoots == nil {
		l.webRoots = map[string]bool{}
	}
	for _, r := range b.webRoots {
		l.webRoots[r] = true
	}
	for _, f := range b.folders {
		if l.folders == nil {
			l.folders = map[string]siteMarks{}
		}
		l.folders[f.rel] |= f.marks
	}
	l.stubs = addAll(l.stubs, b.stubs)
	l.denied = addAll(l.denied, b.denied)
	l.configs = append(l.configs, b.configRoots...)
	l.candidates = append(l.candidates, b.candidates...)
}

func addAll(set map[string]bool, keys []string) map[string]bool {
	for _, k := range keys {
		if set == nil {
			set = map[string]bool{}
		}
		set[k] = true
	}
	return set
}

// siteExposures judges every tree's path candidates (and the phpinfo
// pages found) against its document roots. It returns the findings and
// the document roots, as paths joined like Finding.Path, sorted.
func siteExposures(ctx context.Context, trees []*tree, layouts []layout, phpinfo [][]string) ([]Finding, []string) {
	machines := map[string][]configRoot{}
	var findings []Finding
	var docRoots []string
	for i, t := range trees {
		if t.isFile() {
			continue // a lone file's surroundings are unknown
		}
		machine, ok := machines[t.machine]
		if !ok {
			machine = machineDocRoots(ctx, t.machine)
			machines[t.machine] = machine
		}
		found, roots := exposures(t, &layouts[i], phpinfo[i], machine)
		findings = append(findings, found...)
		docRoots = append(docRoots, roots...)
	}
	slices.Sort(docRoots)
	return findings, slices.Compact(docRoots)
}

// exposures turns one tree's path candidates into findings for those
// inside a document root (see docroot.go), with the address the server
// gives them.
//
// When nothing in the tree is a document root, the scan root itself is
// taken for one, its addresses unknown: scanning a document root directly
// works, while scanning a hosting account or an app folder leaves private
// config outside public/ alone (a Laravel .env next to public/ is normal;
// only its keys are reported).
func exposures(t *tree, l *layout, phpinfo []string, machine []configRoot) ([]Finding, []string) {
	roots := newRootSet(documentRoots(t, l, machine))
	var shown []string
	for _, r := range roots {
		if _, inside := roots.of(r.rel); r.config || !inside {
			shown = append(shown, untrusted.Clean(t.display(r.rel)))
		}
	}
	if len(roots) == 0 {
		roots = rootSet{".": {rel: "."}} // its address is unknown
	}
	var out []Finding
	add := func(c pathCandidate) {
		root, ok := roots.of(c.rel)
		if !ok {
			return
		}
		f := newFinding(c.rule, t.display(c.rel), 0)
		f.URLPath = urlPath(root, c.rel)
		if c.link {
			f.Kind, f.Message = linkWording(c.rule)
		}
		out = append(out, f)
	}
	for _, c := range l.candidates {
		add(c)
	}
	for _, rel := range phpinfo {
		add(pathCandidate{rel: rel, rule: RuleExposedPhpinfo})
	}
	return out, shown
}

// linkWording is the kind and message of a symbolic link named like a
// settings file or a wp-config.php copy: web servers follow links
// (Apache's FollowSymLinks, nginx by default), so the link publishes
// whatever it points to, wherever that is. The scan does not follow it.
func linkWording(rule string) (kind, message string) {
	if rule == RuleExposedWPBackup {
		return lang.Mark("Link to a copy of wp-config.php published on the website"),
			lang.Mark("This link is in a folder the web server publishes. The server follows links and sends the copy it points to as plain text, so anyone can read the database password and keys in it. Delete the link.")
	}
	return lang.Mark("Link to a settings file published on the website"),
		lang.Mark("This link is in a folder the web server publishes. The server follows links, so anyone can download the file it points to, with every password and key in it. Delete the link or move it out of the website's folder.")
}
