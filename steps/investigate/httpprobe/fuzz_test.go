package httpprobe

import "testing"

// FuzzMatchers: no matcher panics, and none matches without status 200.
func FuzzMatchers(f *testing.F) {
	f.Add([]byte("APP_KEY=x\nDB_PASSWORD=y\n"), 200)
	f.Add([]byte("[core]\n\trepositoryformatversion = 0\n"), 404)
	f.Add([]byte("PK\x03\x04"), 200)
	f.Add([]byte("<h1>PHP Version 8</h1>PHP Extension"), 500)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		for _, p := range Default() {
			if p.Match(Response{Status: status, Body: body}) && status != 200 {
				t.Fatalf("%s matched status %d", p.Path, status)
			}
		}
	})
}
