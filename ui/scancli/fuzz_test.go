package scancli

import "testing"

// FuzzParseSize: a size is positive and within the cap, or an error.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"10M", "512K", "1G", "1048576", "-1", "9999999999999G", "MiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseSize(s)
		if err == nil && (n <= 0 || n > 1<<40) {
			t.Fatalf("parseSize(%q) = %d", s, n)
		}
	})
}
