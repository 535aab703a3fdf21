package lang

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Pick chooses the language: the --lang value when given, else the first
// of LC_ALL, LC_MESSAGES and LANG that is set (as POSIX writes them:
// "fr_FR.UTF-8", "C"), else English. A language without a catalog is
// English. Only a --lang value that is not a language is an error; the
// environment is never a reason to refuse to start.
func Pick(flag string, getenv func(string) string) (language.Tag, error) {
	if flag = strings.TrimSpace(flag); flag != "" {
		tag, ok := parse(flag)
		if !ok {
			return English, fmt.Errorf("--lang %q is not a language (en: English, fr: French)", flag)
		}
		return match(tag), nil
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		// The first set one decides, as in POSIX, even when it is "C".
		if tag, ok := parse(v); ok {
			return match(tag), nil
		}
		return English, nil
	}
	return English, nil
}

// parse reads "fr", "fr-FR", "fr_FR.UTF-8", "fr_FR@euro"; "C" and
// "POSIX" are no language.
func parse(v string) (language.Tag, bool) {
	if i := strings.IndexAny(v, ".@"); i >= 0 {
		v = v[:i]
	}
	if v == "" || v == "C" || v == "POSIX" {
		return English, false
	}
	tag, err := language.Parse(strings.ReplaceAll(v, "_", "-"))
	if err != nil {
		return English, false
	}
	return tag, true
}
