package flow

import "github.com/mjrecover/mjrecover/api/secret"

// Screen is what the recovery shows and asks right now, as data: the
// wizard draws it full-screen, the accessible mode reads it out line by
// line. Both take their words from here, so they say the same thing.
type Screen struct {
	Stage Stage
	// Step is the recovery step the stage belongs to ("Step 2 of 5"), 0
	// before the first.
	Step int
	Name string // the step's name
	Why  string // one sentence: why it matters
	// Alert: Why is a warning instead (progress could not be saved).
	Alert bool
	// Blocks are the content, top to bottom.
	Blocks []Block
	// Fields are the text fields the screen asks for, in order; Focus is
	// the one the cursor is in.
	Fields []Field
	Focus  string
	// Actions are what can be done now. The one with ID Continue is the
	// default (Enter).
	Actions []Action
	// Busy: work is in flight and its result will change the screen: a
	// front-end waits for it. Only the actions listed (stopping a scan)
	// can be taken meanwhile, and quitting.
	Busy bool
	// Secret: something secret is on the screen right now (a new key's
	// secret, a QR code, recovery codes); a front-end that keeps what it
	// showed (a screen reader's history, a scroll-back) should know.
	Secret bool
}

// Action is something the user can do on a screen.
type Action struct {
	ID    ActionID
	Label string // a few words for the help line: "rotate", "skip this key"
}

// ActionID names an action; front-ends map each to a key.
type ActionID string

// The actions. Their keys are the front-end's business (Enter for
// Continue, y and n, r, s...), but two actions never share a key on one
// screen.
const (
	Continue  ActionID = "continue"
	Yes       ActionID = "yes"
	No        ActionID = "no"
	Back      ActionID = "back"
	Retry     ActionID = "retry"
	Skip      ActionID = "skip"
	Save      ActionID = "save"
	Reveal    ActionID = "reveal"
	Update    ActionID = "update"
	Move      ActionID = "move"
	Act       ActionID = "act"
	Check     ActionID = "check"
	WroteDown ActionID = "wrote-down"
	Details   ActionID = "details"
	SignIn    ActionID = "sign-in"   // type the key pair again (Mailjet refused it mid-recovery)
	TestSend  ActionID = "test-send" // send a test email with the new keys (Send API, sandbox mode)
)

// Field is a text field.
type Field struct {
	ID          string
	Label       string
	Placeholder string
	Secret      bool // masked, and handed out as a secret
	Digits      bool // takes digits (and spaces) only, so letters stay free for keys
	Limit       int  // characters at most
	Width       int  // drawn at most this wide (0: the screen's width)
	// Value is a field's text as the recovery holds it, for fields that
	// are not secret. Rev changes whenever the recovery sets or clears a
	// field, so the front-end takes Value again (a secret field is then
	// emptied).
	Value string
	Rev   int
	Shown bool // a secret field's text may be shown
}

// Block is one piece of a screen.
type Block struct {
	Kind  Kind
	Tone  Tone
	Text  string
	Tight bool // follows the block before without a blank line
	// Ask marks the screen's question (a confirmation, "Press Enter to
	// start."): a front-end keeps it, and what follows it, in view when
	// the rest must scroll.
	Ask bool

	Table *Table     // Kind Table
	List  *List      // Kind List
	Pairs []Pair     // Kind Pairs
	Field string     // Kind Input: the field's ID
	Diff  []DiffLine // Kind Diff
	Meter *Meter     // Kind Meter
	// URI is a QR code's content (Kind QR). It holds the two-factor key,
	// so it is a secret.
	URI secret.Secret
}

// Kind is what a block is.
type Kind int

const (
	TextBlock    Kind = iota // a paragraph, wrapped to the width
	BoxBlock                 // a question or warning in a frame
	TableBlock               // columns, one row per line
	ListBlock                // lines to choose from, or a checklist
	PairsBlock               // "label  value" lines; a value may be a secret
	InputBlock               // a text field
	DiffBlock                // a file's change, line by line
	MeterBlock               // a password's strength
	QRBlock                  // a QR code (the text blocks after it go beside it when there is room)
	WorkingBlock             // work in flight: Text says what is awaited
)

// Tone colours text.
type Tone int

const (
	Plain  Tone = iota
	Title       // a heading
	Muted       // secondary
	Warn        // needs attention
	Bad         // an error, a leak
	Good        // done, fine
	Strong      // a label
)

// Table is columns of text.
type Table struct {
	Header []string
	Rows   [][]string
	Tones  []Tone // one per row
	// Squeeze is the column (a key) that may be shortened in the middle
	// when the screen is narrow; -1: none.
	Squeeze int
}

// List is lines to choose from. Selected is the chosen item's index in
// Items (headings included); -1 when nothing can be chosen (a checklist).
type List struct {
	Items    []Item
	Selected int
}

// Item is one line of a list.
type Item struct {
	Heading  bool   // a section's title, not an item
	Mark     string // "✓", "!", "?", "·"...
	MarkTone Tone
	// Cols are the line's columns: each but the last is padded to the
	// widest in the list.
	Cols []string
	Tone Tone
}

// Pair is one "label  value" line.
type Pair struct {
	Label string
	Value string
	// Secret, when set, is the value: shown when Shown, else Mask (or the
	// secret's hint).
	Secret secret.Secret
	Shown  bool
	Mask   string
	Tone   Tone
}

// DiffLine is one line of a change: Op is '-', '+' or ' '.
type DiffLine struct {
	Op   byte
	Text string
}

// Meter is a password's strength: Score 0 to 4.
type Meter struct {
	Score int
	Label string
	Chars int
}
