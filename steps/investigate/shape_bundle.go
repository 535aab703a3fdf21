package investigate

import (
	"bytes"
	"path"
	"strings"
)

// Minified bundles: a JavaScript bundle may hold node-mailjet's options,
// {apiKey:"KEY",apiSecret:"SECRET"}, or its call, x.apiConnect("KEY",
// "SECRET"), in a chunk that never says "mailjet" (the SDK lives in
// another chunk, and minifiers rename everything but property names).
// Those names are what the pre-search looks for in minified JavaScript,
// and in such a file only the complete pair in that syntax counts: a lone
// apiKey of 32 hex is as likely some other service's.

// maxOptionGap bounds the distance between apiKey's and apiSecret's
// values in one object literal ({apiKey:"…",apiSecret:"…"} is 13 bytes
// between them).
const maxOptionGap = 96

// isBundleOption reports cands[i] as one of node-mailjet's apiKey and
// apiSecret options with the other one next to it on the line.
func isBundleOption(cands []candidate, i int) bool {
	want := map[string]string{"apiKey": "apiSecret", "apiSecret": "apiKey"}[cands[i].class.name]
	if want == "" {
		return false
	}
	for _, j := range []int{i - 1, i + 1} {
		if j < 0 || j >= len(cands) {
			continue
		}
		o := cands[j]
		if o.class.name == want && o.class.role != cands[i].class.role && abs(o.tok.start-cands[i].tok.start) <= maxOptionGap {
			return true
		}
	}
	return false
}

// isScriptFile reports a file a bundle can be: JavaScript and the pages
// and maps that carry it.
func isScriptFile(display string) bool {
	switch lowerExt(display) {
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".map", ".html", ".htm", ".vue", ".svelte":
		return true
	}
	return false
}

// minifiedLine is the line length from which a script counts as
// minified; minifiedLines is how many of its first lines are looked at.
const (
	minifiedLine  = 1000
	minifiedLines = 4
)

// isMinified reports a script whose first lines include a minified one
// (after a license comment or two). It stops at the first long line, so
// it costs next to nothing.
func isMinified(content []byte) bool {
	for range minifiedLines {
		i := bytes.IndexByte(content[:min(len(content), minifiedLine)], '\n')
		if i < 0 {
			return len(content) >= minifiedLine
		}
		content = content[i+1:]
	}
	return false
}

// isDataFile reports a file a Kubernetes Secret or other base64-valued
// settings can be.
func isDataFile(display string) bool {
	switch lowerExt(display) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// lowerExt returns a path's extension in lower case ("" past 8 bytes, as
// none of the extensions looked for is that long), without allocating for
// the usual lower-case one.
func lowerExt(display string) string {
	ext := path.Ext(display)
	if len(ext) > 8 {
		return ""
	}
	for i := 0; i < len(ext); i++ {
		if isUpperAlpha(ext[i]) {
			return strings.ToLower(ext)
		}
	}
	return ext
}

// findShapeKeywords is the pre-search for the shapes that do not name
// Mailjet in clear, run only where they live and only when the main
// pre-search found nothing: node-mailjet's option and call names in
// script files (anchored on 'K' of apiKey and 'C' of apiConnect), and
// "mailjet" base64-encoded in data files (anchored on the 'W' each of its
// three encodings holds).
func findShapeKeywords(content []byte, display string, h *keywordHits) {
	if h.namesMailjet() {
		return
	}
	if isScriptFile(display) && isMinified(content) {
		eachByte(content, 'K', func(i int) {
			if !h.bundle && i >= 3 && i+3 <= len(content) && equalFoldASCII(content[i-3:i], "api") && string(content[i+1:i+3]) == "ey" {
				h.bundle = true
			}
		})
		if !h.bundle {
			eachByte(content, 'C', func(i int) {
				if !h.bundle && i >= 3 && i+7 <= len(content) && string(content[i-3:i]) == "api" && string(content[i+1:i+7]) == "onnect" {
					h.bundle = true
				}
			})
		}
	}
	if isDataFile(display) {
		eachByte(content, 'W', func(i int) {
			if len(h.encodedAt) >= maxKeywordOffsets {
				return
			}
			for _, f := range encodedMailjet {
				if s := i - f.at; s >= 0 && s+len(f.text) <= len(content) && string(content[s:s+len(f.text)]) == f.text {
					h.encodedAt = append(h.encodedAt, s)
					return
				}
			}
		})
	}
}

// encodedMailjet are the parts of base64 that encode "mailjet" at each of
// the three positions it can start at in a group of three bytes, with
// the index of their 'W'.
var encodedMailjet = [...]struct {
	text string
	at   int
}{{"bWFpbGpld", 1}, {"1haWxqZX", 3}, {"tYWlsamV0", 2}}
