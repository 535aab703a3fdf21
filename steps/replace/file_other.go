//go:build !unix

package replace

import (
	"io/fs"
	"os"

	"github.com/mjrecover/mjrecover/steps/lang"
)

const openNoFollow = 0

func owner(fs.FileInfo) (uid, gid int, links uint64, ok bool) { return 0, 0, 1, false }

func checkWritable(_ string, info fs.FileInfo) error {
	if info.Mode().Perm()&0o200 == 0 {
		return ErrReadOnly
	}
	return nil
}

func keepOwner(*lang.Printer, *os.File, fs.FileInfo) string { return "" }
