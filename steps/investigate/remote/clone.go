package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// DefaultMaxSize bounds what one repository's download may take: far
// more than a web site's code with its history, far less than a disk.
const DefaultMaxSize int64 = 500 << 20

// ErrTooLarge: the download passed Options.MaxSize and was stopped.
var ErrTooLarge = errors.New("the repository is larger than the size limit")

// Options bound a clone.
type Options struct {
	MaxSize int64  // bytes the download may take; 0 means DefaultMaxSize
	TempDir string // where the private copy is made; "" means os.TempDir()
}

func (o Options) maxSize() int64 {
	if o.MaxSize <= 0 {
		return DefaultMaxSize
	}
	return o.MaxSize
}

// Copy is a private clone of a repository: only its git folder (every
// ref of the remote, as a mirror has them), no files checked out.
type Copy struct {
	Address string // the address as shown: without its password
	Root    string // the private folder (0700) holding .git: scan it with investigate's History
	GitDir  string // Root/.git, readable by package history
}

// Remove deletes the copy.
func (c *Copy) Remove() error { return os.RemoveAll(c.Root) }

// Clone copies the repository at addr (https://, http://, ssh:// or
// user@host:path) into a new private folder, with go-git: no hook,
// filter, textconv or submodule of the repository runs or is fetched,
// and none of its configuration is used (a clone's config is written by
// go-git, not sent by the server). The download stops with ErrTooLarge
// past opt.MaxSize. On any error, cancellation included, the folder is
// removed before Clone returns; otherwise the caller removes it with
// Copy.Remove.
func Clone(ctx context.Context, addr string, opt Options) (*Copy, error) {
	a, err := parseAddress(addr)
	if err != nil {
		return nil, err
	}
	root, err := os.MkdirTemp(opt.TempDir, "mjrecover-remote-*") // 0700
	if err != nil {
		return nil, fmt.Errorf("making a private folder for %s: %w", a.display, err)
	}
	c := &Copy{Address: a.display, Root: root, GitDir: filepath.Join(root, ".git")}
	if err := a.cloneInto(ctx, c.GitDir, opt.maxSize()); err != nil {
		c.Remove()
		return nil, err
	}
	return c, nil
}

func (a address) cloneInto(ctx context.Context, gitDir string, limit int64) error {
	st := &cappedStorage{
		Storage: filesystem.NewStorage(osfs.New(gitDir, osfs.WithBoundOS()), cache.NewObjectLRUDefault()),
		left:    limit,
	}
	defer st.Close()
	_, err := git.CloneContext(ctx, st, nil, &git.CloneOptions{
		URL:               a.raw,
		Mirror:            true, // every ref: branches, tags, and what forges keep (pull requests)
		NoCheckout:        true,
		Tags:              git.AllTags,
		RecurseSubmodules: git.NoRecurseSubmodules,
	})
	switch {
	case err == nil, errors.Is(err, transport.ErrEmptyRemoteRepository):
		return nil // an empty repository holds nothing to read
	case st.exceeded:
		return fmt.Errorf("%s: %w (%d bytes)", a.display, ErrTooLarge, limit)
	case ctx.Err() != nil:
		return fmt.Errorf("cloning %s: %w", a.display, ctx.Err())
	}
	return fmt.Errorf("cloning %s: %w", a.display, a.scrub(err))
}

// cappedStorage counts the pack the server sends. go-git streams a
// fetched pack into the storage's PackfileWriter; past the limit the
// writer fails, which ends the download.
type cappedStorage struct {
	*filesystem.Storage
	left     int64
	exceeded bool
}

func (s *cappedStorage) PackfileWriter() (io.WriteCloser, error) {
	w, err := s.Storage.PackfileWriter()
	if err != nil {
		return nil, err
	}
	return &cappedWriter{WriteCloser: w, s: s}, nil
}

type cappedWriter struct {
	io.WriteCloser
	s *cappedStorage
}

func (w *cappedWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > w.s.left {
		w.s.exceeded = true
		return 0, ErrTooLarge
	}
	w.s.left -= int64(len(p))
	return w.WriteCloser.Write(p)
}
