package replace

import (
	"errors"
	"io/fs"
	"os"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Reasons a file is refused. A *FileError wraps one of them; test with
// errors.Is.
var (
	ErrChanged      = errors.New("changed since the scan")
	ErrReadOnly     = errors.New("read-only")
	ErrNotPlainFile = errors.New("not a plain file")
	ErrHardLinked   = errors.New("has other names (hard links)")
	ErrTooLarge     = errors.New("too large")
)

// FileError is why one file was not changed, in plain words. When it is
// returned, the file is as it was.
type FileError struct {
	Path    string
	Problem string       // a sentence for the user: what is wrong and what to do
	Say     lang.Message // Problem as a message, to say it in any language
	Err     error
}

func (e *FileError) Error() string { return untrusted.Clean(e.Path) + ": " + e.Problem }

func (e *FileError) Unwrap() error { return e.Err }

// fileError explains err for path in plain words, in p's language (nil:
// English).
func fileError(p *lang.Printer, path string, err error) *FileError {
	m := fileProblem(err)
	return &FileError{Path: path, Problem: p.Say(m), Say: m, Err: err}
}

func fileProblem(err error) lang.Message {
	switch {
	case errors.Is(err, ErrChanged):
		return lang.Msg("It was changed since the scan, so mjrecover did not touch it. Scan again, then replace the keys.")
	case errors.Is(err, ErrReadOnly):
		return lang.Msg("It is read-only, so mjrecover did not change it. Make it writable (chmod u+w) and try again, or put the new key in by hand.")
	case errors.Is(err, ErrNotPlainFile):
		return lang.Msg("It is not a plain file (it may be a link to another file), so mjrecover did not change it. Update the file it points to by hand.")
	case errors.Is(err, ErrHardLinked):
		return lang.Msg("The same file also exists under another name (a hard link); replacing it would leave the old key there. Put the new key in by hand.")
	case errors.Is(err, ErrTooLarge):
		return lang.Msg("It is too large to be a settings file, so mjrecover did not change it. Put the new key in by hand.")
	case errors.Is(err, fs.ErrNotExist):
		return lang.Msg("It is no longer there. Scan again.")
	case errors.Is(err, fs.ErrPermission):
		return lang.Msg("mjrecover is not allowed to change it or to write in its folder. Nothing was changed. " +
			"Run mjrecover as the user who owns the website's files, or put the new key in by hand.")
	}
	return lang.Msg("mjrecover could not change it (%s). Nothing was changed.", osReason(err))
}

// osReason is the last part of an OS error ("no space left on device"),
// without the path it repeats.
func osReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return untrusted.Text(err.Error(), untrusted.MaxLen)
}

// saidError is an error in the customer's language that still is
// (errors.Is) the error it says.
type saidError struct {
	msg string
	err error
}

func (e *saidError) Error() string { return e.msg }
func (e *saidError) Unwrap() error { return e.err }
