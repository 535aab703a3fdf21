package support

import (
	"fmt"
	"strings"

	"github.com/mjrecover/mjrecover/steps/investigate"
)

// NothingFound is the root cause when the scan found nothing.
const NothingFound = "The scan found no leaked credentials on this server; the leak may come from another server, a public repository, or a shared file."

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

// rootCause explains in plain words how the credentials most likely
// leaked, the most serious evidence first.
func rootCause(found []investigate.Finding) string {
	ev := sortEvidence(found)
	var s []string
	switch {
	case len(ev.holders) > 0:
		where, address := "a file", "that address"
		if distinctPaths(ev.holders) > 1 {
			where, address = "files", "those addresses"
		}
		s = append(s, "Your API key and secret were in "+where+" your web server hands to anyone: "+paths(ev.holders)+
			". Anyone who asked for "+address+" could read them and send email from your account; this is the most likely way they leaked.")
		if len(ev.exposers) > 0 {
			s = append(s, "Other files your web server hands to anyone could reveal them too: "+paths(ev.exposers)+".")
		}
		if len(ev.config) > 0 {
			s = append(s, "They were also in application configuration files ("+paths(ev.config)+").")
		}
	case len(ev.config) > 0 && len(ev.exposers) > 0:
		s = append(s, "Your API key and secret were in application configuration files ("+paths(ev.config)+
			"), and files your web server hands to anyone can reveal them: "+paths(ev.exposers)+
			". This is the most likely way they leaked.")
	case len(ev.config) > 0:
		s = append(s, "Your API key and secret were in application configuration files ("+paths(ev.config)+
			"); anyone with access to the server or to a copy of the code had them. No file your web server hands to anyone held them, so the leak more likely came through the server itself, a backup, or a copy of the code.")
	case len(ev.exposers) > 0:
		s = append(s, "The scan found files your web server hands to anyone ("+paths(ev.exposers)+
			"), but none held this account's API keys; the leak may come from another server, a public repository, or a shared file.")
	}
	if len(ev.outdated) > 0 {
		if len(s) == 0 {
			s = append(s, "The scan found no leaked credentials on this server, but it runs outdated software, a common way in: "+
				software(ev.outdated)+". The leak may also come from another server, a public repository, or a shared file.")
		} else {
			s = append(s, "Outdated software is also a likely way in: "+software(ev.outdated)+
				". Attackers use its known flaws to read files such as wp-config.php.")
		}
	}
	if len(ev.foreign) > 0 {
		if len(s) == 0 {
			s = append(s, NothingFound)
		}
		s = append(s, "The scan also found Mailjet keys of other accounts ("+paths(ev.foreign)+"); they do not explain this leak, but their owners should rotate them.")
	}
	if len(s) == 0 {
		return NothingFound
	}
	return strings.Join(s, " ")
}

// paths lists the distinct paths of fs, the first maxPaths by name.
func paths(fs []investigate.Finding) string {
	seen := map[string]bool{}
	var names []string
	for _, f := range fs {
		if !seen[f.Path] {
			seen[f.Path] = true
			names = append(names, f.Path)
		}
	}
	if len(names) > maxPaths {
		more := len(names) - maxPaths
		return strings.Join(names[:maxPaths], ", ") + fmt.Sprintf(" and %d more", more)
	}
	return joinAnd(names)
}

func distinctPaths(fs []investigate.Finding) int {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.Path] = true
	}
	return len(seen)
}

// software lists outdated software as "WordPress 5.8 at www/wp-includes/version.php".
func software(fs []investigate.Finding) string {
	var items []string
	for _, f := range fs {
		what := f.Kind
		if what == "" {
			what = "outdated software"
		}
		items = append(items, what+" at "+f.Path)
	}
	if len(items) > maxPaths {
		return strings.Join(items[:maxPaths], ", ") + fmt.Sprintf(" and %d more", len(items)-maxPaths)
	}
	return joinAnd(items)
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
