package replace

import (
	"encoding/base64"
	"maps"
	"slices"
	"strings"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// knownValues maps old values to their rotations.
type knownValues struct {
	rotations []Rotation
	byKey     map[string]int // old public key → rotation
	secrets   [][]secret.Secret
	bySecret  map[string]int // old secret → rotation
	// off are the keys switched off with no replacement (lowercase), and
	// their secrets.
	off, offSecrets map[string]bool
}

// addSwitchedOff takes the keys switched off with no replacement.
func (k *knownValues) addSwitchedOff(offs []SwitchedOff) {
	k.off, k.offSecrets = map[string]bool{}, map[string]bool{}
	for _, o := range offs {
		k.off[strings.ToLower(o.Key)] = true
		if !o.Secret.IsZero() {
			k.offSecrets[o.Secret.Reveal()] = true
		}
	}
}

// switchedOff reports whether a finding is of a key switched off with no
// replacement.
func (k *knownValues) switchedOff(f investigate.Finding) bool {
	if f.APIKey != "" {
		return k.off[strings.ToLower(f.APIKey)]
	}
	return !f.Secret.IsZero() && k.offSecrets[f.Secret.Reveal()]
}

// newKnownValues collects each rotation's old secrets: the one the API
// gave, and every secret the scan found paired with its key.
func newKnownValues(rs []Rotation, fs []investigate.Finding) *knownValues {
	k := &knownValues{rotations: rs, byKey: map[string]int{}, secrets: make([][]secret.Secret, len(rs)), bySecret: map[string]int{}}
	for i, r := range rs {
		k.byKey[strings.ToLower(r.OldKey)] = i
	}
	add := func(i int, s secret.Secret) {
		if s.IsZero() || !isValue(s.Reveal()) || s.Equal(k.rotations[i].NewSecret) {
			return
		}
		if _, seen := k.bySecret[s.Reveal()]; seen {
			return
		}
		k.bySecret[s.Reveal()] = i
		k.secrets[i] = append(k.secrets[i], s)
	}
	for i, r := range rs {
		add(i, r.OldSecret)
	}
	for _, f := range fs {
		if i, ok := k.byKey[strings.ToLower(f.APIKey)]; ok && f.APIKey != "" {
			add(i, f.Secret)
		}
	}
	return k
}

// substitutionsFor returns the substitutions of a file's findings, the
// old keys involved, and what cannot be replaced.
func (k *knownValues) substitutionsFor(p *lang.Printer, path string, creds []investigate.Finding) ([]substitution, []string, []Manual) {
	var manual []Manual
	used := map[int]bool{}
	for _, f := range creds {
		if k.upToDate(f) {
			continue // already holds a new value
		}
		switch i, ok := k.rotationOf(f); {
		case ok:
			used[i] = true
		case k.switchedOff(f) && f.APIKey != "":
			manual = append(manual, makeManual(p, path, f.Line, lang.Msg(
				"The key %s was switched off because nobody used it, so this copy no longer works and gets no new key. Leave it as it is, or remove it from the file if nothing needs it.", untrusted.Text(f.APIKey, 64))))
		case k.switchedOff(f):
			manual = append(manual, makeManual(p, path, f.Line, lang.Msg(
				"A secret (%s) of a key that was switched off because nobody used it: it no longer works and gets no new key. Leave it as it is, or remove it from the file if nothing needs it.", f.Secret.Hint())))
		case f.APIKey != "":
			manual = append(manual, makeManual(p, path, f.Line, lang.Msg(
				"The key %s is not one of the keys that were replaced, so mjrecover leaves it. If it is yours, replace it too; if not, find out whose it is.", untrusted.Text(f.APIKey, 64))))
		default:
			manual = append(manual, makeManual(p, path, f.Line, lang.Msg(
				"A Mailjet secret (%s) that belongs to none of the replaced keys, so mjrecover leaves it. If it is an old secret of yours it no longer works; otherwise replace it by hand.", f.Secret.Hint())))
		}
	}
	var subs []substitution
	var keys []string
	for _, i := range slices.Sorted(maps.Keys(used)) {
		r := k.rotations[i]
		keys = append(keys, r.OldKey)
		if r.NewKey != r.OldKey {
			subs = append(subs, substitution{old: secret.New(r.OldKey), new: secret.New(r.NewKey), kind: kindKey, apiKey: r.OldKey})
		}
		for _, s := range k.secrets[i] {
			subs = append(subs,
				substitution{old: s, new: r.NewSecret, kind: kindSecret, apiKey: r.OldKey},
				substitution{old: basic(r.OldKey, s), new: basic(r.NewKey, r.NewSecret), kind: kindBasic, apiKey: r.OldKey})
		}
	}
	return subs, keys, manual
}

// upToDate reports whether a finding is of a new pair: a replacement key,
// or a key (the master key keeps its own) with its new secret.
func (k *knownValues) upToDate(f investigate.Finding) bool {
	for _, r := range k.rotations {
		newKey := r.NewKey != r.OldKey && strings.EqualFold(f.APIKey, r.NewKey)
		newSecret := !f.Secret.IsZero() && f.Secret.Equal(r.NewSecret)
		if newKey && (f.Secret.IsZero() || newSecret) || newSecret && (f.APIKey == "" || strings.EqualFold(f.APIKey, r.NewKey)) {
			return true
		}
	}
	return false
}

// rotationOf finds the rotation a finding belongs to: by its key, or by
// its secret when the key was not found next to it.
func (k *knownValues) rotationOf(f investigate.Finding) (int, bool) {
	if f.APIKey != "" {
		i, ok := k.byKey[strings.ToLower(f.APIKey)]
		return i, ok
	}
	i, ok := k.bySecret[f.Secret.Reveal()]
	return i, ok && !f.Secret.IsZero()
}

// basic is the base64 of "key:secret", as in an Authorization: Basic header.
func basic(key string, s secret.Secret) secret.Secret {
	return secret.New(base64.StdEncoding.EncodeToString([]byte(key + ":" + s.Reveal())))
}
