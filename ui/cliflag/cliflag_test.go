package cliflag

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

func newSet() *flag.FlagSet {
	fs := flag.NewFlagSet("mjrecover thing", flag.ContinueOnError)
	fs.String("name", "", "a `name`")
	fs.Usage = func() { fs.Output().Write([]byte("Usage: mjrecover thing [--name N]\n")) }
	return fs
}

func TestHelpGoesToStandardOutput(t *testing.T) {
	var out, errOut bytes.Buffer
	err := Parse(newSet(), []string{"--help"}, &out, &errOut)
	if !errors.Is(err, flag.ErrHelp) || out.String() != "Usage: mjrecover thing [--name N]\n" || errOut.Len() != 0 {
		t.Fatalf("err %v, stdout %q, stderr %q", err, out.String(), errOut.String())
	}
}

func TestAMistakeIsOneCleanLine(t *testing.T) {
	var out, errOut bytes.Buffer
	err := Parse(newSet(), []string{"--na\x1b[2Jme"}, &out, &errOut)
	want := "mjrecover thing: flag provided but not defined: -na" // the escape is dropped
	if err == nil || out.Len() != 0 || !strings.HasPrefix(errOut.String(), want) ||
		!strings.HasSuffix(errOut.String(), "(see mjrecover thing --help)\n") || strings.Count(errOut.String(), "\n") != 1 ||
		strings.Contains(errOut.String(), "\x1b") {
		t.Fatalf("err %v, stdout %q, stderr %q", err, out.String(), errOut.String())
	}
}

func TestFlagsAreSet(t *testing.T) {
	fs := newSet()
	if err := Parse(fs, []string{"--name", "x", "rest"}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil || fs.Lookup("name").Value.String() != "x" || fs.Arg(0) != "rest" {
		t.Fatalf("err %v, name %q, args %q", err, fs.Lookup("name").Value, fs.Args())
	}
}
