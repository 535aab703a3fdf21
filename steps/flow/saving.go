package flow

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/mjrecover/mjrecover/steps/record"
)

// What the record calls the files the customer asks for.
const (
	savedKeys  = "new keys"
	savedCodes = "recovery codes"
)

// saving is a file the customer asked for (the new keys, the recovery
// codes): being written, then written. A kiosk saves nothing: the customer
// could not fetch it.
type saving struct {
	what, prefix string // for the record; the file's name before its date
	busy         bool
	path         string
}

// start writes the file with write (0600, never replacing), once.
func (s *saving) start(f *Flow, write func(path string) error) []Cmd {
	if f.cfg.Kiosk || s.busy || s.path != "" {
		return nil
	}
	s.busy = true
	return []Cmd{saveFile(f.cfg.ReportDir, s.prefix, f.cfg.Now(), write)}
}

// done takes the outcome: the path goes to the record (never the content).
func (s *saving) done(f *Flow, m fileSavedMsg) (Cmd, error) {
	s.busy = false
	if m.err != nil {
		return nil, errors.New(f.T("Could not save the file: %s", errText(m.err)))
	}
	s.path = m.path
	return f.note(record.Event{Type: record.Saved, Saved: &record.SavedFile{What: s.what, Path: m.path}}), nil
}

// blocks say where the file is.
func (s *saving) blocks(f *Flow) []Block {
	return []Block{toned(Good, f.T("Saved (only you can read it) to:")), tight(text(clean(s.path)))}
}

// fileSavedMsg says where a file the user asked for was saved.
type fileSavedMsg struct {
	path string
	err  error
}

// saveFile writes a file the user asked for into dir, named prefix plus
// the time and ".txt" (and a number when a file of that name exists);
// write does the writing (0600, never replacing).
func saveFile(dir, prefix string, now time.Time, write func(path string) error) Cmd {
	return func(context.Context) Msg {
		base := prefix + now.Format("20060102-150405")
		path := filepath.Join(dir, base+".txt")
		err := write(path)
		for n := 2; errors.Is(err, fs.ErrExist) && n <= 100; n++ {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d.txt", base, n))
			err = write(path)
		}
		return fileSavedMsg{path: path, err: err}
	}
}
