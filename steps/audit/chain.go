package audit

import (
	"context"
	"fmt"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// ChainStore keeps a log's lines in a database that several kiosk hosts
// share (steps/kioskstore): each line gets its number and the hash of the
// line before it inside the transaction that stores it, and the head (the
// number of lines and the last one's hash) moves in that same
// transaction. So every host appends to one chain in one order, and the
// head never lags behind the lines, as a head file can after a crash.
type ChainStore interface {
	// AppendChain stores n lines at the end of the chain, in one change:
	// line(i, prev, seq) makes the i-th from the hash of the line before
	// it ("" for the first of the chain) and its number. line must not
	// call the store.
	AppendChain(ctx context.Context, n int, line func(i int, prev string, seq int64) ([]byte, error)) error
	// ChainEnd is the head: how many lines the chain has and the last
	// one's LineHash ("" when it has none).
	ChainEnd(ctx context.Context) (lines int64, hash string, err error)
	// ChainLines calls fn with lines 1 to upTo in order (without their
	// newline) and returns fn's error as it is.
	ChainLines(ctx context.Context, upTo int64, fn func(line []byte) error) error
	// SignedHeads keeps the chain's last signed head (SignChain).
	SignedHeads() HeadStore
}

// OpenChain is a Log whose lines go to cs. onError, when not nil, hears
// about entries Post could not write.
func OpenChain(cs ChainStore, onError func(error)) *Log {
	l := newLog(onError)
	l.chain = cs
	go l.drain()
	return l
}

// writeChain appends entries to the chain in one change.
func (l *Log) writeChain(ctx context.Context, entries []Entry) error {
	err := l.chain.AppendChain(ctx, len(entries), func(i int, prev string, seq int64) ([]byte, error) {
		e := entries[i]
		e.Seq, e.Prev = seq, prev
		return encodeLine(e)
	})
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

// VerifyChain checks the chain in cs as Verify checks a file: every line
// up to the head (lines appended meanwhile are left for the next check),
// the end against the head, and the last signed head. It returns a
// *BrokenError for the first changed line, ErrForgedSeal for a seal whose
// signature fails, or a read error.
func VerifyChain(ctx context.Context, cs ChainStore) (Report, error) {
	rep, _, err := verifyChain(ctx, cs)
	return rep, err
}

func verifyChain(ctx context.Context, cs ChainStore) (Report, Head, error) {
	lines, hash, err := cs.ChainEnd(ctx)
	if err != nil {
		return Report{}, Head{}, fmt.Errorf("audit chain: %w", err)
	}
	head := Head{Lines: lines, Hash: hash}
	signed, ok, err := cs.SignedHeads().LoadHead(ctx)
	if err != nil {
		return Report{}, head, fmt.Errorf("audit chain: %w", err)
	}
	if ok {
		head.Seal = signed.Seal
	}
	v := &verifier{head: &head}
	err = cs.ChainLines(ctx, lines, func(line []byte) error {
		if berr := v.line(append(line, '\n')); berr != nil {
			return berr
		}
		return nil
	})
	if err != nil {
		return v.rep, head, err
	}
	return v.rep, head, v.end()
}

// SignChain verifies the chain in cs and signs its head with signer (the
// kiosk's host key), kept as its signed head. A chain that does not verify
// is not signed. Lines appended while it runs come after the signature.
func SignChain(ctx context.Context, cs ChainStore, signer gossh.Signer, now time.Time) (Report, error) {
	rep, _, err := verifyChain(ctx, cs)
	if err != nil {
		return rep, err
	}
	seal, err := newSeal(signer, rep.Lines, rep.LastHash, now)
	if err != nil {
		return rep, err
	}
	if err := cs.SignedHeads().SaveHead(ctx, Head{Lines: rep.Lines, Hash: rep.LastHash, Time: seal.Time, Seal: seal}); err != nil {
		return rep, fmt.Errorf("audit chain: %w", err)
	}
	rep.Sealed, rep.SealKey, rep.SealTime = seal.Lines, signer.PublicKey(), seal.Time
	return rep, nil
}
