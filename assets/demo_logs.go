package assets

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// The demo's story in the web server's logs, in days before the sandbox's
// sending spike (api/sandbox starts it demoSpikeFirstDayAgo = 6 days
// before the demo starts): the .env.bak copied onto the server, searched
// for by a scanner, downloaded by a script two days before the spam run,
// and again after.
const (
	demoSpikeAgo     = 6 // days before today (UTC) the sandbox's spam run began
	demoPublishedAgo = 12
	demoDownloadAgo  = 2 // days before the spike
)

// demoLogLine is one request of the demo's story.
type demoLogLine struct {
	at     time.Time
	client string
	req    string
	status int
	bytes  int
	agent  string
}

// writeDemoLogs writes the hosting account's access logs (logs/ beside
// public_html/, as cPanel keeps them), rotated as logrotate leaves them:
// access.log.2.gz (oldest), access.log.1, access.log. Times are relative
// to now, so the story and the sandbox's sending spike agree whatever
// the day. It also dates public_html/.env.bak to when it was copied.
func writeDemoLogs(webRoot string, now time.Time) error {
	spike := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -demoSpikeAgo)
	day := func(d int, hh, mm, ss int) time.Time {
		return spike.AddDate(0, 0, d).Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second)
	}
	const (
		browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0"
		phone   = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 Safari/604.1"
		bot     = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
		zgrab   = "Mozilla/5.0 zgrab/0.x"
		script  = "python-requests/2.31.0"
	)
	dl := -demoDownloadAgo
	oldest := []demoLogLine{
		{day(dl-3, 9, 2, 11), "198.51.100.20", "GET / HTTP/1.1", 200, 18211, browser},
		{day(dl-3, 9, 2, 12), "198.51.100.20", "GET /wp-content/themes/lafleur/style.css HTTP/1.1", 200, 4210, browser},
		{day(dl-2, 14, 40, 3), "66.249.66.1", "GET /robots.txt HTTP/1.1", 200, 67, bot},
		{day(dl-1, 1, 12, 40), "192.0.2.66", "GET /.env HTTP/1.1", 404, 153, zgrab},
		{day(dl-1, 1, 12, 41), "192.0.2.66", "GET /wp-config.php~ HTTP/1.1", 404, 153, zgrab},
		{day(dl-1, 1, 12, 41), "192.0.2.66", "GET /.aws/credentials HTTP/1.1", 404, 153, zgrab},
		{day(dl-1, 11, 30, 9), "203.0.113.54", "GET /commande HTTP/1.1", 200, 9120, phone},
		{day(dl, 3, 13, 58), "203.0.113.7", "GET /.env HTTP/1.1", 404, 153, script},
		{day(dl, 3, 14, 7), "203.0.113.7", "GET /.env.bak HTTP/1.1", 200, 412, script},
		{day(dl, 8, 45, 0), "198.51.100.20", "GET / HTTP/1.1", 200, 18211, browser},
	}
	previous := []demoLogLine{
		{day(-1, 10, 5, 33), "203.0.113.54", "GET /boutique HTTP/1.1", 200, 14077, phone},
		// A request line with a terminal escape sequence, as scanners send:
		// read, cleaned, never shown raw.
		{day(-1, 22, 17, 2), "203.0.113.99", "GET /.env.bak%1B%5B2J HTTP/1.1", 404, 153, "\\x1b[31mevilred"},
		{day(0, 7, 0, 0), "203.0.113.7", "GET //.env.bak HTTP/1.1", 200, 412, "curl/8.5.0"},
		{day(1, 12, 0, 0), "66.249.66.1", "GET /sitemap.xml HTTP/1.1", 200, 1290, bot},
	}
	current := []demoLogLine{
		{day(demoSpikeAgo-2, 9, 1, 0), "198.51.100.20", "GET / HTTP/1.1", 200, 18211, browser},
		{day(demoSpikeAgo-2, 19, 44, 10), "203.0.113.7", "GET /.env.bak?x=1 HTTP/1.1", 200, 412, script},
	}
	dir := filepath.Join(webRoot, "logs")
	if err := os.Mkdir(dir, 0o700); err != nil {
		return fmt.Errorf("demo logs: %w", err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(demoLog(oldest)); err != nil {
		return fmt.Errorf("demo logs: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("demo logs: %w", err)
	}
	for name, data := range map[string][]byte{
		"access.log.2.gz": gz.Bytes(), "access.log.1": demoLog(previous), "access.log": demoLog(current),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return fmt.Errorf("demo logs: %w", err)
		}
	}
	// The site was set up long before; the .env.bak copied in later.
	setUp := day(-demoPublishedAgo-60, 10, 0, 0)
	err := filepath.WalkDir(webRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Dir(p) == dir {
			return err
		}
		return os.Chtimes(p, setUp, setUp)
	})
	if err != nil {
		return fmt.Errorf("demo file times: %w", err)
	}
	published := day(-demoPublishedAgo, 15, 40, 0)
	if err := os.Chtimes(filepath.Join(webRoot, "public_html", ".env.bak"), published, published); err != nil {
		return fmt.Errorf("demo file times: %w", err)
	}
	return nil
}

// demoLog writes lines in nginx's combined format with $request_time
// appended, in the server's zone (Paris, +01:00 in winter: fixed here so
// the demo does not depend on the machine's zone data).
func demoLog(lines []demoLogLine) []byte {
	paris := time.FixedZone("+0100", 3600)
	var b bytes.Buffer
	for _, l := range lines {
		fmt.Fprintf(&b, "%s - - [%s] \"%s\" %d %d \"-\" \"%s\" 0.004\n",
			l.client, l.at.In(paris).Format("02/Jan/2006:15:04:05 -0700"), l.req, l.status, l.bytes, l.agent)
	}
	return b.Bytes()
}
