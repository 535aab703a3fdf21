// Package lang says mjrecover's messages in the customer's language.
//
// The English text is the message: code writes p.T("%d file changed", n)
// and the catalogs in assets/locales give the other languages (and the
// English plural forms). The printing is golang.org/x/text/message's, so
// plural rules and number formats are the language's own. A message with
// no translation falls back to English; a test in this package fails on
// any message the code uses that a shipped language does not translate.
//
// A nil *Printer speaks English, so code that has no printer at hand
// (tests, tools) still reads well.
package lang

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/mjrecover/mjrecover/assets"
)

// The languages mjrecover speaks; the first is the default.
var (
	English = language.English
	French  = language.French
)

// Supported lists the languages with a catalog, English first.
func Supported() []language.Tag { return []language.Tag{English, French} }

// Printer formats messages in one language. It is safe for concurrent use.
type Printer struct {
	tag     language.Tag
	mp      *message.Printer
	known   map[string]bool // the keys this language's catalogs translate
	missing func(key string)
}

// New returns the printer for tag (English when tag has no catalog).
func New(tag language.Tag) *Printer {
	tag = match(tag)
	return loaded[tag]().printer(tag)
}

func (c compiled) printer(tag language.Tag) *Printer {
	return &Printer{tag: tag, mp: message.NewPrinter(tag, message.Catalog(c.builder)), known: c.keys[tag]}
}

// Strict returns a copy of p that calls missing with every message it has
// no translation for, and with every message given arguments that do not
// fit its verbs (tests use it; English misses no translation).
func (p *Printer) Strict(missing func(key string)) *Printer {
	q := *p.orEnglish()
	q.missing = missing
	return &q
}

// Tag is the printer's language.
func (p *Printer) Tag() language.Tag { return p.orEnglish().tag }

// T formats the message key (a constant English fmt format) with args, in
// the printer's language. With a plural entry in the catalog, the form is
// chosen by the first argument (or the one the entry names).
func (p *Printer) T(key string, args ...any) string {
	p = p.orEnglish()
	p.check(key)
	out := p.mp.Sprintf(key, args...)
	if p.missing != nil && (strings.Contains(out, "%!") || argsWanted(key) != len(args)) {
		p.missing("arguments that do not fit the message: " + key)
	}
	return out
}

// Text translates a message that is not a constant in the code (a rule's
// description kept in a table, marked with Mark). Text that has no entry
// is returned as it is, never used as a format: it may come from a file.
func (p *Printer) Text(key string) string {
	p = p.orEnglish()
	if p.tag == English || !p.known[key] {
		p.check(key)
		return key
	}
	return p.mp.Sprintf(key)
}

// Mark returns key unchanged. It marks a constant kept in a table as a
// message, so the catalog test knows it; translate it later with Text.
func Mark(key string) string { return key }

func (p *Printer) check(key string) {
	if p.missing != nil && p.tag != English && !p.known[key] {
		p.missing(key)
	}
}

var english = sync.OnceValue(func() *Printer { return New(English) })

func (p *Printer) orEnglish() *Printer {
	if p == nil {
		return english()
	}
	return p
}

func match(tag language.Tag) language.Tag {
	_, i, conf := language.NewMatcher(Supported()).Match(tag)
	if conf == language.No {
		return English
	}
	return Supported()[i]
}

// Entry is one catalog entry: a translation, or plural forms.
type Entry struct {
	Text  string
	Forms map[string]string // CLDR form ("one", "other", "=0"...) to text
	Arg   int               // the argument that picks the form (1: the first)
}

func (e *Entry) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &e.Text); err == nil {
		return nil
	}
	var forms map[string]any
	if err := json.Unmarshal(b, &forms); err != nil {
		return fmt.Errorf("an entry is a string or an object of plural forms: %w", err)
	}
	e.Forms, e.Arg = map[string]string{}, 1
	for form, v := range forms {
		switch v := v.(type) {
		case string:
			e.Forms[form] = v
		case float64:
			if form != "arg" {
				return fmt.Errorf("plural form %q is not text", form)
			}
			e.Arg = int(v)
		default:
			return fmt.Errorf("plural form %q is not text", form)
		}
	}
	if e.Forms["other"] == "" {
		return fmt.Errorf("plural forms without \"other\"")
	}
	return nil
}

// Texts are an entry's texts (one, or every plural form).
func (e Entry) Texts() []string {
	if e.Forms == nil {
		return []string{e.Text}
	}
	var out []string
	for _, k := range sortedKeys(e.Forms) {
		out = append(out, e.Forms[k])
	}
	return out
}

