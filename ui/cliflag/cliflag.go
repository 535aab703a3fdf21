// Package cliflag parses a command's flags the same way for every
// mjrecover command: help that was asked for goes to standard output, a
// mistake is one line on standard error that points to --help (the whole
// usage would scroll the mistake out of sight). The customer's commands
// say both in the customer's language: Language picks it before the
// flags are defined, so that their descriptions are in it too.
package cliflag

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Parse parses args with fs, in English (the developers' and support's
// commands). It returns flag.ErrHelp when help was asked for (and
// printed), or the mistake (and said it).
func Parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	return ParseIn(nil, fs, args, stdout, stderr)
}

// ParseIn is Parse with the mistakes said in p's language.
func ParseIn(p *lang.Printer, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
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
		Mistake(p, stderr, fs.Name(), explain(p, err))
	}
	return err
}

// Mistake says on stderr, in one line, what is wrong with the command
// line of the command name, and points to its --help.
func Mistake(p *lang.Printer, stderr io.Writer, name, what string) {
	fmt.Fprintln(stderr, p.T("%[1]s: %[2]s (see %[1]s --help)", name, what))
}

// Language is the language of the command name: its --lang value (read
// from args before the flags are parsed, so that the help and the
// mistakes are said in it), else the environment's (LC_ALL, LC_MESSAGES,
// LANG), else English. A --lang value that is no language is said on
// stderr, in the environment's language, and returned as the error.
func Language(name string, args []string, getenv func(string) string, stderr io.Writer) (*lang.Printer, error) {
	value := langValue(args)
	tag, err := lang.Pick(value, getenv)
	if err != nil {
		envTag, _ := lang.Pick("", getenv)
		p := lang.New(envTag)
		Mistake(p, stderr, name, p.T("--lang %q is not a language: use en (English) or fr (French)", untrusted.Clean(value)))
		return p, err
	}
	return lang.New(tag), nil
}

// LangFlag defines --lang on fs (its value was read by Language).
func LangFlag(fs *flag.FlagSet, p *lang.Printer) {
	fs.String("lang", "", p.T("`language`: en (English) or fr (French); by default the system's (LANG)"))
}

// langValue is the value of --lang (or -lang) in args, "" when absent.
func langValue(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// PrintDefaults prints fs's flags as flag.PrintDefaults does, with their
// defaults said in p's language.
func PrintDefaults(p *lang.Printer, fs *flag.FlagSet) {
	type entry struct{ head, usage string }
	var entries []entry
	column := 0
	fs.VisitAll(func(f *flag.Flag) {
		head := "  -" + f.Name
		name, usage := flag.UnquoteUsage(f)
		if name != "" {
			head += " " + name
		}
		if !isZero(f) {
			if g, ok := f.Value.(flag.Getter); ok {
				if _, isString := g.Get().(string); isString {
					usage += " " + p.T("(default %q)", f.DefValue)
				} else {
					usage += " " + p.T("(default %s)", f.DefValue)
				}
			} else {
				usage += " " + p.T("(default %s)", f.DefValue)
			}
		}
		entries = append(entries, entry{head, usage})
		if n := utf8.RuneCountInString(head); n <= maxHeadColumn {
			column = max(column, n)
		}
	})
	// A flag whose words fit beside it takes one line, its words in a
	// column; the others take two, as the flag package prints them.
	for _, e := range entries {
		pad := column + 2 - utf8.RuneCountInString(e.head)
		if pad >= 2 && !strings.Contains(e.usage, "\n") && column+2+utf8.RuneCountInString(e.usage) <= helpWidth {
			fmt.Fprintln(fs.Output(), e.head+strings.Repeat(" ", pad)+e.usage)
			continue
		}
		fmt.Fprintln(fs.Output(), e.head+"\n        "+strings.ReplaceAll(e.usage, "\n", "\n        "))
	}
}

// helpWidth is the terminal width help is written for; maxHeadColumn
// the widest flag that still gets its words beside it.
const (
	helpWidth     = 80
	maxHeadColumn = 24
)

// isZero: f's default is its type's zero value (not worth saying).
func isZero(f *flag.Flag) (zero bool) {
	defer func() {
		if recover() != nil {
			zero = false
		}
	}()
	typ := reflect.TypeOf(f.Value)
	var z reflect.Value
	if typ.Kind() == reflect.Pointer {
		z = reflect.New(typ.Elem())
	} else {
		z = reflect.Zero(typ)
	}
	return f.DefValue == z.Interface().(flag.Value).String()
}

// The flag package's mistakes, to say them in words.
var (
	undefinedFlag = "flag provided but not defined: "
	needsValue    = "flag needs an argument: "
	badSyntax     = "bad flag syntax: "
	badValue      = regexp.MustCompile(`^invalid (boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?(-\S+): (.*)$`)
)

// explain says a mistake of the flag package in p's language. The text
// names what was typed: it may hold anything.
func explain(p *lang.Printer, err error) string {
	msg := untrusted.Clean(err.Error())
	switch {
	case strings.HasPrefix(msg, undefinedFlag):
		return p.T("unknown flag %s", strings.TrimPrefix(msg, undefinedFlag))
	case strings.HasPrefix(msg, needsValue):
		return p.T("the flag %s needs a value", strings.TrimPrefix(msg, needsValue))
	case strings.HasPrefix(msg, badSyntax):
		return p.T("%s is not a flag", strings.TrimPrefix(msg, badSyntax))
	}
	if m := badValue.FindStringSubmatch(msg); m != nil {
		reason := m[4]
		switch {
		case m[1] != "":
			reason = p.T("use true or false")
		case reason == "parse error":
			reason = p.T("not a number")
		case reason == "value out of range":
			reason = p.T("out of range")
		}
		return p.T("invalid value %[2]s for %[1]s: %[3]s", m[3], m[2], reason)
	}
	return msg
}
