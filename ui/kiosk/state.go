package kiosk

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mjrecover/mjrecover/steps/kioskstore"
)

// EnvStore names the kiosk's store when --store does not.
const EnvStore = "MJRECOVER_STORE"

// stateFlags say where a kiosk command finds the kiosk's state: every
// command (serve, issue-code, verify-audit, sign-audit) has them, so they
// meet in the same store.
type stateFlags struct {
	dir   string // the kiosk's state folder
	store string // the store's URL
}

func addStateFlags(fs *flag.FlagSet) *stateFlags {
	sf := &stateFlags{}
	fs.StringVar(&sf.dir, "state-dir", "", "the kiosk's `folder`: its host key, its store unless --store says, and the files of "+
		"kiosks before the store, imported once (default: $XDG_STATE_HOME/mjrecover/kiosk, or ~/.local/state/mjrecover/kiosk)")
	fs.StringVar(&sf.store, "store", "", "the kiosk's state store `URL`: sqlite:PATH, or postgres://... that several kiosk hosts "+
		"share (default: $"+EnvStore+", else sqlite:state.db in --state-dir)")
	return sf
}

// resolve fills in the defaults, once the flags are parsed.
func (sf *stateFlags) resolve() error {
	if sf.dir == "" {
		dir, err := kioskstore.DefaultDir()
		if err != nil {
			return fmt.Errorf("%w (or give --state-dir)", err)
		}
		sf.dir = dir
	}
	if sf.store == "" {
		sf.store = os.Getenv(EnvStore)
	}
	if sf.store == "" {
		sf.store = kioskstore.URLIn(sf.dir)
	}
	return nil
}

// hostKey is the host key's default file.
func (sf *stateFlags) hostKey() string { return filepath.Join(sf.dir, "host_ed25519") }

// open opens the store (its schema brought up to date). A SQLite store
// first imports the files the kiosk kept before it, if it finds them and
// has not imported them before, and says so on log: before anything is
// appended to its audit chain, which must go on from the file's.
func (sf *stateFlags) open(ctx context.Context, log io.Writer) (*kioskstore.Store, error) {
	store, err := kioskstore.Open(ctx, sf.store)
	if err != nil {
		return nil, err
	}
	if store.Backend() == kioskstore.SQLite {
		if err := importFiles(ctx, store, sf.dir, log); err != nil {
			store.Close()
			return nil, err
		}
	}
	return store, nil
}

// importFiles imports the files of a kiosk before the store, from dir.
func importFiles(ctx context.Context, store *kioskstore.Store, dir string, log io.Writer) error {
	got, err := store.Import(ctx, kioskstore.FilesIn(dir))
	if err != nil {
		return fmt.Errorf("import the files of the kiosk before the store, from %s: %w", dir, err)
	}
	if got.Codes+got.AuditLines+got.Recoveries == 0 && len(got.Notes) == 0 {
		return nil // nothing there, or imported before
	}
	fmt.Fprintf(log, "Imported the files of the kiosk before the store, from %s into %s: %d access code%s, %d audit line%s, "+
		"%d recovery journal%s. The kiosk no longer reads or writes those files (they stay where they are).\n",
		dir, store, got.Codes, plural(got.Codes), got.AuditLines, plural(got.AuditLines), got.Recoveries, plural(got.Recoveries))
	for _, note := range got.Notes {
		fmt.Fprintf(log, "Import: %s.\n", note)
	}
	return nil
}

// sameStore is the flag that gives another kiosk command this store.
func (sf *stateFlags) sameStore(store *kioskstore.Store) string {
	if store.Backend() == kioskstore.SQLite {
		return "--store " + store.String()
	}
	// Its URL may hold a password: not printed.
	return "--store URL (this kiosk's, or " + EnvStore + ")"
}
