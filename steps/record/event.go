// Package record keeps the durable record of one recovery: a journal of
// events, each written to disk (appended and synced) as it happens, before
// and after every change at Mailjet and on disk. Folded, the events say
// where the recovery stands (Record): which stages are done, what the scan
// found, every step of the key rotation, every file changed, what the
// account review did. The support report is built from it, so work done
// before an interruption is reported too.
//
// No secret is ever in it: keys are named by their public key, secrets by
// their last four characters, findings are redacted as in the report. A
// journal can be read by anyone who gets the file, so it carries only what
// the report may carry.
//
// What the report says (the stages' outcomes, the account review's lines,
// the files' problems and by-hand reasons) is kept in English, for the
// report's JSON, and as messages (lang.Message: a key and its arguments),
// so the report's Markdown says it in the customer's language, also when
// another session, in another language, resumes the recovery. The
// messages are optional fields: a journal written before them still loads
// (the same Version), and its report says what it kept as it was kept.
package record

import (
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/replace"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
	"github.com/mjrecover/mjrecover/steps/timeline"
)

// Version is the journal's format, written in its first event. A journal
// of an unknown version is not read; version 1 (the saved progress and
// rotation journal of earlier releases) is migrated on load.
const Version = 2

// Type says what an event is about.
type Type string

const (
	Opened    Type = "opened"    // the first event: whose recovery this is
	Restarted Type = "restarted" // the customer started again: stages, scan and decisions are forgotten, the key journal stays
	Entered   Type = "entered"   // a stage began
	StageDone Type = "done"      // a stage ended, with its outcome
	Scanned   Type = "scanned"   // what the investigation found (redacted)
	UsageRead Type = "usage"     // how the sub-account keys were used, read before the rotation
	Rotation  Type = "key"       // one line of the key rotation's journal
	SendTest  Type = "send-test" // a test email with a new key (Send API, sandbox mode)
	File      Type = "file"      // a settings file updated, a leak moved, a file left, the second look
	Review    Type = "review"    // the account review: an item acted on, or what it found
	Saved     Type = "saved"     // a file the customer asked for (new keys, recovery codes)
	Reported  Type = "reported"  // the report was sent or saved
	Finished  Type = "finished"  // the recovery is over
)

// Event is one line of the journal. Which fields are set depends on Type.
type Event struct {
	V      int                 `json:"v,omitempty"` // Opened: Version
	At     time.Time           `json:"at"`
	Type   Type                `json:"type"`
	Stage  string              `json:"stage,omitempty"` // Entered, StageDone: the stage's id
	Open   *Open               `json:"open,omitempty"`
	Step   *support.StepResult `json:"step,omitempty"`
	Scan   *Scan               `json:"scan,omitempty"`
	Usage  []review.KeyUsage   `json:"usage,omitempty"`
	Key    *rotate.Entry       `json:"key,omitempty"`
	Send   *rotate.SendCheck   `json:"send,omitempty"`
	File   *FileOp             `json:"file,omitempty"`
	Review *ReviewOp           `json:"review,omitempty"`
	Saved  *SavedFile          `json:"saved,omitempty"`
	Report *Report             `json:"report,omitempty"`
}

// Open says whose recovery a journal is.
type Open struct {
	Account   string `json:"account"`
	MasterKey string `json:"master_api_key"`
	Mode      string `json:"mode"` // "live", "demo" or "kiosk"
	Version   string `json:"app_version,omitempty"`
}

// Scan is what the investigation found, redacted as in the report.
type Scan struct {
	Root     string            `json:"root"` // the folder, or the web sites, checked
	Sites    bool              `json:"sites,omitempty"`
	Files    int               `json:"files"`
	Findings []support.Finding `json:"findings,omitempty"`
	Leaked   []string          `json:"leaked_keys,omitempty"` // public keys found leaked
	// Timeline is what the scan and the sending statistics told of the
	// leak, in order (see package timeline).
	Timeline []timeline.Event `json:"timeline,omitempty"`
}

// FileOp is one step of putting the new keys in the customer's files.
// Update and Move are written as an intent (Phase rotate.Intent) before the
// file is touched and as their outcome after.
type FileOp struct {
	Op         FileOpKind            `json:"op"`
	Phase      rotate.Phase          `json:"phase,omitempty"`
	Path       string                `json:"path,omitempty"`
	Applied    *replace.Applied      `json:"applied,omitempty"`
	Removed    *replace.Removed      `json:"removed,omitempty"`
	Problem    string                `json:"problem,omitempty"`    // English
	ProblemSay lang.Message          `json:"problem_say,omitzero"` // Problem as a message, for the report
	Quarantine string                `json:"quarantine,omitempty"` // Move: the private folder moved files go to
	Backups    string                `json:"backups,omitempty"`    // Update: the private folder the backup goes to
	Keys       []string              `json:"api_keys,omitempty"`   // Update: the old public keys it replaces
	Names      []string              `json:"names,omitempty"`      // Update: the settings it gives the key
	Check      *replace.Verification `json:"check,omitempty"`
	EnvNotes   []replace.EnvNote     `json:"env_notes,omitempty"` // Planned
	Manual     []replace.Manual      `json:"manual,omitempty"`    // Planned
}

// Undone is the outcome of a file change that an interruption cut short
// and that the next session found did not happen: the file is as it was.
const Undone rotate.Phase = "undone"

// FileOpKind is what a FileOp did.
type FileOpKind string

const (
	FilePlanned FileOpKind = "planned" // the notes of the plan (environment, by hand)
	FileUpdate  FileOpKind = "update"
	FileMove    FileOpKind = "move"
	FileLeave   FileOpKind = "leave" // the customer chose to leave it
	FileCheck   FileOpKind = "check" // the changed files were looked at again
)

// ReviewOp is one thing the account review did.
type ReviewOp struct {
	Phase  rotate.Phase   `json:"phase,omitempty"` // of an act: intent, then its outcome
	Area   string         `json:"area,omitempty"`
	Title  string         `json:"title,omitempty"`
	Target int64          `json:"target,omitempty"` // the webhook, route, sender or key acted on
	Line   *support.Line  `json:"line,omitempty"`   // an act's outcome, for the report
	Lines  []support.Line `json:"lines,omitempty"`  // the whole review, when the customer moved on
}

// SavedFile is a file the customer asked for. Its content is theirs and
// is never in the journal.
type SavedFile struct {
	What string `json:"what"` // "new keys" or "recovery codes"
	Path string `json:"path"`
}

// Report is where the report went.
type Report struct {
	Ticket   string `json:"ticket,omitempty"`
	Markdown string `json:"markdown,omitempty"`
	JSON     string `json:"json,omitempty"`
}
