package flow

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// Term is a word the recovery cannot do without, and what it means, in
// plain words and in the customer's language.
type Term struct {
	Word    string // "API key"
	Meaning string // one or two short sentences
}

// glossEntry is one word of the glossary. words is how screens say it:
// alternatives separated by "|", plural forms among them, the first the
// word as the glossary names it. Both are translated: a translation lists
// the language's own forms ("clé API|clés API").
type glossEntry struct {
	words   string
	meaning string
}

// glossary is every word a front-end may have to explain, in the order
// it lists them.
var glossary = []glossEntry{
	{
		words: lang.Mark("API key|API keys"),
		meaning: lang.Mark("A code your website or app uses to send email through Mailjet. " +
			"It is the public half of a pair: it works only with its secret key."),
	},
	{
		words: lang.Mark("secret key|secret keys|secret|secrets"),
		meaning: lang.Mark("The private half of the pair, like a password for your apps. " +
			"Whoever has it can send email as you, so it must stay secret."),
	},
	{
		words: lang.Mark("main account / sub-account|main account|main accounts|master account|master key|" +
			"sub-account|sub-accounts|subaccount|subaccounts"),
		meaning: lang.Mark("The main account is the one you sign in to. Sub-accounts are separate accounts " +
			"inside it, each with its own keys (one per website, for example)."),
	},
	{
		words: lang.Mark("webhook|webhooks"),
		meaning: lang.Mark("An address on the internet that Mailjet tells each time something happens " +
			"to your emails (sent, opened, clicked). An attacker can add one to watch your mail."),
	},
	{
		words: lang.Mark("parse route|parse routes|inbound route|inbound routes"),
		meaning: lang.Mark("A rule that makes Mailjet pass the emails sent to one of your addresses on " +
			"to a web address. An attacker can add one to read the replies you get."),
	},
	{
		words:   lang.Mark("sender|senders"),
		meaning: lang.Mark("An email address or domain Mailjet lets you send from, once you have shown it is yours."),
	},
	{
		words: lang.Mark("two-factor authentication|two-factor|2FA"),
		meaning: lang.Mark("Signing in takes your password and also a 6-digit code from an app on your " +
			"phone, so a stolen password alone is not enough."),
	},
	{
		words:   lang.Mark("recovery code|recovery codes"),
		meaning: lang.Mark("A code for one use, written on paper: it lets you sign in if you lose your phone."),
	},
	{
		words: lang.Mark("SMTP|SMTP settings"),
		meaning: lang.Mark("The usual way email programs and websites hand over email to be sent. " +
			"With Mailjet, the SMTP user name is the API key and the password is the secret key."),
	},
}

// Glossary is the words of the glossary that the current screen uses,
// explained in the customer's language.
func (f *Flow) Glossary() []Term { return Glossary(f.Screen(), f.Lang()) }

// Glossary is the words of the glossary that sc uses, explained in p's
// language, in the glossary's order. A word counts in English too (a
// screen may keep one, "webhook", or not be translated yet).
func Glossary(sc Screen, p *lang.Printer) []Term {
	text := strings.ToLower(screenWords(sc))
	var out []Term
	for _, e := range glossary {
		local := p.Text(e.words)
		forms := strings.Split(local, "|")
		if local != e.words {
			forms = append(forms, strings.Split(e.words, "|")...)
		}
		for _, w := range forms {
			if hasWord(text, strings.ToLower(strings.TrimSpace(w))) {
				out = append(out, Term{Word: strings.TrimSpace(strings.Split(local, "|")[0]), Meaning: p.Text(e.meaning)})
				break
			}
		}
	}
	return out
}

// screenWords is every word sc shows: its title, text, tables, lists,
// labels, fields and actions (secrets and file changes left out).
func screenWords(sc Screen) string {
	parts := []string{sc.Name, sc.Why}
	for _, b := range sc.Blocks {
		parts = append(parts, b.Text)
		if b.Table != nil {
			parts = append(parts, b.Table.Header...)
			for _, r := range b.Table.Rows {
				parts = append(parts, r...)
			}
		}
		if b.List != nil {
			for _, it := range b.List.Items {
				parts = append(parts, it.Cols...)
			}
		}
		for _, pr := range b.Pairs {
			parts = append(parts, pr.Label, pr.Value)
		}
		if b.Meter != nil {
			parts = append(parts, b.Meter.Label)
		}
	}
	for _, fd := range sc.Fields {
		parts = append(parts, fd.Label, fd.Placeholder)
	}
	for _, a := range sc.Actions {
		parts = append(parts, a.Label)
	}
	return strings.Join(parts, "\n")
}

// hasWord reports whether w is in text as whole words: not inside
// another word ("secret" is not in "secretly").
func hasWord(text, w string) bool {
	if w == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(text[from:], w)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(w)
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (i == 0 || !wordRune(before)) && (end == len(text) || !wordRune(after)) {
			return true
		}
		from = i + 1
	}
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
