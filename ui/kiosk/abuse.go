package kiosk

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mjrecover/mjrecover/steps/audit"
)

// Refused connections go to the audit log gathered: one line per address
// and minute, with how many were refused and why, so a flood from one
// address writes one line a minute. Memory and lines stay bounded when
// the flood comes from many addresses too: past maxRefusalAddrs addresses
// in a minute, the rest share one line.

const (
	refusalWindow   = time.Minute
	maxRefusalAddrs = 256
	// otherAddrs is the Client of the line for the addresses past
	// maxRefusalAddrs.
	otherAddrs = "other addresses"
)

// refusalLog gathers refusals for the audit log.
type refusalLog struct {
	post      func(audit.Entry)
	afterFunc func(time.Duration, func()) func() bool
	now       func() time.Time
	version   string

	mu     sync.Mutex
	start  time.Time                    // the minute's first refusal; zero: none pending
	byAddr map[string]*[numRefusals]int // this minute's refusals, at most maxRefusalAddrs addresses
	others [numRefusals]int             // refusals from the addresses past those
	order  []string                     // byAddr's addresses, in the order they came
	stop   func() bool                  // the timer that writes this minute's lines
}

func newRefusalLog(post func(audit.Entry), afterFunc func(time.Duration, func()) func() bool, version string) *refusalLog {
	return &refusalLog{post: post, afterFunc: afterFunc, now: time.Now, version: version}
}

// note counts one refusal of addr; the minute's lines are written a minute
// after its first refusal.
func (r *refusalLog) note(addr string, why refusal) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.start.IsZero() {
		r.start = r.now()
		r.byAddr = map[string]*[numRefusals]int{}
		r.stop = r.afterFunc(refusalWindow, r.flush)
	}
	counts := r.byAddr[addr]
	if counts == nil {
		if len(r.byAddr) >= maxRefusalAddrs {
			r.others[why]++
			return
		}
		counts = &[numRefusals]int{}
		r.byAddr[addr] = counts
		r.order = append(r.order, addr)
	}
	counts[why]++
}

// flush writes the pending minute's lines (the timer's end, or the
// server's).
func (r *refusalLog) flush() {
	r.mu.Lock()
	if r.start.IsZero() {
		r.mu.Unlock()
		return
	}
	start, byAddr, others, order := r.start, r.byAddr, r.others, r.order
	r.start, r.byAddr, r.others, r.order = time.Time{}, nil, [numRefusals]int{}, nil
	if r.stop != nil {
		r.stop()
	}
	r.mu.Unlock()
	for _, addr := range order {
		r.post(r.entry(addr, byAddr[addr], start))
	}
	if total(&others) > 0 {
		r.post(r.entry(otherAddrs, &others, start))
	}
}

// entry is the line for one address's refusals in the minute from start.
func (r *refusalLog) entry(addr string, counts *[numRefusals]int, start time.Time) audit.Entry {
	var reasons, detail []string
	for why := refusal(1); why < numRefusals; why++ {
		if n := counts[why]; n > 0 {
			reasons = append(reasons, why.label())
			detail = append(detail, fmt.Sprintf("%s %d", why.label(), n))
		}
	}
	return audit.Entry{Event: audit.EventRefused, Client: addr, Count: total(counts), Result: strings.Join(reasons, ", "),
		Detail:  strings.Join(detail, ", ") + " in the minute from " + start.UTC().Format("15:04:05") + " UTC",
		Version: r.version}
}

func total(counts *[numRefusals]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