func (e Entry) message() catalog.Message {
	if e.Forms == nil {
		return catalog.String(e.Text)
	}
	var cases []any
	for _, form := range sortedKeys(e.Forms) {
		if form != "other" {
			cases = append(cases, form, e.Forms[form])
		}
	}
	cases = append(cases, "other", e.Forms["other"])
	return plural.Selectf(e.Arg, "%d", cases...)
}

// Catalog is every entry of one language, by English message.
type Catalog map[string]Entry

// Load reads the catalogs of fsys (one folder per language, any number of
// JSON files in each); a key given twice for one language is an error.
func Load(fsys fs.FS) (map[language.Tag]Catalog, error) {
	return loadLanguages(fsys)
}

// loadLanguages reads the catalogs of the languages given (none: all).
func loadLanguages(fsys fs.FS, only ...language.Tag) (map[language.Tag]Catalog, error) {
	out := map[language.Tag]Catalog{}
	dirs, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read the message catalogs: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		tag, err := language.Parse(d.Name())
		if err != nil {
			return nil, fmt.Errorf("message catalogs: folder %q is not a language: %w", d.Name(), err)
		}
		if len(only) > 0 && !slices.Contains(only, match(tag)) {
			continue
		}
		cat := Catalog{}
		files, err := fs.Glob(fsys, path.Join(d.Name(), "*.json"))
		if err != nil {
			return nil, fmt.Errorf("message catalogs: %w", err)
		}
		for _, name := range files {
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			var entries map[string]Entry
			if err := json.Unmarshal(b, &entries); err != nil {
				return nil, fmt.Errorf("message catalog %s: %w", name, err)
			}
			for k, e := range entries {
				if _, dup := cat[k]; dup {
					return nil, fmt.Errorf("message catalog %s: %q is translated twice for %s", name, k, d.Name())
				}
				cat[k] = e
			}
		}
		out[tag] = cat
	}
	return out, nil
}

type compiled struct {
	builder *catalog.Builder
	keys    map[language.Tag]map[string]bool
}

// loaded is, for each supported language, its shipped catalog with
// English's (its plural forms, the fallback), compiled on first use: a
// run in English (a scan) never reads the others. They are part of the
// binary: one that does not load is a build mistake the tests catch, so
// here it only leaves the messages in English.
var loaded = func() map[language.Tag]func() compiled {
	m := map[language.Tag]func() compiled{}
	for _, tag := range Supported() {
		m[tag] = sync.OnceValue(func() compiled {
			cats, _ := loadLanguages(assets.Locales(), English, tag)
			return compile(cats)
		})
	}
	return m
}()

func compile(cats map[language.Tag]Catalog) compiled {
	c := compiled{builder: catalog.NewBuilder(catalog.Fallback(English)), keys: map[language.Tag]map[string]bool{}}
	for tag, cat := range cats {
		keys := map[string]bool{}
		for k, e := range cat {
			if err := c.builder.Set(tag, k, e.message()); err == nil {
				keys[k] = true
			}
		}
		c.keys[match(tag)] = keys
	}
	return c
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// argsWanted is how many arguments the format key takes.
func argsWanted(key string) int {
	n, explicit := 0, 0
	for _, v := range Verbs(key) {
		if i := strings.IndexByte(v, '['); i >= 0 {
			if j := strings.IndexByte(v, ']'); j > i {
				if k, err := strconv.Atoi(v[i+1 : j]); err == nil {
					explicit = max(explicit, k)
					continue
				}
			}
		}
		n++
	}
	return max(n, explicit)
}

// Verbs lists the formatting verbs of a message ("%s", "%d", "%[2]s"...)
// in order, without "%%": a translation must use the same ones.
func Verbs(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte("+-# 0123456789.[]*", s[j]) >= 0 {
			j++
		}
		if j >= len(s) {
			break
		}
		if s[j] != '%' {
			out = append(out, s[i:j+1])
		}
		i = j
	}
	return out
}

// Misses collects what a strict printer could not say well (see Strict);
// it is safe for concurrent use.
type Misses struct {
	mu   sync.Mutex
	keys map[string]bool
}

// Strictly is a printer for tag that collects its misses.
func Strictly(tag language.Tag) (*Printer, *Misses) {
	m := &Misses{keys: map[string]bool{}}
	return New(tag).Strict(m.add), m
}

func (m *Misses) add(key string) {
	m.mu.Lock()
	m.keys[key] = true
	m.mu.Unlock()
}

// Report hands each miss, in order, to errorf (a test's Errorf).
func (m *Misses) Report(errorf func(format string, args ...any)) {
	m.mu.Lock()
	keys := make([]string, 0, len(m.keys))
	for k := range m.keys {
		keys = append(keys, k)
	}
	m.mu.Unlock()
	sort.Strings(keys)
	for _, k := range keys {
		errorf("not translated: %q", k)
	}
}
