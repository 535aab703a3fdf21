package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestKindOf(t *testing.T) {
	for name, want := range map[string]Kind{"a.zip": Zip, "A.TAR": Tar, "b.tar.gz": TarGz, "c.tgz": TarGz, "d.sql.gz": Gzip, "e.txt": None, "zip": None} {
		if got := KindOf(name); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestWalkEntryLimit(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := range 30 {
		w, _ := zw.Create(fmt.Sprintf("f%d.txt", i))
		w.Write([]byte("x"))
	}
	zw.Close()
	r := &recorder{}
	lim := DefaultLimits
	lim.MaxEntries = 10
	err := Walk(context.Background(), "a.zip", Zip, bytes.NewReader(b.Bytes()), int64(b.Len()), lim, r)
	if !errors.Is(err, ErrLimit) || r.files != 10 {
		t.Errorf("err %v after %d files, want the entry limit after 10", err, r.files)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r = &recorder{}
	if err := Walk(ctx, "a.zip", Zip, bytes.NewReader(b.Bytes()), int64(b.Len()), DefaultLimits, r); !errors.Is(err, context.Canceled) || r.files != 0 {
		t.Errorf("cancelled: err %v, %d files", err, r.files)
	}
}

func TestWalkTotalLimit(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := range 4 {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("f%d.txt", i), Method: zip.Store})
		w.Write(bytes.Repeat([]byte{'a' + byte(i)}, 1000))
	}
	zw.Close()
	lim := DefaultLimits
	lim.MaxTotal = 2500
	r := &recorder{}
	err := Walk(context.Background(), "a.zip", Zip, bytes.NewReader(b.Bytes()), int64(b.Len()), lim, r)
	if !errors.Is(err, ErrLimit) || r.bytes > 3000 {
		t.Errorf("err %v after %d bytes, want the total limit", err, r.bytes)
	}
}

// One Reader walks archive after archive, as a worker does: its reused
// gzip state and buffer carry nothing over, even after a broken archive.
func TestReaderReusedAcrossArchives(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	var tgz bytes.Buffer
	zw := gzip.NewWriter(&tgz)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "site/.env", Size: 4, Mode: 0o644, Typeflag: tar.TypeReg})
	tw.Write([]byte("A=1\n"))
	tw.Close()
	zw.Close()
	first := gz("first dump\n")
	var r Reader
	for _, c := range []struct {
		name string
		kind Kind
		data []byte
		want string // "name=content" of each file, or "error"
	}{
		{"a.sql.gz", Gzip, first, "a.sql=first dump\n"},
		{"broken.sql.gz", Gzip, first[:len(first)/2], "error"},
		{"site.tar.gz", TarGz, tgz.Bytes(), "site/.env=A=1\n"},
		{"b.zip", Zip, seedZip(), "wp-config.php=<?php define('DB_NAME','x');"},
		{"c.json.gz", Gzip, gz(`{"k":"v"}`), `c.json={"k":"v"}`},
	} {
		v := &contents{}
		err := r.Walk(context.Background(), c.name, c.kind, bytes.NewReader(c.data), int64(len(c.data)), DefaultLimits, v)
		got := strings.Join(v.files, ";")
		if err != nil {
			got = "error"
		}
		if got != c.want {
			t.Errorf("%s: got %q (err %v), want %q", c.name, got, err, c.want)
		}
	}
}

// contents records each file as name=content.
type contents struct{ files []string }

func (c *contents) File(name string, size int64, r io.Reader) error {
	b, err := io.ReadAll(r)
	c.files = append(c.files, name+"="+string(b))
	return err
}

func (c *contents) Skip(name, reason string) { c.files = append(c.files, name+" skipped: "+reason) }
