package record

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// Backend keeps journals instead of files: a database that several kiosk
// hosts share (steps/kioskstore), so a customer whose line dropped goes on
// through any host. A journal is its JSON lines, as a file holds them,
// under Key(id); its version counts its writes, and every write names the
// version it read (compare and set), so two writers never interleave.
type Backend interface {
	// LoadJournal reads the journal of key: its bytes and version (0 and
	// no bytes when there is none).
	LoadJournal(ctx context.Context, key string) (data []byte, version int64, err error)
	// AppendJournal adds data at the end, if the version is still version,
	// and returns the new version; ErrChanged when it is not.
	AppendJournal(ctx context.Context, key string, version int64, data []byte) (int64, error)
	// PutJournal replaces the bytes, as AppendJournal adds them.
	PutJournal(ctx context.Context, key string, version int64, data []byte) (int64, error)
	// DeleteJournal forgets the journal, as AppendJournal adds to it.
	DeleteJournal(ctx context.Context, key string, version int64) (int64, error)
	// LockJournal holds key for one journal, on every host, until unlock
	// (or until the process holding it ends); ErrBusy when another holds
	// it.
	LockJournal(ctx context.Context, key string) (unlock func(), err error)
}

// ErrChanged: the journal was written by another session since this one
// read it (it lost its hold on the recovery). Its text is a marked
// message, as ErrBusy's.
var ErrChanged = errors.New(lang.Mark("this recovery's progress was changed in another session: close this one and open it again"))

// backendWait bounds one call to a Backend. A journal's methods take no
// context: the flow writes from its commands and from the session's end,
// which must finish even when the session's context is over.
const backendWait = 30 * time.Second

func backendContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), backendWait)
}

// openBackend opens the journal of id in s.Backend, locked until Close.
func (s Store) openBackend(id string) (*Journal, error) {
	ctx, cancel := backendContext()
	defer cancel()
	key := Key(id)
	unlock, err := s.Backend.LockJournal(ctx, key)
	if err != nil {
		if errors.Is(err, ErrBusy) {
			return nil, ErrBusy
		}
		return nil, fmt.Errorf("open the saved progress: %w", err)
	}
	j := &Journal{backend: s.Backend, key: key, unlock: unlock}
	if err := j.loadBackend(ctx); err != nil {
		j.Close()
		return nil, err
	}
	return j, nil
}

// loadBackend reads the journal's lines and drops a last line cut short
// (none should be: only whole lines are written), so the next append
// starts a line of its own.
func (j *Journal) loadBackend(ctx context.Context) error {
	data, version, err := j.backend.LoadJournal(ctx, j.key)
	if err != nil {
		return fmt.Errorf("read the saved progress: %w", err)
	}
	events, whole, err := parseLines(data)
	if err != nil {
		return err
	}
	if whole < len(data) {
		if version, err = j.backend.PutJournal(ctx, j.key, version, data[:whole]); err != nil {
			return fmt.Errorf("repair the saved progress: %w", err)
		}
	}
	j.events, j.saved, j.version = events, len(events), version
	return nil
}

// flushBackend appends the lines of events[saved:] in one write.
func (j *Journal) flushBackend(lines []byte) error {
	if j.unlock == nil {
		return errors.New("note progress: the journal is closed")
	}
	ctx, cancel := backendContext()
	defer cancel()
	version, err := j.backend.AppendJournal(ctx, j.key, j.version, lines)
	if err != nil {
		return fmt.Errorf("note progress: %w", err)
	}
	j.version = version
	return nil
}

// deleteBackend forgets the journal and lets go of it.
func (j *Journal) deleteBackend() error {
	ctx, cancel := backendContext()
	defer cancel()
	_, err := j.backend.DeleteJournal(ctx, j.key, j.version)
	j.release()
	j.backend = nil
	if err != nil {
		return fmt.Errorf("forget the saved progress: %w", err)
	}
	return nil
}

// release lets go of the journal's lock (once).
func (j *Journal) release() {
	if j.unlock != nil {
		j.unlock()
		j.unlock = nil
	}
}

// peekBackend reads the journal of id without locking it.
func (s Store) peekBackend(id string) (Record, bool, error) {
	ctx, cancel := backendContext()
	defer cancel()
	data, _, err := s.Backend.LoadJournal(ctx, Key(id))
	if err != nil {
		return Record{}, false, fmt.Errorf("read the saved progress: %w", err)
	}
	events, _, err := parseLines(data)
	if err != nil {
		return Record{}, false, err
	}
	return Fold(events), len(events) > 0, nil
}
