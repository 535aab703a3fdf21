package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"testing"
)

type recorder struct {
	files, skips int
	bytes        int64
}

func (r *recorder) File(name string, size int64, rd io.Reader) error {
	r.files++
	n, _ := io.Copy(io.Discard, rd)
	r.bytes += n
	return nil
}

func (r *recorder) Skip(name, reason string) { r.skips++ }

func seedZip() []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("wp-config.php")
	w.Write([]byte("<?php define('DB_NAME','x');"))
	zw.Close()
	return b.Bytes()
}

func seedTarGz() []byte {
	var t bytes.Buffer
	tw := tar.NewWriter(&t)
	tw.WriteHeader(&tar.Header{Name: "a/.env", Size: 5, Mode: 0o644, Typeflag: tar.TypeReg})
	tw.Write([]byte("A=b\n\n"))
	tw.Close()
	var g bytes.Buffer
	zw := gzip.NewWriter(&g)
	zw.Write(t.Bytes())
	zw.Close()
	return g.Bytes()
}

// FuzzWalk feeds arbitrary bytes as each kind of archive: no panic, and
// the limits hold.
func FuzzWalk(f *testing.F) {
	f.Add(seedZip(), uint8(Zip))
	f.Add(seedTarGz(), uint8(TarGz))
	f.Add(seedTarGz(), uint8(Gzip))
	f.Add([]byte("PK\x03\x04garbage"), uint8(Zip))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		k := Kind(kind%4 + 1)
		lim := Limits{MaxFileSize: 1 << 16, MaxEntries: 50, MaxTotal: 1 << 20, MaxRatio: 100, MaxDepth: 2}
		r := &recorder{}
		Walk(context.Background(), "fuzz", k, bytes.NewReader(data), int64(len(data)), lim, r)
		if r.files > lim.MaxEntries {
			t.Fatalf("%d files past the %d-entry limit", r.files, lim.MaxEntries)
		}
		if r.bytes > lim.MaxTotal+(64<<10) {
			t.Fatalf("%d bytes unpacked past the %d limit", r.bytes, lim.MaxTotal)
		}
	})
}
