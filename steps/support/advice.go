package support

import (
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// advice lists what the customer should do next, the specific steps the
// findings call for first.
func advice(found []investigate.Finding, masterKey string) []string {
	ev := sortEvidence(found)
	served := append(append([]investigate.Finding{}, ev.holders...), ev.exposers...)
	var a []string

	if len(served) > 0 {
		a = append(a,
			"Ask your hosting provider for the web server's access logs for "+paths(served)+", to learn who downloaded them and when.",
			"Delete the files your web server hands to anyone ("+paths(served)+"); keep backups and configuration files outside the web folder.")
	} else {
		a = append(a,
			"Ask your hosting provider whether anyone else had access to the server, and for its access logs.",
			"Keep backups and configuration files outside the folder your web server serves.")
	}

	keys := leakedKeys(found, masterKey)
	search := "Search public code repositories (for example GitHub code search) for your API keys"
	if len(keys) > 0 {
		search += " (" + joinAnd(keys) + ")"
	}
	a = append(a, search+"; remove every copy you find, since anyone can read them.")

	if len(ev.outdated) > 0 {
		a = append(a, "Update WordPress, its plugins and themes ("+paths(ev.outdated)+"), and turn on automatic updates.")
	} else {
		a = append(a, "Keep WordPress, its plugins and any other web software up to date.")
	}
	return append(a,
		"Put the new API keys in every application that sends email, then delete the file that holds the new secrets.",
		"Keep your two-factor recovery codes somewhere safe, away from this server and your phone.",
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
