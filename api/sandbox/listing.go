package sandbox

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Every GET on a collection goes through serveList, so every resource
// follows Mailjet's listing rules the same way (the sources are cited in
// listing_test.go):
//
//   - Filter names are case-insensitive; only the first occurrence of a
//     filter counts; unknown filters are ignored.
//   - Count and Total are both the number of records in the page, not the
//     number that match. countRecords=1 makes Total the number that match
//     (a 2020 recording); countOnly=1 answers only that number, with no
//     records.
//   - Limit is 10 by default and at most 1000; Limit=0 means 1000.
//     Offset skips records.
//   - Sort=Prop sorts ascending, Sort=Prop DESC descending, on the
//     properties the resource offers (sortKeys).
//
// Bad values (no source says what Mailjet does with Limit=abc or
// Offset=-1): the sandbox answers 400 "Invalid value for filter Limit",
// as it does for a bad boolean filter, so a client that builds a broken
// query finds out instead of getting a page it did not ask for. The same
// goes for a Sort on a property the resource does not sort on: Mailjet
// says only that Sort "does not work with all properties"; ignoring it
// would hand the client an order it did not ask for, and a client that
// pages by a sort it believes in would then skip or repeat records.

const (
	defaultLimit = 10
	maxLimit     = 1000
)

// query is a request's filters: the lower-cased name of each filter and
// the value of its first occurrence.
type query map[string]string

// filtersOf reads r's query string in order, so that the first occurrence
// of a filter wins whatever the case of its name ("Limit=5&limit=7" is
// Limit 5). A value that is not valid URL escaping is kept as sent, so a
// filter that parses it fails loudly rather than being skipped.
func filtersOf(r *http.Request) query {
	q := query{}
	raw := r.URL.RawQuery
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		name, value, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		key := strings.ToLower(strings.TrimSpace(name))
		if _, seen := q[key]; key != "" && !seen {
			q[key] = value
		}
	}
	return q
}

// get returns the value of filter name ("" when absent).
func (q query) get(name string) string { return strings.TrimSpace(q[strings.ToLower(name)]) }

// boolean reads a true/false filter (1/0 too); nil when absent.
func (q query) boolean(name string) (*bool, error) {
	v := q.get(name)
	if v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(strings.ToLower(v))
	if err != nil {
		return nil, errParam(name)
	}
	return &b, nil
}

// count reads a non-negative integer filter; def when absent.
func (q query) count(name string, def int) (int, error) {
	v := q.get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errParam(name)
	}
	return n, nil
}

type errParam string

func (e errParam) Error() string { return "Invalid value for filter " + string(e) }

// filterFunc builds a resource's predicate from its own filters, or says
// which filter has a bad value. nil matches every record.
type filterFunc[J any] func(q query) (func(J) bool, error)

// sortKeys are the properties a resource sorts on, by lower-cased name.
type sortKeys[J any] map[string]func(a, b J) int

// by returns a comparison of the property get returns.
func by[J any, V cmp.Ordered](get func(J) V) func(a, b J) int {
	return func(a, b J) int { return cmp.Compare(get(a), get(b)) }
}

// serveList answers GET on a collection. records are every record the
// caller may see, in ID order; filter and sorts are the resource's.
func serveList[J any](w http.ResponseWriter, r *http.Request, records []J, filter filterFunc[J], sorts sortKeys[J]) {
	env, err := listPage(filtersOf(r), records, filter, sorts)
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, env)
}

// listPage applies the filters, then the listing rules, to records.
func listPage[J any](q query, records []J, filter filterFunc[J], sorts sortKeys[J]) (envelope[J], error) {
	countOnly, err := q.boolean("countOnly")
	if err != nil {
		return envelope[J]{}, err
	}
	countRecords, err := q.boolean("countRecords")
	if err != nil {
		return envelope[J]{}, err
	}
	limit, err := q.count("Limit", defaultLimit)
	if err != nil {
		return envelope[J]{}, err
	}
	if limit == 0 || limit > maxLimit {
		limit = maxLimit
	}
	offset, err := q.count("Offset", 0)
	if err != nil {
		return envelope[J]{}, err
	}
	order, err := sortOrder(q.get("Sort"), sorts)
	if err != nil {
		return envelope[J]{}, err
	}
	matching := records
	if filter != nil {
		match, err := filter(q)
		if err != nil {
			return envelope[J]{}, err
		}
		matching = nil
		for _, rec := range records {
			if match(rec) {
				matching = append(matching, rec)
			}
		}
	}
	if countOnly != nil && *countOnly {
		return envelope[J]{Count: len(matching), Data: []J{}, Total: len(matching)}, nil
	}
	if order != nil {
		matching = slices.Clone(matching)
		slices.SortStableFunc(matching, order)
	}
	p := matching[min(offset, len(matching)):]
	p = slices.Clip(p[:min(limit, len(p))])
	if p == nil {
		p = []J{}
	}
	env := envelope[J]{Count: len(p), Data: p, Total: len(p)}
	if countRecords != nil && *countRecords {
		env.Total = len(matching)
	}
	return env, nil
}

// sortOrder reads Sort: "Prop" or "Prop DESC" ("Prop+DESC" in a URL).
// nil when absent.
func sortOrder[J any](v string, sorts sortKeys[J]) (func(a, b J) int, error) {
	if v == "" {
		return nil, nil
	}
	fields := strings.Fields(v)
	if len(fields) > 2 || (len(fields) == 2 && !strings.EqualFold(fields[1], "DESC")) {
		return nil, errParam("Sort")
	}
	compare, ok := sorts[strings.ToLower(fields[0])]
	if !ok {
		return nil, errParam("Sort")
	}
	if len(fields) == 2 {
		return func(a, b J) int { return compare(b, a) }, nil
	}
	return compare, nil
}
