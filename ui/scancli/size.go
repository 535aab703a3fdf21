package scancli

import (
	"errors"
	"strconv"
	"strings"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// sizeFlag is a byte count given as 1048576, 512K, 10M or 1G (powers of
// 1024; a trailing B or iB is allowed: 10MB, 10MiB). p says its mistake.
type sizeFlag struct {
	n int64
	p *lang.Printer
}

// String is the size as it can be typed: 10M rather than 10485760.
func (s *sizeFlag) String() string {
	if s == nil {
		return "0"
	}
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if s.n >= u.mult && s.n%u.mult == 0 {
			return strconv.FormatInt(s.n/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatInt(s.n, 10)
}

func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return errors.New(s.p.T("want a size such as 10M, 512K or 1048576"))
	}
	s.n = n
	return nil
}

func parseSize(v string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(v))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	if t != "" {
		switch t[len(t)-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		}
		if mult > 1 {
			t = t[:len(t)-1]
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, errors.New("want a size such as 10M, 512K or 1048576")
	}
	return n * mult, nil
}
