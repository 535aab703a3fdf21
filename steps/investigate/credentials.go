package investigate

import (
	"bytes"
	"slices"
)

// credential is one Mailjet credential found in a file's content.
type credential struct {
	rule   string
	key    publicKey // zero for a secret alone
	secret string    // "" for a key alone
	line   int       // of the secret, or of the key when alone
}

// how tells the syntax a value was found in; it picks the rule of a pair.
type how int

const (
	howNamed      how = iota // MJ_APIKEY_PRIVATE=…, 'secret' => …
	howPositional            // apiConnect('KEY', 'SECRET')
	howJoined                // KEY:SECRET, as in mailjet+api://KEY:SECRET@default
	howBasic                 // HTTP basic authentication: Authorization: Basic, curl -u KEY:SECRET, base64(KEY:SECRET)
)

// value is a key or secret found on a line, before pairing.
type value struct {
	text string
	role role
	how  how
	smtp bool
	line int
	name string // the name it was found under, for a named value
}

// fileContext is what the whole file says, for the context rule of each
// value.
type fileContext struct {
	mentions bool // the file names Mailjet somewhere (also base64-encoded)
	// bundleOnly: nothing names Mailjet, but the file is JavaScript with
	// node-mailjet's own option or method names (apiSecret, apiConnect):
	// only complete pairs in that syntax count.
	bundleOnly bool
	// smtpGroups are the name words before "host" of each setting whose
	// value is Mailjet's SMTP host: spring.mail.host=in-v3.mailjet.com
	// gives [spring mail], so spring.mail.username and .password belong
	// to Mailjet.
	smtpGroups [][]string
}

// detectCredentials finds Mailjet keys and secrets in one file and pairs
// them. hits is the keyword pre-search of content: without a keyword, there
// is nothing to find. A 32-hex value counts only where Mailjet is named: on
// its line, in its variable name, or elsewhere in the file (then only under
// plain credential names such as user/pass, so "DB_PASSWORD" in a Laravel
// .env that also configures Mailjet is left alone, or under the names of a
// setting group whose host is Mailjet's SMTP server). A basic-authentication
// value that decodes to KEY:SECRET of Mailjet's shape counts anywhere in
// such a file (a request log naming api.mailjet.com once).
func detectCredentials(content []byte, hits keywordHits) []credential {
	ctx := fileContext{mentions: hits.namesMailjet()}
	groups, encodedHost := mailjetSMTPHosts(content, hits)
	ctx.smtpGroups = groups
	ctx.mentions = ctx.mentions || encodedHost
	ctx.bundleOnly = !ctx.mentions && hits.bundle
	if !ctx.mentions && !ctx.bundleOnly {
		return nil
	}
	vals := lineScan(content, &ctx)
	if ctx.mentions {
		vals = append(vals, serializedValues(content, hits.mailjetAt)...)
		vals = append(vals, basicHeaderValues(content, hits.basicAt)...)
		vals = append(vals, resolvedCalls(content, vals)...)
	}
	if len(vals) == 0 {
		return nil
	}
	slices.SortStableFunc(vals, func(a, b value) int { return a.line - b.line })
	secretsNamedKey(vals)
	return dropTemplateKeys(content, pairValues(vals))
}

// maxContinuation bounds how many lines a call or list written over
// several lines is followed back: new MailjetClient(\n "KEY",\n "SECRET").
const maxContinuation = 4

// lineScan finds the named, positional and joined values line by line.
func lineScan(content []byte, ctx *fileContext) []value {
	var vals []value
	var recent [maxContinuation][]byte // the lines before this one, nearest first
	var carry []candidate              // accepted values of the line before, for a call continued here
	var blocks blockStack
	for lineNo := 1; len(content) > 0; lineNo++ {
		line := content
		if i := bytes.IndexByte(content, '\n'); i >= 0 {
			line, content = content[:i], content[i+1:]
		} else {
			content = nil
		}
		enclosing := blocks.enter(line)
		var got []candidate
		if len(line) >= valueLen {
			var vs []value
			vs, got = lineValues(line, lineNo, ctx, lineCont{prev: recent[:], carry: carry, enclosing: enclosing})
			vals = append(vals, vs...)
		}
		blocks.leave(line)
		carry = nil
		if endsOpen(line) {
			carry = got
		}
		copy(recent[1:], recent[:len(recent)-1])
		recent[0] = line
	}
	return vals
}

// candidate is a token with its classification, before the context check.
type candidate struct {
	tok   token
	class class
}

// lineCont is what the lines before say about this one.
type lineCont struct {
	prev      [][]byte    // the lines before, nearest first
	carry     []candidate // values of the line before when it ended open
	enclosing string      // the name of the block the line is in ('crypt' => [)
}

