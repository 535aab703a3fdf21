package support

import (
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// advice lists, in p's language, what the customer should do next, the
// specific steps the findings call for first.
func advice(p *lang.Printer, found []investigate.Finding, masterKey string) []string {
	ev := sortEvidence(found)
	served := append(append([]investigate.Finding{}, ev.holders...), ev.exposers...)
	var a []string

	if len(served) > 0 {
		if downloads := downloadsOf(found); len(downloads) > 0 {
			// The logs were read: they already say who took what.
			a = append(a, p.T("The web server's access logs show who downloaded %s (see \"What happened, in order\"); "+
				"ask your hosting provider for older logs if they keep them, to learn since when.", paths(p, downloads)))
		} else {
			a = append(a, p.T("Ask your hosting provider for the web server's access logs for %s, to learn who downloaded them and when.", paths(p, served)))
		}
		a = append(a, p.T("Delete the files your web server hands to anyone (%s); keep backups and configuration files outside the web folder.", paths(p, served)))
	} else {
		a = append(a,
			p.T("Ask your hosting provider whether anyone else had access to the server, and for its access logs."),
			p.T("Keep backups and configuration files outside the folder your web server serves."))
	}

	if keys := leakedKeys(found, masterKey); len(keys) > 0 {
		a = append(a, p.T("Search public code repositories (for example GitHub code search) for your API keys (%s); "+
			"remove every copy you find, since anyone can read them.", joinAnd(p, keys)))
	} else {
		a = append(a, p.T("Search public code repositories (for example GitHub code search) for your API keys; "+
			"remove every copy you find, since anyone can read them."))
	}

	if len(ev.outdated) > 0 {
		a = append(a, p.T("Update WordPress, its plugins and themes (%s), and turn on automatic updates.", paths(p, ev.outdated)))
	} else {
		a = append(a, p.T("Keep WordPress, its plugins and any other web software up to date."))
	}
	return append(a,
		p.T("Put the new API keys in every application that sends email, then delete the file that holds the new secrets."),
		p.T("Keep your two-factor recovery codes somewhere safe, away from this server and your phone."),
	)
}

// leakedKeys are the account's public keys worth searching for: the
// master key and every owned key the scan found.
func leakedKeys(found []investigate.Finding, masterKey string) []string {
	var keys []string
	seen := map[string]bool{}
	add := func(k string) {
		if k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	add(masterKey)
	for _, f := range found {
		if f.Owned {
			add(f.APIKey)
		}
	}
	return keys
}

// downloadsOf are the exposed files the access logs show downloaded, once
// each.
func downloadsOf(found []investigate.Finding) []investigate.Finding {
	var out []investigate.Finding
	seen := map[string]bool{}
	for _, f := range found {
		if f.Rule == investigate.RuleDownloaded && !seen[f.Path] {
			seen[f.Path] = true
			out = append(out, f)
		}
	}
	return out
}
