package investigate

import (
	"maps"
	"testing"

	"github.com/mjrecover/mjrecover/api/secret"
)

func TestSeverityString(t *testing.T) {
	want := map[Severity]string{Critical: "critical", High: "high", Medium: "medium", Low: "low", Severity(9): "unknown"}
	for s, w := range want {
		if s.String() != w {
			t.Errorf("Severity(%d).String() = %q, want %q", s, s.String(), w)
		}
	}
}

func TestMarkOwnedAndLeakedKeys(t *testing.T) {
	fs := []Finding{
		{Rule: RuleMailjetPair, Category: CategoryCredential, APIKey: k1, Secret: secret.New(s1)},
		{Rule: RuleMailjetKey, Category: CategoryCredential, APIKey: k2},
		{Rule: RuleMailjetSecret, Category: CategoryCredential, Secret: secret.New(s2)},
		{Rule: RuleExposedEnv, Category: CategoryExposure},
	}
	MarkOwned(fs, []string{" " + k1 + " ", "ffffffffffffffffffffffffffffff00"})
	for i, want := range []bool{true, false, false, false} {
		if fs[i].Owned != want {
			t.Errorf("finding %d (%s): Owned %v, want %v", i, fs[i].Rule, fs[i].Owned, want)
		}
	}
	MarkOwned(fs, []string{"92EB5FFEE6AE2FEC3AD71C777531578F"}) // k2, upper-case
	if !fs[0].Owned || !fs[1].Owned {
		t.Error("MarkOwned must add to earlier marks and ignore case")
	}
	if got, want := LeakedKeys(fs), map[string]bool{k1: true, k2: true}; !maps.Equal(got, want) {
		t.Errorf("LeakedKeys = %v, want %v", got, want)
	}
	if got := LeakedKeys(nil); got == nil || len(got) != 0 {
		t.Errorf("LeakedKeys(nil) = %v, want an empty map", got)
	}
}
