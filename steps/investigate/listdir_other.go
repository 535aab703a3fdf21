//go:build !unix

package investigate

import (
	"io/fs"
	"os"
)

// listRoot lists the folder r is open on (elsewhere than Unix the listing
// brings the types without a stat per entry).
func listRoot(r *os.Root) ([]fs.DirEntry, error) {
	d, err := r.Open(".")
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.ReadDir(-1)
}
