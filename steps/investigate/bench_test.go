package investigate

import (
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate/bench/corpus"
)

// benchScale sizes the benchmarks' corpora: a tenth of the benchmark
// command's by default; -args -bench-scale 1 profiles the full trees
// (go test -run XXX -bench Scan -cpuprofile cpu.out ./steps/investigate -args -bench-scale 1).
var benchScale = flag.Float64("bench-scale", 0.1, "size of the benchmarks' corpora (1: the benchmark command's)")

// BenchmarkScan scans a generated web root (at -bench-scale 0.1 about
// 2,000 files, 14 MB). It runs only with -bench; the comparison with
// ripgrep and gitleaks is the separate command go run ./steps/investigate/bench.
func BenchmarkScan(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "corpus")
	st, err := corpus.Write(dir, corpus.Spec{Scale: *benchScale, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchmarkScan(b, dir, st)
}

// BenchmarkScanArchives scans the archive-heavy tree (at -bench-scale 0.1
// about 330 .gz files among 560).
func BenchmarkScanArchives(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "corpus")
	st, err := corpus.WriteArchives(dir, corpus.Spec{Scale: *benchScale, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchmarkScan(b, dir, st)
}

func benchmarkScan(b *testing.B, dir string, st corpus.Stats) {
	b.SetBytes(st.Bytes)
	b.ResetTimer()
	for b.Loop() {
		res, err := Scan(context.Background(), Options{Roots: []string{dir}})
		if err != nil {
			b.Fatal(err)
		}
		if len(LeakedKeys(res.Findings)) != 1 {
			b.Fatalf("planted key not found: %v", LeakedKeys(res.Findings))
		}
	}
	b.ReportMetric(float64(st.Files), "files/op")
}

// The benchmark command times complete scans: every pair its corpora
// plant is found, in the archive-heavy tree with the compressed
// documentation, manual pages and logs passed over (and opened with
// AllArchives, still finding the same pairs).
func TestBenchmarkCorporaPairsFound(t *testing.T) {
	for _, c := range []struct {
		name    string
		write   func(string, corpus.Spec) (corpus.Stats, error)
		planted []string
	}{
		{"web root", corpus.Write, corpus.Leaks()},
		{"archive-heavy", corpus.WriteArchives, corpus.ArchiveLeaks()},
	} {
		dir := filepath.Join(t.TempDir(), "corpus")
		st, err := c.write(dir, corpus.Spec{Scale: 0.03, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(slices.Sorted(slices.Values(st.Hidden)), c.planted) {
			t.Errorf("%s: planted %v, the command expects %v", c.name, st.Hidden, c.planted)
		}
		res := scan(t, Options{Roots: []string{dir}})
		all := scan(t, Options{Roots: []string{dir}, AllArchives: true})
		for _, r := range []Result{res, all} {
			found := map[string]bool{}
			for _, f := range r.Findings {
				if f.APIKey == corpus.LeakKey {
					rel, _ := filepath.Rel(dir, f.Path)
					found[filepath.ToSlash(rel)] = true
				}
			}
			for _, p := range c.planted {
				if !found[p] {
					t.Errorf("%s: pair planted in %s not found (found %v)", c.name, p, found)
				}
			}
		}
		gz := 0
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".gz") {
				gz++
			}
			return err
		})
		if c.name == "archive-heavy" && all.Stats.Files-res.Stats.Files < gz*9/10 {
			t.Errorf("%s: %d files read, %d with AllArchives, for %d .gz files: the documentation and logs were opened", c.name, res.Stats.Files, all.Stats.Files, gz)
		}
	}
}

// BenchmarkFindKeywords is the pre-search alone on typical code.
func BenchmarkFindKeywords(b *testing.B) {
	dir := b.TempDir()
	if _, err := corpus.Write(dir, corpus.Spec{Scale: 0.01, Seed: 2}); err != nil {
		b.Fatal(err)
	}
	content := readAllText(b, filepath.Join(dir, "laravel", "vendor"))
	b.SetBytes(int64(len(content)))
	b.ResetTimer()
	for b.Loop() {
		findKeywords(content)
	}
}

// readAllText concatenates the files under dir.
func readAllText(b *testing.B, dir string) []byte {
	b.Helper()
	var out []byte
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		out = append(out, data...)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}
