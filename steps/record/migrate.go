package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

// Version 1 kept a recovery in two files: KEY.json (which steps were done,
// by number, the scan's findings and the report's other lines) and
// KEY.jsonl (the rotation journal: creating, created, resetting, done).

type v1State struct {
	Version   int                        `json:"version"`
	Account   string                     `json:"account"`
	MasterKey string                     `json:"master_api_key"`
	UpdatedAt time.Time                  `json:"updated_at"`
	Steps     map[int]support.StepResult `json:"steps"`
	ScanRoot  string                     `json:"scan_root"`
	Findings  []support.Finding          `json:"findings"`
	Leaked    []string                   `json:"leaked_keys"`
	Actions   []support.Line             `json:"other_actions"`
}

type v1Entry struct {
	At     time.Time `json:"at"`
	OldID  int64     `json:"old_id"`
	OldKey string    `json:"old_key"`
	Master bool      `json:"master"`
	Phase  string    `json:"phase"`
	Name   string    `json:"name"`
	NewID  int64     `json:"new_id"`
	NewKey string    `json:"new_key"`
}

// v1Stages maps version 1's step numbers to the stages they covered.
var v1Stages = map[int][]string{
	1: {"investigate"},
	2: {"plan", "rotate", "files"},
	3: {"password"},
	4: {"twofactor", "recovery-codes"},
}

// migrateV1 reads a version 1 recovery under key, as events.
func migrateV1(dir, key string) ([]Event, bool) {
	data, err := os.ReadFile(filepath.Join(dir, key+".json"))
	var st v1State
	if err != nil || json.Unmarshal(data, &st) != nil || st.Version != 1 {
		st = v1State{}
	}
	entries := readV1Journal(filepath.Join(dir, key+".jsonl"))
	if st.Version != 1 && len(entries) == 0 {
		return nil, false
	}
	at := st.UpdatedAt
	ev := func(e Event) Event {
		if e.At.IsZero() {
			e.At = at
		}
		return e
	}
	out := []Event{ev(Event{V: Version, Type: Opened, Open: &Open{Account: st.Account, MasterKey: st.MasterKey, Mode: "live"}})}
	if st.ScanRoot != "" || len(st.Findings) > 0 {
		out = append(out, ev(Event{Type: Scanned, Scan: &Scan{Root: st.ScanRoot, Findings: st.Findings, Leaked: st.Leaked}}))
	}
	for n, stages := range v1Stages {
		r, ok := st.Steps[n]
		if !ok {
			continue
		}
		for _, stage := range stages {
			out = append(out, ev(Event{Type: StageDone, Stage: stage, Step: &r}))
		}
	}
	if len(st.Actions) > 0 {
		out = append(out, ev(Event{Type: Review, Review: &ReviewOp{Lines: st.Actions}}))
	}
	// A version 1 session showed the new secrets once the whole rotation
	// was done: its step 2 being done says the customer saw them.
	_, shown := st.Steps[2]
	for _, e := range entries {
		for _, k := range v1Keys(e, shown) {
			k := k
			out = append(out, ev(Event{At: e.At, Type: Rotation, Key: &k}))
		}
	}
	return out, true
}

// v1Keys turns a version 1 journal line into rotation entries.
func v1Keys(e v1Entry, shown bool) []rotate.Entry {
	base := rotate.Entry{At: e.At, Slot: e.OldKey, Master: e.Master, Attempt: 1}
	with := func(op rotate.Op, ph rotate.Phase) rotate.Entry {
		x := base
		x.Op, x.Phase = op, ph
		return x
	}
	switch e.Phase {
	case "creating":
		c := with(rotate.OpCreate, rotate.Intent)
		c.Name = e.Name
		return []rotate.Entry{c}
	case "created":
		c := with(rotate.OpCreate, rotate.Done)
		c.Name, c.Key, c.ID = e.Name, e.NewKey, e.NewID
		return []rotate.Entry{c}
	case "done":
		if e.Master {
			out := []rotate.Entry{with(rotate.OpAccept, rotate.Done)}
			return out
		}
		c := with(rotate.OpCreate, rotate.Done)
		c.Key, c.ID = e.NewKey, e.NewID
		d := with(rotate.OpDeactivate, rotate.Done)
		d.Key, d.ID = e.OldKey, e.OldID
		out := []rotate.Entry{c, d}
		if shown {
			h := with(rotate.OpHandover, rotate.Done)
			h.Key, h.How = e.NewKey, rotate.HandShown
			out = append(out, h)
		}
		return out
	}
	return nil // "resetting": the next sign-in tells whether the reset happened
}

func readV1Journal(path string) []v1Entry {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []v1Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		var e v1Entry
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.OldKey != "" {
			out = append(out, e)
		}
	}
	return out
}

// UpgradeV1 turns every recovery of dir kept in the first progress
// format (KEY.json and KEY.jsonl) into a journal, as opening it would, and
// returns how many it turned. It is for a tool that reads a folder's
// journals without opening each by its id: the kiosk's import into its
// store. A recovery open in a running wizard is left as it is (ErrBusy).
func UpgradeV1(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("read the saved progress: %w", err)
	}
	seen, n := map[string]bool{}, 0
	for _, e := range entries {
		key, ok := strings.CutSuffix(e.Name(), ".jsonl")
		if !ok {
			key, ok = strings.CutSuffix(e.Name(), ".json")
		}
		if !ok || seen[key] || !e.Type().IsRegular() {
			continue
		}
		seen[key] = true
		j, err := Store{Dir: dir}.openFile(key) // migrates, when the journal is new
		if errors.Is(err, ErrBusy) {
			continue
		}
		if err != nil {
			return n, err
		}
		if len(j.Events()) > 0 {
			n++
		}
		if err := j.Close(); err != nil {
			return n, err
		}
	}
	return n, nil
}

// removeV1 deletes the version 1 files once their content is migrated.
func removeV1(dir, key string) {
	_ = os.Remove(filepath.Join(dir, key+".json"))
	_ = os.Remove(filepath.Join(dir, key+".jsonl"))
}
