package investigate

import (
	"cmp"
	"slices"
)

const (
	// pairWindow is how many lines apart a key and its secret may be:
	// enough for a .env or SMTP block with comments between.
	pairWindow = 15
	// pairReach bounds the values looked at around each secret, so a
	// file with thousands of values still pairs in linear time.
	pairReach = 64
)

// pairValues pairs each secret with its key: first on the same line (a
// DSN, a call, an object literal), then the nearest free key within
// pairWindow lines, then the nearest key already paired on another line
// (an old and a new secret under one key). A key paired on its own line
// is never shared: apiConnect(process.env.KEY, 'SECRET') next to it has
// a key that is not in the file. What is left is reported alone, unless
// the same value was already reported in a pair in this file.
func pairValues(vals []value) []credential {
	keyOf := make([]int, len(vals))  // for a secret: its key's index, or -1
	used := make([]bool, len(vals))  // for a key: paired
	bound := make([]bool, len(vals)) // for a key: paired on its own line
	for i := range keyOf {
		keyOf[i] = -1
	}
	isKey := func(k int) bool { return vals[k].role == roleKey }

	// Same line: the nearest free key before the secret, else after.
	for s, v := range vals {
		if v.role != roleSecret {
			continue
		}
		if k := nearestKey(vals, s, func(k int) bool { return isKey(k) && !used[k] && vals[k].line == v.line }); k >= 0 {
			keyOf[s], used[k], bound[k] = k, true, true
		}
	}

	// Nearby lines, one key per secret, closest pairs first.
	type link struct{ s, k, dist int }
	var links []link
	for s, v := range vals {
		if v.role != roleSecret || keyOf[s] >= 0 {
			continue
		}
		for k := max(0, s-pairReach); k < min(len(vals), s+pairReach+1); k++ {
			if isKey(k) && !used[k] && abs(vals[k].line-v.line) <= pairWindow {
				links = append(links, link{s, k, abs(vals[k].line - v.line)})
			}
		}
	}
	slices.SortStableFunc(links, func(a, b link) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(b2i(a.k > a.s), b2i(b.k > b.s)), cmp.Compare(a.s, b.s))
	})
	for _, l := range links {
		if keyOf[l.s] < 0 && !used[l.k] {
			keyOf[l.s], used[l.k] = l.k, true
		}
	}

	// Still alone: share the nearest key paired across lines.
	for s, v := range vals {
		if v.role != roleSecret || keyOf[s] >= 0 {
			continue
		}
		keyOf[s] = nearestKey(vals, s, func(k int) bool { return isKey(k) && !bound[k] && abs(vals[k].line-v.line) <= pairWindow })
	}

	// Still alone: the only key and the only secret of a file left belong
	// together, however far apart.
	lastKey, lastSecret := -1, -1
	keys, secrets := 0, 0
	for i, v := range vals {
		switch {
		case v.role == roleKey && !used[i] && !bound[i]:
			keys++
			lastKey = i
		case v.role == roleSecret && keyOf[i] < 0:
			secrets++
			lastSecret = i
		}
	}
	if keys == 1 && secrets == 1 && !pairedElsewhere(vals, keyOf, lastKey) {
		keyOf[lastSecret], used[lastKey] = lastKey, true
	}

	return credentialsFrom(vals, keyOf, used)
}

// pairedElsewhere reports whether the key's value was already paired
// (the same key written twice in the file).
func pairedElsewhere(vals []value, keyOf []int, k int) bool {
	for s, kk := range keyOf {
		if kk >= 0 && vals[s].role == roleSecret && vals[kk].text == vals[k].text {
			return true
		}
	}
	return false
}

// nearestKey returns the index of the closest value around s accepted by
// ok (before s on a tie), or -1.
func nearestKey(vals []value, s int, ok func(int) bool) int {
	for d := 1; d <= pairReach; d++ {
		if k := s - d; k >= 0 && ok(k) {
			return k
		}
		if k := s + d; k < len(vals) && ok(k) {
			return k
		}
	}
	return -1
}

func credentialsFrom(vals []value, keyOf []int, used []bool) []credential {
	var out []credential
	pairedKeys, pairedSecrets := map[string]bool{}, map[string]bool{}
	for s, k := range keyOf {
		if vals[s].role != roleSecret || k < 0 {
			continue
		}
		key, ok := knownPublicKey(vals[k], true)
		if !ok { // not a key for sure: the secret is reported alone
			out = append(out, credential{rule: RuleMailjetSecret, secret: vals[s].text, line: vals[s].line})
			continue
		}
		out = append(out, credential{rule: pairRule(vals[k], vals[s]), key: key, secret: vals[s].text, line: vals[s].line})
		pairedKeys[vals[k].text], pairedSecrets[vals[s].text] = true, true
	}
	for i, v := range vals {
		switch {
		case v.role == roleSecret && keyOf[i] < 0 && !pairedSecrets[v.text]:
			out = append(out, credential{rule: RuleMailjetSecret, secret: v.text, line: v.line})
		case v.role == roleKey && !used[i] && !pairedKeys[v.text]:
			if key, ok := knownPublicKey(v, false); ok {
				out = append(out, credential{rule: RuleMailjetKey, key: key, line: v.line})
			} else if !pairedSecrets[v.text] {
				// A first argument alone: it may be the secret, so it is
				// reported as one.
				out = append(out, credential{rule: RuleMailjetSecret, secret: v.text, line: v.line})
			}
		}
	}
	slices.SortFunc(out, func(a, b credential) int {
		return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.key.text, b.key.text), cmp.Compare(a.secret, b.secret), cmp.Compare(a.rule, b.rule))
	})
	// One finding per (line, key, secret), e.g. the same pair twice in a line.
	return slices.CompactFunc(out, func(a, b credential) bool {
		return a.line == b.line && a.key == b.key && a.secret == b.secret
	})
}

// pairRule names a pair after the syntax it was written in.
func pairRule(key, sec value) string {
	switch {
	case key.how == howJoined && sec.how == howJoined && key.smtp && sec.smtp:
		return RuleMailjetSMTP // a Postfix sasl_passwd map: [in-v3.mailjet.com]:587 KEY:SECRET
	case key.how == howJoined && sec.how == howJoined:
		return RuleMailjetDSN
	case key.how == howBasic && sec.how == howBasic:
		return RuleMailjetBasicAuth
	case key.how == howPositional && sec.how == howPositional:
		return RuleMailjetClient
	case key.smtp && sec.smtp:
		return RuleMailjetSMTP
	}
	return RuleMailjetPair
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
