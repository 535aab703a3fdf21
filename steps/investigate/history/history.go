// Package history reads every version of every file in a git repository's
// history: all commits reachable from any ref (branches, tags, remotes,
// stash), from loose and packed objects. It reads objects with go-git and
// never runs git, so nothing the repository's config or attributes name
// (textconv and filter drivers, hooks, fsmonitor) can run.
//
// Each blob is handed over once, with the earliest commit (by commit time)
// whose tree holds it: the versions of a file are exactly what its
// commits added, without the cost of diffing.
package history

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Options bound the reading.
type Options struct {
	MaxFileSize int64                  // larger blobs are counted, not read
	Want        func(path string) bool // nil: every file
	MaxCommits  int                    // 0: DefaultMaxCommits
}

// DefaultMaxCommits bounds the commits read from one repository.
const DefaultMaxCommits = 200_000

// maxTreeDepth bounds folder nesting, against hostile trees.
const maxTreeDepth = 128

// File is one version of a file.
type File struct {
	Path   string // slash path in the repository
	Commit string // full hex id of the earliest commit holding this version
	Size   int64
	Open   func() (io.ReadCloser, error)
}

// Stats says what was read.
type Stats struct {
	Commits  int
	Files    int // versions handed over
	TooLarge int
}

// Read calls fn for every distinct file version in the history of the
// repository whose git folder is gitDir. Reading stays inside gitDir:
// symbolic links and alternates leading out of it are not followed.
func Read(ctx context.Context, gitDir string, opt Options, fn func(File) error) (Stats, error) {
	fsys := osfs.New(gitDir, osfs.WithBoundOS())
	st := filesystem.NewStorageWithOptions(fsys, cache.NewObjectLRU(8*cache.MiByte), filesystem.Options{AlternatesFS: fsys})
	defer st.Close()
	r := &reader{ctx: ctx, st: st, opt: opt, fn: fn, seenTrees: map[plumbing.Hash]bool{}, seenBlobs: map[plumbing.Hash]bool{}}
	if r.opt.MaxCommits <= 0 {
		r.opt.MaxCommits = DefaultMaxCommits
	}
	commits, err := r.commits()
	if err != nil {
		return r.stats, err
	}
	for _, c := range commits {
		tree, err := object.GetTree(st, c.TreeHash)
		if err != nil {
			continue // a missing tree (shallow or damaged repository): go on
		}
		r.commit = c.Hash.String()
		if err := r.tree(tree, "", 0); err != nil {
			return r.stats, err
		}
	}
	return r.stats, ctx.Err()
}

type reader struct {
	ctx       context.Context
	st        *filesystem.Storage
	opt       Options
	fn        func(File) error
	seenTrees map[plumbing.Hash]bool
	seenBlobs map[plumbing.Hash]bool
	commit    string
	stats     Stats
}

// commits lists every commit reachable from a ref, oldest first.
func (r *reader) commits() ([]*object.Commit, error) {
	refs, err := r.st.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("reading refs: %w", err)
	}
	var stack []plumbing.Hash
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() == plumbing.SymbolicReference {
			resolved, err := storer.ResolveReference(r.st, ref.Name())
			if err != nil {
				return nil // HEAD of an empty repository, or a dangling ref
			}
			ref = resolved
		}
		stack = append(stack, ref.Hash())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading refs: %w", err)
	}
	seen := map[plumbing.Hash]bool{}
	var commits []*object.Commit
	for len(stack) > 0 {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] || h.IsZero() {
			continue
		}
		seen[h] = true
		obj, err := r.st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			continue // not in this repository (shallow clone, pruned)
		}
		switch obj.Type() {
		case plumbing.TagObject:
			if t, err := object.DecodeTag(r.st, obj); err == nil {
				stack = append(stack, t.Target)
			}
		case plumbing.CommitObject:
			c, err := object.DecodeCommit(r.st, obj)
			if err != nil {
				continue
			}
			if len(commits) == r.opt.MaxCommits {
				return nil, fmt.Errorf("more than %d commits", r.opt.MaxCommits)
			}
			commits = append(commits, c)
			stack = append(stack, c.ParentHashes...)
		}
	}
	r.stats.Commits = len(commits)
	slices.SortFunc(commits, func(a, b *object.Commit) int {
		return cmp.Or(a.Committer.When.Compare(b.Committer.When), slices.Compare(a.Hash[:], b.Hash[:]))
	})
	return commits, nil
}

// tree hands over the blobs of a tree not seen in an earlier commit.
func (r *reader) tree(t *object.Tree, prefix string, depth int) error {
	if r.seenTrees[t.Hash] || depth > maxTreeDepth {
		return nil
	}
	r.seenTrees[t.Hash] = true
	for _, e := range t.Entries {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		p := prefix + e.Name
		switch e.Mode {
		case filemode.Dir:
			sub, err := object.GetTree(r.st, e.Hash)
			if err == nil {
				if err := r.tree(sub, p+"/", depth+1); err != nil {
					return err
				}
			}
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			if err := r.blob(e.Hash, p); err != nil {
				return err
			}
		}
		// Symbolic links and submodules hold no content of their own.
	}
	return nil
}

func (r *reader) blob(h plumbing.Hash, p string) error {
	if r.seenBlobs[h] {
		return nil
	}
	r.seenBlobs[h] = true
	if r.opt.Want != nil && !r.opt.Want(p) {
		return nil
	}
	obj, err := r.st.EncodedObject(plumbing.BlobObject, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil
	}
	if err != nil {
		return nil // a damaged object: the rest is still worth reading
	}
	if r.opt.MaxFileSize > 0 && obj.Size() > r.opt.MaxFileSize {
		r.stats.TooLarge++
		return nil
	}
	r.stats.Files++
	return r.fn(File{Path: p, Commit: r.commit, Size: obj.Size(), Open: obj.Reader})
}
