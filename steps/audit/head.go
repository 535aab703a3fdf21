package audit

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/mjrecover/mjrecover/steps/internal/privatefile"
)

// Head anchors the end of the chain: how many lines the log has and the
// hash of the last one. A hash chain alone cannot show lines cut from its
// end, or its last line changed with its hash recomputed; a head kept
// apart from the log can.
type Head struct {
	Lines int64     `json:"lines"`
	Hash  string    `json:"hash"` // LineHash of line Lines ("" when Lines is 0)
	Time  time.Time `json:"time"` // when that line was written
	// Seal is the last head signed with the kiosk's host key (Sign): the
	// log's first Seal.Lines lines as they were then. Append keeps it.
	Seal *Seal `json:"seal,omitempty"`
}

// Seal is a head signed with an SSH key (the kiosk's host key).
type Seal struct {
	Lines     int64     `json:"lines"`
	Hash      string    `json:"hash"`
	Time      time.Time `json:"time"`      // when it was signed
	Key       string    `json:"key"`       // the signer's public key, authorized_keys format
	Signature string    `json:"signature"` // base64 of the SSH signature of sealMessage
}

// HeadStore keeps a log's head. Append calls it under the log's file
// lock, so processes sharing a log agree on one head. The file
// implementation is FileHeads; a database can take its place.
type HeadStore interface {
	// LoadHead gives the head; ok is false when there is none yet.
	LoadHead(ctx context.Context) (h Head, ok bool, err error)
	// SaveHead replaces the head, all or nothing.
	SaveHead(ctx context.Context, h Head) error
}

// HeadPath is where FileHeads keeps the head of the log at logPath: next
// to it.
func HeadPath(logPath string) string { return logPath + ".head" }

// FileHeads keeps a head in the JSON file at Path (mode 0600), replaced
// atomically: written to a temporary file in the same folder, synced,
// renamed over the old one.
type FileHeads struct{ Path string }

// LoadHead implements HeadStore.
func (fh FileHeads) LoadHead(ctx context.Context) (Head, bool, error) {
	if err := ctx.Err(); err != nil {
		return Head{}, false, err
	}
	data, err := os.ReadFile(fh.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return Head{}, false, nil
	}
	if err != nil {
		return Head{}, false, fmt.Errorf("audit head: %w", err)
	}
	var h Head
	if err := json.Unmarshal(data, &h); err != nil {
		return Head{}, false, fmt.Errorf("audit head %s: not a head file: %w", fh.Path, err)
	}
	if h.Lines < 0 {
		return Head{}, false, fmt.Errorf("audit head %s: a negative line count", fh.Path)
	}
	return h, true, nil
}

// SaveHead implements HeadStore.
func (fh FileHeads) SaveHead(ctx context.Context, h Head) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	dir := filepath.Dir(fh.Path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(fh.Path)+"-*") // mode 0600
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	defer os.Remove(tmp.Name()) // nothing left to remove after the rename
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), fh.Path)
	}
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	privatefile.SyncDir(dir)
	return nil
}

// sealMessage is what a seal signs. Its text prefix keeps it from ever
// being mistaken for what an SSH host key signs in a key exchange (a bare
// 32- or 64-byte hash).
func sealMessage(lines int64, hash string, t time.Time) []byte {
	return fmt.Appendf(nil, "mjrecover-audit-head-v1\nlines %d\nhash %s\ntime %s\n", lines, hash, t.UTC().Format(time.RFC3339Nano))
}

// newSeal signs the head lines/hash with signer at now.
func newSeal(signer gossh.Signer, lines int64, hash string, now time.Time) (*Seal, error) {
	now = now.UTC()
	sig, err := signer.Sign(rand.Reader, sealMessage(lines, hash, now))
	if err != nil {
		return nil, fmt.Errorf("sign the audit head: %w", err)
	}
	return &Seal{Lines: lines, Hash: hash, Time: now,
		Key:       string(bytesTrimNewline(gossh.MarshalAuthorizedKey(signer.PublicKey()))),
		Signature: base64.StdEncoding.EncodeToString(gossh.Marshal(sig))}, nil
}

// ErrForgedSeal: a signed head whose signature does not hold.
var ErrForgedSeal = errors.New("the signature of the signed head does not verify: the signed head was forged or changed")

// check verifies the seal's signature with the key it names, and returns
// that key. Whether it is the kiosk's key is the caller's question.
func (s *Seal) check() (gossh.PublicKey, error) {
	key, _, _, _, err := gossh.ParseAuthorizedKey([]byte(s.Key))
	if err != nil {
		return nil, fmt.Errorf("%w (its key cannot be read)", ErrForgedSeal)
	}
	blob, err := base64.StdEncoding.DecodeString(s.Signature)
	if err != nil {
		return nil, ErrForgedSeal
	}
	var sig gossh.Signature
	if err := gossh.Unmarshal(blob, &sig); err != nil {
		return nil, ErrForgedSeal
	}
	if err := key.Verify(sealMessage(s.Lines, s.Hash, s.Time), &sig); err != nil {
		return nil, ErrForgedSeal
	}
	return key, nil
}

func bytesTrimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