// lineValues returns the keys and secrets on one line whose context says
// Mailjet, and the candidates it accepted (for a call continued on the
// next line).
func lineValues(line []byte, lineNo int, ctx *fileContext, cont lineCont) ([]value, []candidate) {
	toks := hexTokens(line)
	toks = append(toks, encodedTokens(line)...)
	if len(toks) == 0 {
		return nil, nil
	}
	slices.SortFunc(toks, func(a, b token) int { return a.start - b.start })
	lineMentions := !ctx.bundleOnly && mentionsMailjet(line)
	smtpHostLine := lineMentions && namesSMTPHost(line)
	var out []value
	// The values carried from the line before come first, so a call's
	// second argument on this line sees its first.
	cands := slices.Clone(cont.carry)
	carried := len(cands)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.secret != "" || i+1 < len(toks) && toks[i+1].start == t.end+1 && line[t.end] == ':' && !t.encoded && !toks[i+1].encoded {
			// KEY:SECRET (or its base64). Joined values carry no names
			// of their own, so the line (the DSN scheme or SMTP host) or
			// the variable name must say Mailjet.
			key, sec := t.text, t.secret
			if sec == "" {
				sec = toks[i+1].text
				i++
			}
			if ctx.bundleOnly || isPlaceholder(key) || isPlaceholder(sec) {
				continue
			}
			c, _ := classify(nameBefore(line, t.start))
			h, smtp := howJoined, false
			switch {
			case t.encoded, isCurlUser(line, t.start), inEncodingCall(line, t.start):
				h = howBasic
			case smtpHostLine && !bytes.Contains(line, []byte("://")):
				smtp = true // a Postfix sasl_passwd map: [in-v3.mailjet.com]:587 KEY:SECRET
			}
			if lineMentions || c.mailjet || h == howBasic && ctx.mentions {
				out = append(out,
					value{text: key, role: roleKey, how: h, smtp: smtp, line: lineNo},
					value{text: sec, role: roleSecret, how: h, smtp: smtp, line: lineNo})
			}
			continue
		}
		if isPlaceholder(t.text) {
			continue
		}
		n, in, mentions := nameOnLine(line, t, cont.prev)
		lineMentions = lineMentions || mentions && !ctx.bundleOnly
		c, ok := classify(attributeName(in, n))
		if !ok || !c.mailjet && (isNotCredentialBlock(cont.enclosing) || isNotCredentialBlock(inlineBlock(in, n))) {
			continue
		}
		c.smtpGroup = inSMTPGroup(n.segments, ctx.smtpGroups)
		cands = append(cands, candidate{tok: t, class: c})
	}
	var accepted []candidate
	for i := carried; i < len(cands); i++ {
		cd := cands[i]
		if !inMailjetContext(cands, i, lineMentions, ctx) {
			continue
		}
		h := howNamed
		if cd.class.positional {
			h = howPositional
		}
		accepted = append(accepted, cd)
		out = append(out, value{text: cd.tok.text, role: cd.class.role, how: h, smtp: cd.class.smtp, line: lineNo, name: cd.class.name})
	}
	return out, accepted
}

// nameOnLine reads the naming of a token, and returns the text the
// naming's offsets refer to. A value alone at the start of its line
// (after spaces and quotes) is an argument or item of a call or list
// opened on the lines before: its name is read there, and those lines
// count as its line for the context rule.
func nameOnLine(line []byte, t token, prev [][]byte) (naming, []byte, bool) {
	n := nameBefore(line, t.start)
	if len(n.segments) > 0 || n.seps != "" || !startsLine(line, min(n.start, t.start)) {
		return n, line, false
	}
	joined := continuedText(prev)
	if joined == nil && n.fallback && len(prev) > 0 && prev[0] != nil {
		// 'username' => $_ENV['SMTP_USERNAME']
		//     ?? 'VALUE',
		joined = append(append([]byte(nil), bytes.TrimSpace(prev[0])...), ' ')
	}
	if joined == nil {
		return n, line, false
	}
	joined = append(joined, line[:t.start]...)
	return nameBefore(joined, len(joined)), joined, mentionsMailjet(joined)
}

// continuedText joins the lines before (nearest first) that end open, as
// one line, oldest first; nil when the line before does not end open.
func continuedText(prev [][]byte) []byte {
	n := 0
	for n < len(prev) && prev[n] != nil && endsOpen(prev[n]) {
		n++
	}
	if n == 0 {
		return nil
	}
	var b []byte
	for i := n - 1; i >= 0; i-- {
		b = append(b, bytes.TrimSpace(prev[i])...)
		b = append(b, ' ')
	}
	return b
}

// endsOpen reports a line whose last character leaves a call, list or
// argument open: ( [ { or a comma.
func endsOpen(line []byte) bool {
	t := bytes.TrimRight(line, " \t\r")
	if len(t) == 0 {
		return false
	}
	switch t[len(t)-1] {
	case '(', '[', '{', ',':
		return true
	}
	return false
}

// startsLine reports that only spaces, quotes and backslashes come before
// line[start].
func startsLine(line []byte, start int) bool {
	for _, c := range line[:start] {
		if !isSpace(c) && !isQuote(c) && c != '\\' {
			return false
		}
	}
	return true
}

// mentionsMailjet is the line part of the context rule.
func mentionsMailjet(b []byte) bool {
	return containsFold(b, "mailjet") || containsFold(b, "mj_")
}

// inMailjetContext applies the context rule to cands[i]. With only the
// file mentioning Mailjet, a value found by position counts only as half
// of a complete call, new Client('KEY', 'SECRET'), whose function name is
// plain (Client, auth=). In a bundle that never names Mailjet, only
// node-mailjet's own call (apiConnect) and options (apiKey with apiSecret)
// count.
func inMailjetContext(cands []candidate, i int, lineMentions bool, ctx *fileContext) bool {
	c := cands[i].class
	prevKey := i > 0 && cands[i-1].class.positional && cands[i-1].class.role == roleKey
	switch {
	case c.positional && c.role == roleSecret && prevKey && cands[i-1].class.mailjet:
		return true // apiConnect('KEY', 'SECRET'): the call names Mailjet
	case ctx.bundleOnly:
		return c.mailjet && c.positional || isBundleOption(cands, i)
	case lineMentions || c.mailjet:
		return true
	case !ctx.mentions:
		return false
	case !c.positional:
		return c.generic || c.smtpGroup
	case c.role == roleKey:
		return c.generic && i+1 < len(cands) && isPositionalSecret(cands[i+1].class)
	default:
		return prevKey && cands[i-1].class.generic
	}
}

func isPositionalSecret(c class) bool { return c.positional && c.role == roleSecret }
