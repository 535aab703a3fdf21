package kioskstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/record"
)

// The store in the terms of the packages whose state it keeps: the
// recoveries' journals for steps/record, the audit chain for steps/audit.
// (The access codes and attempts are the store's own methods: a Store is
// an access.Attempts as it is.)

// Journals is the store as steps/record's Backend: each recovery's
// journal is its Recovery, locked by Lock while a journal has it open.
func (s *Store) Journals() record.Backend { return journals{s} }

type journals struct{ s *Store }

// journalLock names a journal's lock (a key is a hash: not secret).
func journalLock(key string) string { return "journal:" + key }

func (j journals) LoadJournal(ctx context.Context, key string) ([]byte, int64, error) {
	r, err := j.s.Recovery(ctx, key)
	if err != nil || !r.Exists {
		return nil, r.Version, err
	}
	return r.Data, r.Version, nil
}

func (j journals) AppendJournal(ctx context.Context, key string, version int64, data []byte) (int64, error) {
	return changed(j.s.AppendRecovery(ctx, key, version, data))
}

func (j journals) PutJournal(ctx context.Context, key string, version int64, data []byte) (int64, error) {
	return changed(j.s.PutRecovery(ctx, key, version, data))
}

func (j journals) DeleteJournal(ctx context.Context, key string, version int64) (int64, error) {
	return changed(j.s.DeleteRecovery(ctx, key, version))
}

// changed says ErrStale as steps/record says it.
func changed(version int64, err error) (int64, error) {
	if errors.Is(err, ErrStale) {
		return 0, record.ErrChanged
	}
	return version, err
}

func (j journals) LockJournal(ctx context.Context, key string) (func(), error) {
	l, err := j.s.Lock(ctx, journalLock(key))
	if errors.Is(err, ErrLocked) {
		return nil, record.ErrBusy
	}
	if err != nil {
		return nil, err
	}
	// An unlock that fails ends the lock's connection, and the lock with
	// it: there is nothing left to do about it.
	return func() { _ = l.Unlock(context.Background()) }, nil
}

// AuditChain is the store's audit chain as steps/audit's ChainStore: the
// kiosk's audit.Log appends to it (audit.OpenChain), verify-audit and
// sign-audit read it (audit.VerifyChain, audit.SignChain).
func (s *Store) AuditChain() audit.ChainStore { return auditChain{s} }

// SignedHeadAnchor is the anchor that keeps the audit chain's last signed
// head.
const SignedHeadAnchor = "audit.signed-head"

type auditChain struct{ s *Store }

func (c auditChain) AppendChain(ctx context.Context, n int, line func(i int, prev string, seq int64) ([]byte, error)) error {
	_, err := c.s.AppendAuditLines(ctx, n, line)
	return err
}

func (c auditChain) ChainEnd(ctx context.Context) (int64, string, error) {
	h, err := c.s.AuditHead(ctx)
	return h.Count, h.Hash, err
}

func (c auditChain) ChainLines(ctx context.Context, upTo int64, fn func(line []byte) error) error {
	return c.s.auditLines(ctx, 0, upTo, func(_ int64, line []byte) error { return fn(line) })
}

func (c auditChain) SignedHeads() audit.HeadStore {
	return AnchorHeads{Store: c.s, Name: SignedHeadAnchor}
}

// AnchorHeads keeps an audit head (audit.HeadStore) in the store's anchor
// Name, replaced whole: the audit chain's signed head, or the head of a
// log file kept apart from the file.
type AnchorHeads struct {
	Store *Store
	Name  string
}

// LoadHead implements audit.HeadStore.
func (a AnchorHeads) LoadHead(ctx context.Context) (audit.Head, bool, error) {
	data, ok, err := a.Store.Anchor(ctx, a.Name)
	if err != nil || !ok {
		return audit.Head{}, false, err
	}
	var h audit.Head
	if err := json.Unmarshal(data, &h); err != nil {
		return audit.Head{}, false, fmt.Errorf("%s in %s: not an audit head: %w", a.Name, a.Store.where, err)
	}
	if h.Lines < 0 {
		return audit.Head{}, false, fmt.Errorf("%s in %s: a negative line count", a.Name, a.Store.where)
	}
	return h, true, nil
}

// SaveHead implements audit.HeadStore.
func (a AnchorHeads) SaveHead(ctx context.Context, h audit.Head) error {
	data, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("save %s: %w", a.Name, err)
	}
	return a.Store.SaveAnchor(ctx, a.Name, data)
}
