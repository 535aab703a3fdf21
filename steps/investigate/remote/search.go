package remote

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// SearchPublished runs GitHub's code search for each key (public API
// keys: they may be sent), reads each file it lists, except those in the
// repositories of read (owner/name, any case: their whole history was
// read already), and scans it with investigate (scan's limits and
// verifier apply). Findings name the file's page on GitHub. A listed
// file where the scan finds nothing still gets a finding: the key is
// published there. On an error (a RateLimitError among them) the result
// holds what was found before it.
func SearchPublished(ctx context.Context, gh GitHub, keys []string, read map[string]bool, opt Options, scan investigate.Options) (investigate.Result, error) {
	var results []investigate.Result
	for _, key := range keys {
		found, err := gh.SearchCode(ctx, key)
		if err != nil {
			return Merge(results...), fmt.Errorf("searching GitHub for %s: %w", untrusted.Clean(key), err)
		}
		var hits []CodeHit
		for _, h := range found.Hits {
			if !read[strings.ToLower(h.Repository)] {
				hits = append(hits, h)
			}
		}
		res, err := readHits(ctx, gh, key, hits, opt, scan)
		results = append(results, res)
		if err != nil {
			return Merge(results...), err
		}
		if found.Total > len(found.Hits) {
			results = append(results, investigate.Result{Stats: investigate.Stats{Skipped: []investigate.Skip{{
				Path: "GitHub code search for " + untrusted.Clean(key),
				Reason: "GitHub counts " + strconv.Itoa(found.Total) + " files holding this key; the first " +
					strconv.Itoa(len(found.Hits)) + " were read",
			}}}})
		}
	}
	return Merge(results...), nil
}

// readHits downloads the files into a private folder, scans them and
// names the findings by their pages.
func readHits(ctx context.Context, gh GitHub, key string, hits []CodeHit, opt Options, scan investigate.Options) (investigate.Result, error) {
	if len(hits) == 0 {
		return investigate.Result{}, nil
	}
	dir, err := os.MkdirTemp(opt.TempDir, "mjrecover-remote-*")
	if err != nil {
		return investigate.Result{}, fmt.Errorf("making a private folder for GitHub's files: %w", err)
	}
	defer os.RemoveAll(dir)
	maxSize := scan.MaxFileSize
	if maxSize <= 0 {
		maxSize = investigate.DefaultMaxFileSize
	}
	page := map[string]string{} // downloaded file -> its page
	var out investigate.Result
	var stop error
	for i, h := range hits {
		data, err := gh.Blob(ctx, h, maxSize)
		if err != nil {
			var rl *RateLimitError
			if errors.As(err, &rl) || ctx.Err() != nil {
				stop = err
				break
			}
			out.Stats.Skipped = append(out.Stats.Skipped, investigate.Skip{Path: untrusted.Clean(h.WebURL), Reason: untrusted.Clean(err.Error())})
			continue
		}
		file := filepath.Join(dir, strconv.Itoa(i), fileName(h.Path))
		if err := os.Mkdir(filepath.Dir(file), 0o700); err != nil {
			return out, err
		}
		if err := os.WriteFile(file, data, 0o600); err != nil {
			return out, err
		}
		page[file] = h.WebURL
		scan.Roots = append(scan.Roots[:len(scan.Roots):len(scan.Roots)], file)
	}
	found := map[string]bool{} // pages with a finding about key
	if len(page) > 0 {
		scan.URLs, scan.History, scan.Progress, scan.AccessLogs = nil, false, nil, nil
		res, err := investigate.Scan(ctx, scan)
		if err != nil {
			return out, err
		}
		for _, f := range res.Findings {
			p, ok := page[f.Path]
			if !ok {
				continue
			}
			f.Path = untrusted.Clean(p)
			found[p] = found[p] || strings.EqualFold(f.APIKey, key)
			out.Findings = append(out.Findings, f)
		}
		for _, s := range res.Stats.Skipped {
			if p, ok := page[s.Path]; ok {
				s.Path = untrusted.Clean(p)
			}
			out.Stats.Skipped = append(out.Stats.Skipped, s)
		}
		out.Stats.Files, out.Stats.Bytes, out.Stats.Duration = res.Stats.Files, res.Stats.Bytes, res.Stats.Duration
	}
	for _, h := range hits {
		if !found[h.WebURL] {
			out.Findings = append(out.Findings, publishedKey(h.WebURL, key))
		}
	}
	return out, stop
}

// publishedKey is the finding for a page that holds key, as far as
// GitHub's search says.
func publishedKey(page, key string) investigate.Finding {
	info, _ := investigate.DescribeRule(investigate.RuleMailjetKey)
	return investigate.Finding{
		Rule:     investigate.RuleMailjetKey,
		Category: info.Category,
		Severity: info.Severity,
		Path:     untrusted.Clean(page),
		Kind:     info.Kind,
		APIKey:   untrusted.Clean(key),
		Message:  info.Message,
	}
}

// fileName is the downloaded file's name: the original's, so that the
// scan reads it as what it is (.env, wp-config.php), when it is usable.
func fileName(p string) string {
	name := path.Base(p)
	if name == "." || name == "/" || name == ".." || strings.ContainsAny(name, `\`+"\x00") || strings.HasPrefix(name, "mjrecover-") {
		return "file"
	}
	return name
}
