package investigate

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate/bench/corpus"
)

// BenchmarkDetect is the content detector alone (pre-search and
// detection, no walking or reading) over the text files a scan reads in
// the benchmark corpus at a tenth of its size (node_modules is skipped,
// as the scan skips it), so a change to the detector is measured apart
// from the walker.
func BenchmarkDetect(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "corpus")
	if _, err := corpus.Write(dir, corpus.Spec{Scale: 0.1, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	type file struct {
		path    string
		content []byte
	}
	var files []file
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "node_modules" {
				return filepath.SkipDir // as the scan does
			}
			return nil
		}
		data, err := os.ReadFile(p)
		if err == nil && bytes.IndexByte(data[:min(len(data), binarySniffLen)], 0) < 0 {
			files = append(files, file{p, data})
			total += int64(len(data))
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(total)
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for _, f := range files {
			n += len(credentialFindings(f.path, f.content))
		}
		if n == 0 {
			b.Fatal("planted leak not found")
		}
	}
}
