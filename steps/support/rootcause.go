package support

import (
	"strings"

	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// NothingFound is the root cause when the scan found nothing (English;
// translated with Text).
var NothingFound = lang.Mark("The scan found no leaked credentials on this server; the leak may come from another server, a public repository, or a shared file.")

// maxPaths is how many paths a sentence names before "and N more".
const maxPaths = 3

// evidence sorts findings by the part they play in the root cause.
type evidence struct {
	holders  []investigate.Finding // web-served files holding the account's pair
	exposers []investigate.Finding // other web-served files (phpinfo, .git…) that can reveal it
	config   []investigate.Finding // the account's pair in files the web server does not serve
	foreign  []investigate.Finding // pairs of other accounts
	outdated []investigate.Finding // outdated WordPress and the like
}

func sortEvidence(found []investigate.Finding) evidence {
	served := map[string]bool{}
	owned := map[string]bool{}
	for _, f := range found {
		switch {
		case f.Category == investigate.CategoryExposure:
			served[f.Path] = true
		case f.Category == investigate.CategoryCredential && f.Owned:
			owned[f.Path] = true
		}
	}
	var ev evidence
	for _, f := range found {
		switch f.Category {
		case investigate.CategoryExposure:
			if f.Owned || owned[f.Path] {
				ev.holders = append(ev.holders, f)
			} else {
				ev.exposers = append(ev.exposers, f)
			}
		case investigate.CategoryCredential:
			switch {
			case !f.Owned:
				ev.foreign = append(ev.foreign, f)
			case !served[f.Path]:
				ev.config = append(ev.config, f)
			}
		case investigate.CategoryOutdated:
			ev.outdated = append(ev.outdated, f)
		}
	}
	return ev
}

// rootCause explains in plain words, in p's language, how the
// credentials most likely leaked, the most serious evidence first.
func rootCause(p *lang.Printer, found []investigate.Finding) string {
	ev := sortEvidence(found)
	var s []string
	switch {
	case len(ev.holders) > 0:
		if distinctPaths(ev.holders) > 1 {
			s = append(s, p.T("Your API key and secret were in files your web server hands to anyone: %s. "+
				"Anyone who asked for those addresses could read them and send email from your account; this is the most likely way they leaked.",
				paths(p, ev.holders)))
		} else {
			s = append(s, p.T("Your API key and secret were in a file your web server hands to anyone: %s. "+
				"Anyone who asked for that address could read them and send email from your account; this is the most likely way they leaked.",
				paths(p, ev.holders)))
		}
		if len(ev.exposers) > 0 {
			s = append(s, p.T("Other files your web server hands to anyone could reveal them too: %s.", paths(p, ev.exposers)))
		}
		if len(ev.config) > 0 {
			s = append(s, p.T("They were also in application configuration files (%s).", paths(p, ev.config)))
		}
	case len(ev.config) > 0 && len(ev.exposers) > 0:
		s = append(s, p.T("Your API key and secret were in application configuration files (%[1]s), and files your web server "+
			"hands to anyone can reveal them: %[2]s. This is the most likely way they leaked.", paths(p, ev.config), paths(p, ev.exposers)))
	case len(ev.config) > 0:
		s = append(s, p.T("Your API key and secret were in application configuration files (%s); anyone with access to the server "+
			"or to a copy of the code had them. No file your web server hands to anyone held them, so the leak more likely came "+
			"through the server itself, a backup, or a copy of the code.", paths(p, ev.config)))
	case len(ev.exposers) > 0:
		s = append(s, p.T("The scan found files your web server hands to anyone (%s), but none held this account's API keys; "+
			"the leak may come from another server, a public repository, or a shared file.", paths(p, ev.exposers)))
	}
	if len(ev.outdated) > 0 {
		if len(s) == 0 {
			s = append(s, p.T("The scan found no leaked credentials on this server, but it runs outdated software, a common way in: %s. "+
				"The leak may also come from another server, a public repository, or a shared file.", software(p, ev.outdated)))
		} else {
			s = append(s, p.T("Outdated software is also a likely way in: %s. Attackers use its known flaws to read files such as wp-config.php.",
				software(p, ev.outdated)))
		}
	}
	if len(ev.foreign) > 0 {
		if len(s) == 0 {
			s = append(s, p.Text(NothingFound))
		}
		s = append(s, p.T("The scan also found Mailjet keys of other accounts (%s); they do not explain this leak, "+
			"but their owners should replace them.", paths(p, ev.foreign)))
	}
	if len(s) == 0 {
		return p.Text(NothingFound)
	}
	return strings.Join(s, " ")
}

// paths lists the distinct paths of fs, the first maxPaths by name.
func paths(p *lang.Printer, fs []investigate.Finding) string {
	seen := map[string]bool{}
	var names []string
	for _, f := range fs {
		if !seen[f.Path] {
			seen[f.Path] = true
			names = append(names, f.Path)
		}
	}
	return listSome(p, names)
}

func distinctPaths(fs []investigate.Finding) int {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.Path] = true
	}
	return len(seen)
}

// software lists outdated software as "WordPress 5.8 in www/wp-includes/version.php".
func software(p *lang.Printer, fs []investigate.Finding) string {
	var items []string
	for _, f := range fs {
		what := said(p, f.Kind)
		if what == "" {
			what = p.T("outdated software")
		}
		items = append(items, p.T("%[1]s in %[2]s", what, f.Path))
	}
	return listSome(p, items)
}

// listSome joins the first maxPaths items as "a, b and c", or "a, b, c
// and 2 more".
func listSome(p *lang.Printer, items []string) string {
	if len(items) > maxPaths {
		return p.T("%[2]s and %[1]d more", len(items)-maxPaths, strings.Join(items[:maxPaths], ", "))
	}
	return joinAnd(p, items)
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(p *lang.Printer, parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return p.T("%[1]s and %[2]s", strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1])
}
