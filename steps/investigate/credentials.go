package investigate

import (
	"bytes"
	"slices"
)

// credential is one Mailjet credential found in a file's content.
type credential struct {
	rule   string
	key    string // "" for a secret alone
	secret string // "" for a key alone
	line   int    // of the secret, or of the key when alone
}

// how tells the syntax a value was found in; it picks the rule of a pair.
type how int

const (
	howNamed      how = iota // MJ_APIKEY_PRIVATE=…, 'secret' => …
	howPositional            // apiConnect('KEY', 'SECRET')
	howJoined                // KEY:SECRET, as in mailjet+api://KEY:SECRET@default
	howBasic                 // HTTP basic authentication: Authorization: Basic, curl -u KEY:SECRET
)

// value is a key or secret found on a line, before pairing.
type value struct {
	text string
	role role
	how  how
	smtp bool
	line int
}

// detectCredentials finds Mailjet keys and secrets in one file and pairs
// them. hits is the keyword pre-search of content: without a keyword, there
// is nothing to find. A 32-hex value counts only where Mailjet is named: on
// its line, in its variable name, or elsewhere in the file (then only under
// plain credential names such as user/pass, so "DB_PASSWORD" in a Laravel
// .env that also configures Mailjet is left alone). A basic-authentication
// header that decodes to KEY:SECRET of Mailjet's shape counts anywhere in
// such a file (a request log naming api.mailjet.com once).
func detectCredentials(content []byte, hits keywordHits) []credential {
	if !hits.namesMailjet() {
		return nil
	}
	vals := lineScan(content, hits.mailjet)
	vals = append(vals, serializedValues(content, hits.mailjetAt)...)
	vals = append(vals, basicHeaderValues(content, hits.basicAt)...)
	if len(vals) == 0 {
		return nil
	}
	slices.SortStableFunc(vals, func(a, b value) int { return a.line - b.line })
	return pairValues(vals)
}

// lineScan finds the named, positional and joined values line by line.
func lineScan(content []byte, fileMentions bool) []value {
	var vals []value
	for lineNo := 1; len(content) > 0; lineNo++ {
		line := content
		if i := bytes.IndexByte(content, '\n'); i >= 0 {
			line, content = content[:i], content[i+1:]
		} else {
			content = nil
		}
		if len(line) >= valueLen {
			vals = append(vals, lineValues(line, lineNo, fileMentions)...)
		}
	}
	return vals
}

// candidate is a token with its classification, before the context check.
type candidate struct {
	tok   token
	class class
}

// lineValues returns the keys and secrets on one line whose context says
// Mailjet.
func lineValues(line []byte, lineNo int, fileMentions bool) []value {
	toks := hexTokens(line)
	if len(toks) == 0 {
		return nil
	}
	lineMentions := containsFold(line, "mailjet") || containsFold(line, "mj_")
	var out []value
	var cands []candidate
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i+1 < len(toks) && toks[i+1].start == t.end+1 && line[t.end] == ':' {
			// KEY:SECRET. Joined values carry no names of their own, so
			// the line (the DSN scheme or SMTP host) or the variable name
			// must say Mailjet.
			s := toks[i+1]
			i++
			if isPlaceholder(t.text) || isPlaceholder(s.text) {
				continue
			}
			c, _ := classify(nameBefore(line, t.start))
			h := howJoined
			if isCurlUser(line, t.start) {
				h = howBasic
			}
			if lineMentions || c.mailjet || h == howBasic && fileMentions {
				out = append(out,
					value{text: t.text, role: roleKey, how: h, line: lineNo},
					value{text: s.text, role: roleSecret, how: h, line: lineNo})
			}
			continue
		}
		if isPlaceholder(t.text) {
			continue
		}
		c, ok := classify(attributeName(line, nameBefore(line, t.start)))
		if ok {
			cands = append(cands, candidate{tok: t, class: c})
		}
	}
	for i, cd := range cands {
		if !inMailjetContext(cands, i, lineMentions, fileMentions) {
			continue
		}
		h := howNamed
		if cd.class.positional {
			h = howPositional
		}
		out = append(out, value{text: cd.tok.text, role: cd.class.role, how: h, smtp: cd.class.smtp, line: lineNo})
	}
	return out
}

// inMailjetContext applies the context rule to cands[i]. With only the
// file mentioning Mailjet, a value found by position counts only as half
// of a complete call, new Client('KEY', 'SECRET'), whose function name is
// plain (Client, auth=).
func inMailjetContext(cands []candidate, i int, lineMentions, fileMentions bool) bool {
	c := cands[i].class
	switch {
	case lineMentions || c.mailjet:
		return true
	case !fileMentions:
		return false
	case !c.positional:
		return c.generic
	case c.role == roleKey:
		return c.generic && i+1 < len(cands) && isPositionalSecret(cands[i+1].class)
	default:
		return i > 0 && cands[i-1].class.positional && cands[i-1].class.role == roleKey && cands[i-1].class.generic
	}
}

func isPositionalSecret(c class) bool { return c.positional && c.role == roleSecret }
