package replace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// EnvNote is a file that reads the key or secret from the environment
// (getenv('X'), env('X'), process.env.X, ${X}, os.environ['X']...): the
// new values must go wherever that environment is set.
type EnvNote struct {
	Path  string   `json:"path"`
	Line  int      `json:"line"`             // the first reference
	Names []string `json:"names"`            // the variables it reads
	SetIn []string `json:"set_in,omitempty"` // files in the plan's updates that set them
}

// Advice says what to do, in plain words in p's language (nil: English).
func (n EnvNote) Advice(p *lang.Printer) string {
	names := strings.Join(n.Names, ", ")
	if len(n.SetIn) > 0 {
		return p.T("It reads %[1]s from the environment, which %[2]s sets; mjrecover updates that file. "+
			"If the same names are also set elsewhere (hosting panel, service settings), update them there too, then restart the app so it reads the new key.",
			names, strings.Join(n.SetIn, ", "))
	}
	return p.T("It reads %s from the environment, which none of the files mjrecover updates sets. "+
		"Update the environment of the service: put the new key and secret where it is set (the hosting panel, a service or docker-compose file), then restart it.", names)
}

// envReference finds a variable read from the environment in the usual
// dialects; the name is in one of the groups.
var envReference = regexp.MustCompile(`(?:\bgetenv|\benv|\bGetenv|\bGetEnvironmentVariable)\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]` +
	`|\$_(?:ENV|SERVER)\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]` +
	`|process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"])` +
	`|os\.environ(?:\.get\(|\[)\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]` +
	`|\bENV(?:\.fetch\(|\[)\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]` +
	`|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=?+][^}\n]*)?\}` +
	`|%env\((?:[a-z_]+:)*([A-Za-z_][A-Za-z0-9_]*)\)%`)

// assignment is the name a config line gives a value to: KEY=…, KEY: …,
// "KEY": …, export KEY=….
var assignment = regexp.MustCompile(`^\s*(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.]*)["']?\s*(?:=|:[^/])`)

// isMailjetName reports whether an environment variable is named for
// Mailjet (MJ_APIKEY_PUBLIC, MAILJET_API_SECRET...).
func isMailjetName(name string) bool {
	upper := strings.ToUpper(name)
	return strings.Contains(upper, "MAILJET") || strings.HasPrefix(upper, "MJ_")
}

// assignedNames returns the names of the settings that the changed lines
// give an old value to (MAILER_DSN for a DSN line).
func assignedNames(content []byte, changes []change) []string {
	var names []string
	for _, c := range changes {
		start := bytes.LastIndexByte(content[:c.start], '\n') + 1
		if m := assignment.FindSubmatch(content[start:c.start]); m != nil {
			names = append(names, string(m[1]))
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// envNames are the variables worth a note: the ones the updated files set
// (in this plan, or earlier in the recovery).
func (p *Plan) envNames(earlier []Applied) []string {
	var names []string
	for _, u := range p.Updates {
		names = append(names, u.Names...)
	}
	for _, a := range earlier {
		names = append(names, a.Names...)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// linkEnvNotes fills each note's SetIn with the updated files that set
// one of its names.
func (p *Plan) linkEnvNotes(earlier []Applied) {
	setters := make([]Applied, 0, len(p.Updates)+len(earlier))
	for _, u := range p.Updates {
		setters = append(setters, Applied{Path: u.Path, Names: u.Names})
	}
	setters = append(setters, earlier...)
	for i := range p.EnvNotes {
		n := &p.EnvNotes[i]
		for _, u := range setters {
			if slices.ContainsFunc(n.Names, func(name string) bool { return slices.Contains(u.Names, name) }) && !slices.Contains(n.SetIn, u.Path) {
				n.SetIn = append(n.SetIn, u.Path)
			}
		}
	}
}

// Limits of the search for environment references.
const (
	maxEnvFiles    = 200_000
	maxEnvFileSize = 1 << 20
)

// skippedDirs hold other people's code (libraries), not the customer's
// settings; a library reading MJ_APIKEY_PUBLIC says nothing about where
// the customer sets it.
var skippedDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true, "vendor": true, "bower_components": true, "__pycache__": true,
}

// findEnvNotes searches the roots for files reading a Mailjet variable, or
// one of names, from the environment. Links are not followed; libraries,
// large and binary files are skipped, and so are the files in skip.
func findEnvNotes(ctx context.Context, roots, names []string, skip map[string]bool) ([]EnvNote, error) {
	wanted := func(n string) bool { return isMailjetName(n) || slices.Contains(names, n) }
	needles := append([][]byte{[]byte("MAILJET"), []byte("MJ_"), []byte("mailjet"), []byte("Mailjet")}, toBytes(names)...)
	var notes []EnvNote
	seen := map[string]bool{}
	files := 0
	check := func(path string) {
		clean := filepath.Clean(path)
		if skip[clean] || seen[clean] {
			return
		}
		seen[clean] = true
		if n, ok := envNoteFor(path, needles, wanted); ok {
			notes = append(notes, n)
		}
	}
	for _, root := range roots {
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("search %s for settings read from the environment: %w", untrusted.Clean(root), err)
		}
		if !info.IsDir() {
			check(root)
			continue
		}
		err = fs.WalkDir(os.DirFS(root), ".", func(rel string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // an unreadable folder: the scan reported it already
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if d.IsDir() {
				if rel != "." && skippedDirs[d.Name()] {
					return fs.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			if files++; files > maxEnvFiles {
				return errTooManyFiles
			}
			check(filepath.Join(root, filepath.FromSlash(rel)))
			return nil
		})
		if errors.Is(err, errTooManyFiles) {
			break // enough: notes are advice, not a guarantee
		}
		if err != nil {
			return nil, err
		}
	}
	return notes, nil
}

var errTooManyFiles = errors.New("too many files")

// envNoteFor reads one file and returns its note, if it reads a wanted
// variable from the environment.
func envNoteFor(path string, needles [][]byte, wanted func(string) bool) (EnvNote, bool) {
	f, err := os.OpenFile(path, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		return EnvNote{}, false
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, maxEnvFileSize+1))
	if err != nil || len(content) > maxEnvFileSize || bytes.IndexByte(content[:min(len(content), 8<<10)], 0) >= 0 {
		return EnvNote{}, false
	}
	return noteFrom(path, content, needles, wanted)
}

// noteFrom finds the wanted environment references in one file's content.
func noteFrom(path string, content []byte, needles [][]byte, wanted func(string) bool) (EnvNote, bool) {
	if !slices.ContainsFunc(needles, func(n []byte) bool { return bytes.Contains(content, n) }) {
		return EnvNote{}, false
	}
	note := EnvNote{Path: untrusted.Clean(path)}
	for _, m := range envReference.FindAllSubmatchIndex(content, -1) {
		name := ""
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] >= 0 {
				name = string(content[m[g]:m[g+1]])
				break
			}
		}
		if !wanted(name) {
			continue
		}
		if note.Line == 0 {
			note.Line = 1 + bytes.Count(content[:m[0]], []byte("\n"))
		}
		if !slices.Contains(note.Names, name) {
			note.Names = append(note.Names, name)
		}
	}
	return note, len(note.Names) > 0
}

func toBytes(ss []string) [][]byte {
	out := make([][]byte, 0, len(ss))
	for _, s := range ss {
		if s != "" {
			out = append(out, []byte(s))
		}
	}
	return out
}
