package sandbox

import (
	"net/http/httptest"
	"slices"
	"testing"
)

// listOf runs listPage on the numbers 1..n for the query string raw.
func listOf(t *testing.T, n int, raw string) (envelope[int], error) {
	t.Helper()
	records := make([]int, n)
	for i := range records {
		records[i] = i + 1
	}
	sorts := sortKeys[int]{"id": by(func(v int) int { return v })}
	return listPage(filtersOf(httptest.NewRequest("GET", "/x?"+raw, nil)), records, nil, sorts)
}

// The Limit filter: "The default value is 10 and the maximum value is
// 1000. 'Limit=0' delivers the maximum amount of results - 1000."
// (apidoc guides/_filtering-resources.md, "The Limit Filter".)
func TestLimitDefaultMaximumAndZero(t *testing.T) {
	cases := []struct {
		query string
		want  int
	}{
		{"", 10},
		{"Limit=0", 1000},
		{"Limit=1000", 1000},
		{"Limit=1001", 1000},
		{"Limit=99999999999", 1000},
		{"Limit=7", 7},
		{"limit=7", 7}, // names are case-insensitive (see listing_test.go)
		{"Limit=7&Offset=1495", 5},
	}
	for _, c := range cases {
		env, err := listOf(t, 1500, c.query)
		if err != nil || len(env.Data) != c.want || env.Count != c.want || env.Total != c.want {
			t.Errorf("%q: %d records, Count %d, Total %d, %v; want %d", c.query, len(env.Data), env.Count, env.Total, err, c.want)
		}
	}
}

// A bad value: no source says what Mailjet does (the fact sheet: "Bad
// filter value (Limit=abc): no source found"). The sandbox answers 400,
// never a crash or a page nobody asked for.
func TestBadPagingValuesAre400(t *testing.T) {
	for _, q := range []string{
		"Limit=abc", "Limit=-1", "Limit=1.5", "Limit=%zz", "Offset=abc", "Offset=-3",
		"Offset=99999999999999999999", "countOnly=maybe", "Sort=nosuch", "Sort=ID%20ASC", "Sort=ID%20DESC%20x",
	} {
		if env, err := listOf(t, 30, q); err == nil {
			t.Errorf("%q: %d records, want an error", q, len(env.Data))
		}
	}
}

func TestOffsetAndSort(t *testing.T) {
	env, err := listOf(t, 30, "Offset=25&Sort=ID+DESC") // "+DESC" as the guide writes it: a space
	if err != nil || !slices.Equal(env.Data, []int{5, 4, 3, 2, 1}) {
		t.Errorf("descending from offset 25 = %v, %v", env.Data, err)
	}
	env, err = listOf(t, 30, "Offset=28&sort=id")
	if err != nil || !slices.Equal(env.Data, []int{29, 30}) {
		t.Errorf("ascending from offset 28 = %v, %v", env.Data, err)
	}
}

func TestCountOnlyAndCountRecords(t *testing.T) {
	env, err := listOf(t, 152, "countOnly=1&Limit=5&Offset=3")
	if err != nil || env.Count != 152 || env.Total != 152 || env.Data == nil || len(env.Data) != 0 {
		t.Errorf("countOnly = %+v, %v; want Count 152, Data [], Total 152", env, err)
	}
	env, err = listOf(t, 152, "countrecords=1&limit=1")
	if err != nil || env.Count != 1 || len(env.Data) != 1 || env.Total != 152 {
		t.Errorf("countRecords = Count %d, Total %d, %v; want 1 and 152", env.Count, env.Total, err)
	}
}
