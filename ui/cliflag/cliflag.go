// Package cliflag parses a command's flags the same way for every
// mjrecover command: help that was asked for goes to standard output, a
// mistake is one line on standard error that points to --help (the whole
// usage would scroll the mistake out of sight).
package cliflag

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// Parse parses args with fs. It returns flag.ErrHelp when help was asked
// for (and printed), or the mistake (and said it).
func Parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	usage := fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
	case err != nil:
		// The text names what was typed: it may hold anything.
		fmt.Fprintf(stderr, "%s: %s (see %s --help)\n", fs.Name(), untrusted.Clean(err.Error()), fs.Name())
	}
	return err
}
