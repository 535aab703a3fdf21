package accesslog

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// rotation describes where a file sits in its rotation set: base is the
// current file's path, age grows with the file's age (0 = current).
type rotation struct {
	base string
	age  int64
}

// rotationOf reads logrotate's and newsyslog's names: access.log,
// access.log.1, access.log.2.gz, access.log-20261120(.gz),
// access.log.20261120.
func rotationOf(path string) rotation {
	dir, name := filepath.Split(path)
	name = strings.TrimSuffix(name, ".gz")
	cut := strings.LastIndexAny(name, ".-_")
	if cut > 0 && cut < len(name)-1 {
		suffix := name[cut+1:]
		if n, err := strconv.ParseInt(suffix, 10, 64); err == nil && n >= 0 {
			base := dir + name[:cut]
			if len(suffix) >= 8 {
				// A date (or date and hour): later is newer.
				return rotation{base: base, age: 1<<62 - n}
			}
			if name[cut] == '.' {
				return rotation{base: base, age: n}
			}
		}
	}
	return rotation{base: dir + name, age: 0}
}

// SortRotated orders log files for reading: grouped by rotation set, and
// within a set the oldest first (access.log.2.gz, access.log.1,
// access.log), so a timeline is read in the order it was written.
func SortRotated(paths []string) []string {
	out := append([]string(nil), paths...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := rotationOf(out[i]), rotationOf(out[j])
		if a.base != b.base {
			return a.base < b.base
		}
		if a.age != b.age {
			return a.age > b.age
		}
		return out[i] < out[j]
	})
	return out
}
