// Package replace puts the new Mailjet key and secret where the old ones
// were, once the keys are rotated, so the customer's apps keep sending.
//
// It works from the scan's findings and the rotation's results:
//
//  1. NewPlan sorts the files the scan named into config files to update
//     (Plan.Updates, each with a redacted preview Diff), leaked copies to
//     remove rather than update (Plan.Removals: a web-served .env.bak, a
//     wp-config.php backup, a phpinfo page, a backup archive), files that
//     read the key from the environment (Plan.EnvNotes) and what it cannot
//     change (Plan.Manual: archive members, git history, unknown secrets).
//  2. Applier.Apply updates one file: a 0600 backup next to it, then an
//     atomic write (a temporary file in the same folder, renamed over the
//     original) that keeps the owner, group and mode and changes nothing
//     but the exact old values. It refuses a file changed since the plan,
//     a read-only file, a link and a file with other names (hard links).
//  3. Remove moves a leaked file into a private quarantine folder.
//  4. Verify scans the updated files again for any old key or secret.
//
// The user's own config file is the only place a clear secret is
// written. Diffs, errors and summaries show a secret as ****abcd.
package replace

import (
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Plan is what replacing the keys would do.
type Plan struct {
	Updates  []Update  // config files that hold an old key or secret
	Removals []Removal // leaked copies to remove, after the user confirms
	EnvNotes []EnvNote // files that read the key from the environment
	Manual   []Manual  // what mjrecover cannot change, and why

	lang *lang.Printer // the customer's language (Input.Lang)
}

// Empty reports whether the plan has nothing to update or remove.
func (p Plan) Empty() bool { return len(p.Updates) == 0 && len(p.Removals) == 0 }

// Update is one config file to rewrite.
type Update struct {
	Path     string   // as the scan gave it
	Diff     Diff     // what changes, secrets redacted
	Replaced int      // values that change
	Keys     []string // the old public keys involved
	Names    []string // the settings it gives the key (MAILJET_APIKEY)

	stamp stamp          // the file as planned; Apply refuses it if it changed
	subs  []substitution // old value → new value
	lang  *lang.Printer  // the plan's language, for Apply's words
}

// Removal is a leaked copy to remove rather than update.
type Removal struct {
	Path   string
	Reason string   // one plain sentence: what it is and why it goes
	Rules  []string // the scan's rule ids that flagged it

	stamp stamp         // of a file; Remove refuses it if it changed
	lang  *lang.Printer // the plan's language, for Remove's words
}

// Manual is something mjrecover leaves to the user, with the reason (in
// the plan's language), and the reason as a message (to say it in any
// language: the journal keeps it for the report).
type Manual struct {
	Path   string
	Line   int // 0 for the file as a whole
	Reason string
	Say    lang.Message `json:"say,omitzero"`
}

// makeManual is a Manual whose reason m is said in p's language.
func makeManual(p *lang.Printer, path string, line int, m lang.Message) Manual {
	return Manual{Path: path, Line: line, Reason: p.Say(m), Say: m}
}

// English is the Manual with its reason in English (when it has its
// message), for the journal and the report's JSON.
func (m Manual) English() Manual {
	if !m.Say.IsZero() {
		m.Reason = m.Say.String()
	}
	return m
}

// Rotation is one key whose pair changed: a sub-account key replaced by a
// new key, or the master key given a new secret (NewKey == OldKey).
type Rotation struct {
	Name      string        // the key's name, for messages
	OldKey    string        // public key before
	OldSecret secret.Secret // secret before; zero when the API masked it (the scan's copies are used)
	NewKey    string        // public key after
	NewSecret secret.Secret // secret after
}
