// Package timeline puts what is known of a leak in order: when a
// web-served file holding the keys last changed, who downloaded it and
// when, who searched the site, when the account started sending too much,
// what was added to the account after, and when the keys were replaced.
// Support needs a date to judge whether the leak is closed; the customer
// needs to know whether the fix came in time.
//
// Events hold facts, not sentences: a screen says them in local time, the
// report in UTC, each in the reader's language.
package timeline

import (
	"cmp"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Kind is what happened. The values are stable: the journal keeps them.
type Kind string

const (
	Published  Kind = "published"     // a web-served file with secrets last changed
	Downloaded Kind = "downloaded"    // a client's first download of an exposed file
	Probed     Kind = "probed"        // the first failed search for secret files
	Spike      Kind = "sending-spike" // the first day of abnormal sending
	Added      Kind = "added"         // something made in the account after the leak began
	Rotated    Kind = "keys-replaced" // the old secrets stopped working
)

// Event is one thing that happened, with the facts its sentence names.
type Event struct {
	At      time.Time    `json:"at"`            // UTC
	Day     bool         `json:"day,omitempty"` // only the day is known (daily statistics)
	Kind    Kind         `json:"kind"`
	Path    string       `json:"path,omitempty"` // Published, Downloaded: the file (relative to the scanned folder)
	Count   int64        `json:"count,omitempty"`
	Clients int          `json:"clients,omitempty"` // Probed: how many addresses searched
	Client  string       `json:"client_ip,omitempty"`
	Agent   string       `json:"user_agent,omitempty"`
	What    lang.Message `json:"what,omitzero"` // Added: what was added
}

// maxDownloads bounds the download events kept: the first ones tell the
// story; every download stays in the findings.
const maxDownloads = 5

// FromScan makes the events the investigation tells: for each exposed
// file that was downloaded or holds the account's keys, its file time;
// the first downloads (per file and client); and the first search for
// secret files. Paths are shown relative to root.
func FromScan(findings []investigate.Finding, root string) []Event {
	var out []Event
	downloaded := map[string]time.Time{} // first download of each file
	owned := map[string]bool{}
	probes := 0
	var firstProbe *investigate.Finding
	for i, f := range findings {
		switch {
		case f.Rule == investigate.RuleDownloaded && f.Access != nil:
			if t, ok := downloaded[f.Path]; !ok || f.Access.First.Before(t) {
				downloaded[f.Path] = f.Access.First
			}
		case f.Category == investigate.CategoryCredential && f.Owned:
			owned[f.Path] = true
		case f.Rule == investigate.RuleProbing && f.Access != nil:
			probes++
			if firstProbe == nil || f.Access.First.Before(firstProbe.Access.First) {
				firstProbe = &findings[i]
			}
		}
	}
	var dl []Event
	for _, f := range findings {
		switch {
		case f.Category == investigate.CategoryExposure && publishedAt(f, downloaded, owned):
			out = append(out, Event{At: f.Modified.UTC(), Kind: Published, Path: relative(root, f.Path)})
		case f.Rule == investigate.RuleDownloaded && f.Access != nil:
			a := f.Access
			dl = append(dl, Event{At: a.First.UTC(), Kind: Downloaded, Path: relative(root, f.Path), Count: a.Count,
				Client: a.Client, Agent: a.UserAgent})
		}
	}
	slices.SortStableFunc(dl, func(a, b Event) int { return a.At.Compare(b.At) })
	out = append(out, dl[:min(len(dl), maxDownloads)]...)
	if firstProbe != nil {
		a := firstProbe.Access
		out = append(out, Event{At: a.First.UTC(), Kind: Probed, Clients: probes, Client: a.Client, Agent: a.UserAgent})
	}
	return Sorted(out)
}

// publishedAt reports whether an exposed file's time tells when the leak
// began: it holds the account's keys or was downloaded, and it has not
// changed since it was first downloaded (then its time says nothing of
// when it was put there).
func publishedAt(f investigate.Finding, downloaded map[string]time.Time, owned map[string]bool) bool {
	if f.Modified.IsZero() {
		return false
	}
	first, took := downloaded[f.Path]
	if took {
		return !f.Modified.After(first)
	}
	return owned[f.Path] || f.Owned
}

// SpikeOn is the event of abnormal sending starting on day.
func SpikeOn(day time.Time) Event {
	return Event{At: day.UTC(), Day: true, Kind: Spike}
}

// Sorted orders events by time (a day-only event before the times of
// that day: the statistics cannot say the hour), dropping repeats and
// keeping the earliest spike only.
func Sorted(events []Event) []Event {
	out := slices.Clone(events)
	slices.SortStableFunc(out, func(a, b Event) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(order(a.Kind), order(b.Kind)))
	})
	spike := false
	return slices.DeleteFunc(slices.CompactFunc(out, func(a, b Event) bool {
		return a.Kind == b.Kind && a.At.Equal(b.At) && a.Path == b.Path && a.Client == b.Client && a.What.String() == b.What.String()
	}), func(e Event) bool {
		if e.Kind != Spike {
			return false
		}
		drop := spike
		spike = true
		return drop
	})
}

func order(k Kind) int {
	return slices.Index([]Kind{Published, Probed, Downloaded, Spike, Added, Rotated}, k)
}

// First returns the earliest event of kind k.
func First(events []Event, k Kind) (Event, bool) {
	for _, e := range Sorted(events) {
		if e.Kind == k {
			return e, true
		}
	}
	return Event{}, false
}

func relative(root, p string) string {
	if root == "" {
		return p
	}
	if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}
