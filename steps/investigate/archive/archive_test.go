package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
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
