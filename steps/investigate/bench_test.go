package investigate

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate/bench/corpus"
)

// BenchmarkScan scans a generated web root at a tenth of the benchmark's
// size (about 2,000 files, 14 MB). It runs only with -bench; the
// comparison with ripgrep and gitleaks is the separate command
// go run ./steps/investigate/bench.
func BenchmarkScan(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "corpus")
	st, err := corpus.Write(dir, corpus.Spec{Scale: 0.1, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
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
