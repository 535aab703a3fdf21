package accesslog

import (
	"strings"
	"testing"
	"time"
)

func TestParseLineFormats(t *testing.T) {
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name string
		line string
		want Entry
	}{
		{"common", `203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET /.env.bak HTTP/1.1" 200 1043`,
			Entry{Client: "203.0.113.7", Time: utc("2026-11-20T04:14:07Z"), Method: "GET", Target: "/.env.bak", Proto: "HTTP/1.1", Status: 200, Bytes: 1043}},
		{"common with user", `198.51.100.2 - alice [20/Nov/2026:04:14:07 +0000] "POST /login HTTP/1.0" 302 -`,
			Entry{Client: "198.51.100.2", Time: utc("2026-11-20T04:14:07Z"), Method: "POST", Target: "/login", Proto: "HTTP/1.0", Status: 302, Bytes: -1}},
		{"combined", `203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET /.env.bak HTTP/1.1" 200 1043 "-" "python-requests/2.31.0"`,
			Entry{Client: "203.0.113.7", Time: utc("2026-11-20T04:14:07Z"), Method: "GET", Target: "/.env.bak", Proto: "HTTP/1.1", Status: 200, Bytes: 1043, Referer: "-", UserAgent: "python-requests/2.31.0", Combined: true}},
		{"nginx request_time unquoted", `203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET /a?b=1 HTTP/2.0" 404 153 "https://example.com/" "Mozilla/5.0 (X11)" 0.004 0.002 .`,
			Entry{Client: "203.0.113.7", Time: utc("2026-11-20T04:14:07Z"), Method: "GET", Target: "/a?b=1", Proto: "HTTP/2.0", Status: 404, Bytes: 153, Referer: "https://example.com/", UserAgent: "Mozilla/5.0 (X11)", Combined: true}},
		{"nginx extra quoted", `203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0" "0.001" "-"`,
			Entry{Client: "203.0.113.7", Time: utc("2026-11-20T04:14:07Z"), Method: "GET", Target: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 612, Referer: "-", UserAgent: "curl/8.5.0", Combined: true}},
		{"vhost_combined", `www.example.com:443 203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET /.git/config HTTP/1.1" 200 92 "-" "Go-http-client/1.1"`,
			Entry{Client: "203.0.113.7", Time: utc("2026-11-20T04:14:07Z"), Method: "GET", Target: "/.git/config", Proto: "HTTP/1.1", Status: 200, Bytes: 92, Referer: "-", UserAgent: "Go-http-client/1.1", Combined: true}},
		{"ipv6", `2001:db8::1 - - [20/Nov/2026:04:14:07 +0000] "GET /.env HTTP/1.1" 404 0 "-" "zgrab/0.x"`,
			Entry{Client: "2001:db8::1", Time: utc("2026-11-20T04:14:07Z"), Method: "GET", Target: "/.env", Proto: "HTTP/1.1", Status: 404, Bytes: 0, Referer: "-", UserAgent: "zgrab/0.x", Combined: true}},
		{"ipv6 mapped", `::ffff:203.0.113.9 - - [20/Nov/2026:04:14:07 +0000] "GET / HTTP/1.1" 200 5`,
			Entry{Client: "::ffff:203.0.113.9", Time: utc("2026-11-20T04:14:07Z"), Method: "GET", Target: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 5}},
		{"escaped quotes", `203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET /x\"y HTTP/1.1" 400 0 "-" "say \"hi\" \\o/"`,
			Entry{Client: "203.0.113.7", Time: utc("2026-11-20T04:14:07Z"), Method: "GET", Target: `/x"y`, Proto: "HTTP/1.1", Status: 400, Bytes: 0, Referer: "-", UserAgent: `say "hi" \o/`, Combined: true}},
		{"escaped backslash before the quote", `203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET /a HTTP/1.1" 200 1 "C:\\" "x"`,
			Entry{Client: "203.0.113.7", Time: utc("2026-11-20T04:14:07Z"), Method: "GET", Target: "/a", Proto: "HTTP/1.1", Status: 200, Bytes: 1, Referer: `C:\`, UserAgent: "x", Combined: true}},
		{"not a request", `203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "\x16\x03\x01\x02\x00\x01\x00" 400 226 "-" "-"`,
			Entry{Client: "203.0.113.7", Time: utc("2026-11-20T04:14:07Z"), Status: 400, Bytes: 226, Referer: "-", UserAgent: "-", Combined: true}},
		{"dash request", `203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "-" 408 -`,
			Entry{Client: "203.0.113.7", Time: utc("2026-11-20T04:14:07Z"), Status: 408, Bytes: -1}},
		{"crlf", "203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] \"GET / HTTP/1.1\" 200 5\r\n",
			Entry{Client: "203.0.113.7", Time: utc("2026-11-20T04:14:07Z"), Method: "GET", Target: "/", Proto: "HTTP/1.1", Status: 200, Bytes: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLine(tt.line)
			if err != nil {
				t.Fatalf("ParseLine: %v", err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseLineTimeZones(t *testing.T) {
	tests := []struct{ stamp, want string }{
		{"20/Nov/2026:05:14:07 +0100", "2026-11-20T04:14:07Z"},
		{"19/Nov/2026:23:14:07 -0500", "2026-11-20T04:14:07Z"},
		{"20/Nov/2026:09:44:07 +0530", "2026-11-20T04:14:07Z"},
		{"31/Dec/2026:23:30:00 -0100", "2027-01-01T00:30:00Z"},
	}
	for _, tt := range tests {
		e, err := ParseLine(`192.0.2.1 - - [` + tt.stamp + `] "GET / HTTP/1.1" 200 1`)
		if err != nil {
			t.Fatalf("%s: %v", tt.stamp, err)
		}
		if e.Time.Location() != time.UTC {
			t.Errorf("%s: location %v, want UTC", tt.stamp, e.Time.Location())
		}
		if got := e.Time.Format(time.RFC3339); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.stamp, got, tt.want)
		}
	}
}

func TestParseLineRejects(t *testing.T) {
	for _, line := range []string{
		"",
		"hello world",
		`[Wed Nov 20 04:14:07.123 2026] [core:error] [pid 1] AH00126: Invalid URI`,
		`2026/11/20 04:14:07 [error] 12#12: *1 open() "/x" failed`,
		`203.0.113.7 - - [20/Nov/2026:04:14:07] "GET / HTTP/1.1" 200 1`,
		`203.0.113.7 - - [20/Foo/2026:04:14:07 +0000] "GET / HTTP/1.1" 200 1`,
		`203.0.113.7 - - [20/Nov/2026:25:14:07 +0000] "GET / HTTP/1.1" 200 1`,
		`203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET / HTTP/1.1 200 1`,
		`203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET / HTTP/1.1" abc 1`,
		`203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET / HTTP/1.1" 200 x`,
		`{"time":"2026-11-20T04:14:07Z","remote_addr":"203.0.113.7"}`,
		`bad<client> - - [20/Nov/2026:04:14:07 +0000] "GET / HTTP/1.1" 200 1`,
	} {
		if e, err := ParseLine(line); err == nil {
			t.Errorf("ParseLine(%q) = %+v, want an error", line, e)
		}
	}
}

func TestParseLineCleansEscapes(t *testing.T) {
	// Apache writes control bytes as \xHH; nginx may pass raw bytes with a
	// custom escape=none format. Either way nothing kept may drive a
	// terminal.
	for _, line := range []string{
		`203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET /.env\x1b[2J HTTP/1.1" 404 0 "-" "evil\x1b]0;pwned\x07\x1b[31mred\x9b"`,
		"203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] \"GET /.env\x1b[2J HTTP/1.1\" 404 0 \"-\" \"evil\x1b]0;pwned\x07\x1b[31mred\x00\u202e\"",
	} {
		e, err := ParseLine(line)
		if err != nil {
			t.Fatalf("ParseLine(%q): %v", line, err)
		}
		for _, s := range []string{e.Client, e.Target, e.UserAgent, e.Referer} {
			for _, r := range s {
				if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x202e {
					t.Errorf("kept control character %U in %q", r, s)
				}
			}
		}
		if strings.Contains(e.UserAgent, "pwned") || !strings.HasPrefix(e.UserAgent, "evil") || !strings.Contains(e.UserAgent, "red") {
			t.Errorf("user agent %q: want the OSC dropped and the text kept", e.UserAgent)
		}
		if e.Target != "/.env" {
			t.Errorf("target %q, want /.env", e.Target)
		}
	}
}

func TestNormalizePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/.env.bak", "/.env.bak"},
		{"/.env.bak?x=1", "/.env.bak"},
		{"/.env.bak#frag", "/.env.bak"},
		{"/%2eenv%2Ebak", "/.env.bak"},
		{"//.env.bak", "/.env.bak"},
		{"/a//b///.git/config", "/a/b/.git/config"},
		{"/foo/../.env", "/.env"},
		{"/./.env", "/.env"},
		{"/.git/", "/.git"},
		{"/wp-config.php%7E", "/wp-config.php~"},
		{"/bad%zzescape", "/bad%zzescape"},
		{"/a%3Fb", "/a?b"}, // an encoded "?" is part of the name
		{"http://example.com/.env?x", "/.env"},
		{"https://example.com", "/"},
		{`/\x2eenv`, "/.env"},
		{"*", "/*"},
		{"/index.php", "/index.php"},
		{"?x=1", ""},
	}
	for _, tt := range tests {
		if got := NormalizePath(tt.in); got != tt.want {
			t.Errorf("NormalizePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSortRotated(t *testing.T) {
	in := []string{
		"/l/access.log", "/l/access.log.1", "/l/access.log.10.gz", "/l/access.log.2.gz",
		"/l/other_vhosts_access.log", "/l/other_vhosts_access.log.1",
		"/h/access_log-20261120.gz", "/h/access_log", "/h/access_log-20261113",
	}
	want := []string{
		"/h/access_log-20261113", "/h/access_log-20261120.gz", "/h/access_log",
		"/l/access.log.10.gz", "/l/access.log.2.gz", "/l/access.log.1", "/l/access.log",
		"/l/other_vhosts_access.log.1", "/l/other_vhosts_access.log",
	}
	got := SortRotated(in)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("SortRotated:\ngot  %v\nwant %v", got, want)
	}
}
