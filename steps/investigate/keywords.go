package investigate

import "bytes"

// keywordHits is what the pre-search found in a file. Only a file that
// names Mailjet goes through the credential detector (and has its "Basic "
// values decoded), or one holding the shapes that name it otherwise
// (findShapeKeywords: a minified bundle's node-mailjet names, "mailjet"
// in base64). Most files do not and cost two vectorised searches.
type keywordHits struct {
	mailjet   bool  // "mailjet" in any case (a name, a host, a DSN scheme)
	mj        bool  // "mj" starting a name: MJ_APIKEY_PUBLIC, mjApiKey
	mailjetAt []int // offsets of "mailjet", for the PHP-serialized check
	basicAt   []int // offsets of the value after "Basic "

	// Set by findShapeKeywords, for shapes that do not name Mailjet in clear.
	bundle    bool  // node-mailjet's apiKey or apiConnect in a script file
	encodedAt []int // offsets of "mailjet" base64-encoded, in a data file
}

func (h keywordHits) namesMailjet() bool { return h.mailjet || h.mj }

// maxKeywordOffsets bounds the offsets kept per keyword: a file that
// says "mailjet" a million times (a log) is still one file to detect in.
const maxKeywordOffsets = 4096

// findKeywords is the one-pass pre-search. Every keyword is anchored on a
// letter that is rare in code and text ('j' for mailjet and mj, 'B'/'b'
// for Basic) and found with bytes.IndexByte, which is vectorised; the
// letters around each anchor are then compared in place. For this handful
// of keywords that is several times faster than a byte-at-a-time
// Aho-Corasick automaton, and it never lowercases or copies the content.
func findKeywords(content []byte) keywordHits {
	var h keywordHits
	for _, anchor := range []byte{'j', 'J'} {
		eachByte(content, anchor, func(i int) {
			switch {
			case isMailjetAt(content, i-4):
				h.mailjet = true
				if len(h.mailjetAt) < maxKeywordOffsets {
					h.mailjetAt = append(h.mailjetAt, i-4)
				}
			case !h.mj && isMJNameAt(content, i-1):
				h.mj = true
			}
		})
	}
	if !h.namesMailjet() {
		return h // a basic-authentication value counts only where Mailjet is named
	}
	for _, anchor := range []byte{'B', 'b'} {
		eachByte(content, anchor, func(i int) {
			if v, ok := basicValueAt(content, i); ok && len(h.basicAt) < maxKeywordOffsets {
				h.basicAt = append(h.basicAt, v)
			}
		})
	}
	return h
}

// eachByte calls fn with every offset of c in b.
func eachByte(b []byte, c byte, fn func(int)) {
	for off := 0; off < len(b); {
		i := bytes.IndexByte(b[off:], c)
		if i < 0 {
			return
		}
		fn(off + i)
		off += i + 1
	}
}

// isMailjetAt reports "mailjet", in any case, at b[i:].
func isMailjetAt(b []byte, i int) bool {
	return i >= 0 && i+7 <= len(b) && equalFoldASCII(b[i:i+7], "mailjet")
}

// isMJNameAt reports a name starting with "mj" at b[i:]: at the start of
// a word (MJ_APIKEY_PUBLIC, mj-api-key, $mjKey) or after a lower-case
// letter in camel case (sendMjKey), and followed by a separator, an
// upper-case letter or a credential word, so "mjpeg" or "Ramjet" do not
// count.
func isMJNameAt(b []byte, i int) bool {
	if i < 0 || i+3 > len(b) || toLower(b[i]) != 'm' {
		return false
	}
	if i > 0 {
		prev := b[i-1]
		camel := isLowerAlpha(prev) && b[i] == 'M'
		if isAlnum(prev) && !camel {
			return false
		}
	}
	next := b[i+2]
	switch {
	case next == '_' || next == '-' || next == '.':
		return true
	case isUpperAlpha(next) && b[i+1] == 'j': // mjApiKey
		return true
	}
	rest := b[i+2:]
	for _, w := range []string{"api", "key", "secret", "private", "public", "pass", "user"} {
		if len(rest) >= len(w) && equalFoldASCII(rest[:len(w)], w) {
			return true
		}
	}
	return false
}

// basicValueAt reports the offset of the value after "Basic " (HTTP basic
// authentication) when b[i:] starts with that word at a word boundary.
func basicValueAt(b []byte, i int) (int, bool) {
	if i+6 > len(b) || !equalFoldASCII(b[i:i+5], "basic") || i > 0 && isAlnum(b[i-1]) {
		return 0, false
	}
	j := i + 5
	if b[j] != ' ' && b[j] != '\t' {
		return 0, false
	}
	for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
		j++
	}
	return j, j < len(b)
}
