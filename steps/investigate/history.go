package investigate

import (
	"context"
	"path"
	"path/filepath"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate/history"
)

// commitIDLen is how much of a commit id a history path shows
// (wp-config.php@1a2b3c4d5e6f): as unambiguous as git's own short ids.
const commitIDLen = 12

// readHistory reads the git history of every repository the walk found
// (each .git folder, the root's own included). A key seen in several
// versions of a file is reported once, at the earliest commit.
func (s *scanner) readHistory(ctx context.Context, c *collector, report func(string)) ([]Finding, error) {
	seen := map[string]bool{}
	var out []Finding
	var buf []byte
	for i, t := range s.trees {
		if t.isFile() {
			continue
		}
		for _, rel := range c.gitDirs[i] {
			gitDir := filepath.Join(t.dir, filepath.FromSlash(rel))
			if seen[gitDir] {
				continue
			}
			seen[gitDir] = true
			work := t.display(path.Dir(rel))
			report(t.display(rel))
			type leak struct{ file, key, secret string }
			reported := map[leak]bool{}
			_, err := history.Read(ctx, gitDir, history.Options{
				MaxFileSize: s.maxSize,
				Want:        func(p string) bool { return !isMediaName(path.Base(p)) },
			}, func(f history.File) error {
				rc, err := f.Open()
				if err != nil {
					return nil
				}
				content, reason := readText(rc, f.Size, s.maxSize, &buf)
				rc.Close()
				if reason != "" {
					return nil
				}
				c.files++
				c.bytes += int64(len(content))
				display := filepath.Join(work, filepath.FromSlash(f.Path)) + "@" + f.Commit[:commitIDLen]
				for _, fd := range credentialFindings(display, content) {
					k := leak{f.Path, fd.APIKey, fd.Secret.Reveal()}
					if !reported[k] {
						reported[k] = true
						out = append(out, fd)
					}
				}
				if cap(buf) > keepBufferCap {
					buf = nil
				}
				return ctx.Err()
			})
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				c.skips = append(c.skips, Skip{Path: untrusted.Clean(t.display(rel)), Reason: "history could not be read: " + untrusted.Clean(err.Error())})
			}
		}
	}
	return out, nil
}
