package investigate

import "slices"

// Some programs call the public key the "user" and the secret the "key",
// as the Rust crate felipet/mailjet_client does (MAILJET_API_USER and
// MAILJET_API_KEY, in its examples/simple_send_v3.rs), the way SMTP calls
// them user and password. Read by the usual names, both would be keys and
// the secret would be shown in full. So in a group (the same words before
// the last one) holding a "user" and a "key" and no secret, the "key" is
// the secret.

// userKeyWindow is how many lines apart the two settings of a group may be.
const userKeyWindow = 3

// secretsNamedKey turns into secrets the values named "key" beside a
// value of the same group named "user".
func secretsNamedKey(vals []value) {
	for i, u := range vals {
		prefix, last := splitLastWord(u.name)
		if u.role != roleKey || u.how != howNamed || last != "user" && last != "username" && last != "login" {
			continue
		}
		group := func(v value) bool {
			p, _ := splitLastWord(v.name)
			return v.how == howNamed && abs(v.line-u.line) <= userKeyWindow && slices.Equal(p, prefix)
		}
		if slices.ContainsFunc(vals, func(v value) bool { return v.role == roleSecret && group(v) }) {
			continue // the group has its secret: "key" is what it says
		}
		for j, v := range vals {
			if _, l := splitLastWord(v.name); j != i && v.role == roleKey && l == "key" && group(v) {
				vals[j].role = roleSecret
			}
		}
	}
}

// splitLastWord splits a name's words into those before the last one and
// the last one.
func splitLastWord(name string) ([]string, string) {
	w := words(name)
	if len(w) == 0 {
		return nil, ""
	}
	return w[:len(w)-1], w[len(w)-1]
}
