// Package corpus writes a synthetic but realistic web root for the scan
// benchmark: a WordPress site with plugins, themes, uploads and language
// files, a Laravel app with vendor/, a Node app with node_modules/ and
// minified bundles, and a plain PHP app, with images and fonts, and a few
// planted Mailjet leaks. The same seed gives the same tree.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Spec sizes a corpus. Scale 1 is about 20,000 files and 150 MB.
type Spec struct {
	Scale float64
	Seed  uint64
}

// Stats describe what was written.
type Stats struct {
	Files  int
	Bytes  int64
	Leaks  int // planted key/secret pairs
	Hidden []string
}

// Planted leak values (not real keys).
const (
	LeakKey    = "5c6ff6e9a2b04d1f8e3d7a9b1c2e4f60"
	LeakSecret = "a1d2c3b4e5f60718293a4b5c6d7e8f90"
)

type gen struct {
	root  string
	rnd   *rand.Rand
	stats Stats
	scale float64
}

// Write creates the corpus under root (which must not exist or be empty).
func Write(root string, spec Spec) (Stats, error) {
	if spec.Scale <= 0 {
		spec.Scale = 1
	}
	g := &gen{root: root, rnd: rand.New(rand.NewPCG(spec.Seed, 0x6d6a7265636f7672)), scale: spec.Scale}
	steps := []func() error{g.wordpress, g.laravel, g.node, g.plainPHP, g.leaks}
	for _, step := range steps {
		if err := step(); err != nil {
			return g.stats, err
		}
	}
	return g.stats, nil
}

func (g *gen) n(base int) int { return max(1, int(float64(base)*g.scale)) }

func (g *gen) write(rel string, content []byte) error {
	p := filepath.Join(g.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	g.stats.Files++
	g.stats.Bytes += int64(len(content))
	return nil
}

// binary writes n random bytes behind a format's magic number.
func (g *gen) binary(rel string, magic string, n int) error {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.rnd.Uint32())
	}
	copy(b, magic)
	return g.write(rel, b)
}

// pick names the i-th folder of a group: the same i gives the same name,
// so files share folders as in real trees.
func (g *gen) pick(group string, i int) string {
	return fmt.Sprintf("%s-%s%d", group, words[(i*7+len(group))%len(words)], i)
}

func (g *gen) word() string { return words[g.rnd.IntN(len(words))] }

func (g *gen) ident() string {
	n := 1 + g.rnd.IntN(3)
	parts := make([]string, n)
	for i := range parts {
		w := g.word()
		if i > 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		parts[i] = w
	}
	return strings.Join(parts, "")
}

func (g *gen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.rnd.IntN(16)]
	}
	return string(b)
}

func (g *gen) sentence() string {
	n := 6 + g.rnd.IntN(10)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.word()
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// words is a vocabulary drawn from PHP and JavaScript code and comments.
var words = strings.Fields(`the a to of and in is for that it with as on be this are by from or an
	get set value key name data item list array object string json request response user post page
	query option config settings cache session error message result return function class public
	private protected static self parent new null true false if else foreach while switch case
	default break continue try catch throw exception handler render view template layout header
	footer widget plugin theme admin menu field form input output filter action hook event
	listener service provider container model controller route middleware database table column
	index primary foreign schema migration seed factory test assert expect mock stub fixture
	file path dir url uri host port scheme token auth login logout password email mail send
	notify queue job worker process thread buffer stream reader writer encode decode parse
	format escape sanitize validate check verify hash random number count size length width
	height color style element node parent child sibling document window location history
	promise resolve reject async await callback module export import require load init setup
	ready start stop update delete create insert select where order limit offset group join
	meta term taxonomy category tag attachment image media upload thumbnail gallery comment
	author date time locale language translate domain text html script link button label`)
