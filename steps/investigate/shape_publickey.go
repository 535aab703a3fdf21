package investigate

// publicKey is a Mailjet public API key: the only kind of 32-hex value a
// finding shows in full (Finding.APIKey). It is made in one place,
// knownPublicKey, and only from a value found in the key's place by a
// syntax that fixes the role; every other value, a secret or a value
// whose role is a guess, is reported as a secret (Finding.Secret, shown
// by its last four characters). TestPublicKeyIsMadeInOnePlace keeps it so.
type publicKey struct{ text string }

// String returns the key in full; it is not secret.
func (k publicKey) String() string { return k.text }

// isZero reports no key (a secret found alone).
func (k publicKey) isZero() bool { return k.text == "" }

// knownPublicKey returns v as a public key when its role is the key for
// sure: a name saying key (MJ_APIKEY_PUBLIC, api_key, username), the
// first half of KEY:SECRET or of a basic-authentication login, or the
// first argument of a call whose second argument, its secret, was found
// with it (paired). A first argument found alone may be a secret passed
// where the key belongs, so it is not one.
func knownPublicKey(v value, paired bool) (publicKey, bool) {
	if v.role != roleKey || !IsMailjetValue(v.text) || v.how == howPositional && !paired {
		return publicKey{}, false
	}
	return publicKey{v.text}, true
}
