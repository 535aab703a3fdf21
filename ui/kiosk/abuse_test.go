package kiosk

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/audit"
)

// TestRefusalsAreGathered: a flood from one address is one line a minute
// with its count; a flood from many addresses is at most
// maxRefusalAddrs+1 lines, and the log keeps that few addresses in
// memory.
func TestRefusalsAreGathered(t *testing.T) {
	timers := newFakeTimers()
	var mu sync.Mutex
	var posted []audit.Entry
	r := newRefusalLog(func(e audit.Entry) {
		mu.Lock()
		defer mu.Unlock()
		posted = append(posted, e)
	}, timers.afterFunc, "test")
	r.now = func() time.Time { return time.Date(2026, 3, 1, 10, 4, 5, 0, time.UTC) }
	take := func() []audit.Entry {
		mu.Lock()
		defer mu.Unlock()
		out := posted
		posted = nil
		return out
	}

	for range 1000 {
		r.note("192.0.2.66", refusedRate)
	}
	for range 5 {
		r.note("192.0.2.66", refusedWaitingAddr)
	}
	r.note("198.51.100.7", refusedFull)
	if got := take(); len(got) != 0 {
		t.Fatalf("lines before the minute is over: %+v", got)
	}
	timers.next(t, refusalWindow).fire()
	got := take()
	if len(got) != 2 {
		t.Fatalf("%d lines for two addresses: %+v", len(got), got)
	}
	if e := got[0]; e.Event != audit.EventRefused || e.Client != "192.0.2.66" || e.Count != 1005 ||
		e.Result != "rate limit, code screen places per address" ||
		e.Detail != "rate limit 1000, code screen places per address 5 in the minute from 10:04:05 UTC" || e.Version != "test" {
		t.Errorf("the flooding address's line: %+v", e)
	}
	if e := got[1]; e.Client != "198.51.100.7" || e.Count != 1 || e.Result != "kiosk full" {
		t.Errorf("the other address's line: %+v", e)
	}

	// The next minute starts with the next refusal; many addresses.
	const addrs = 10000
	for i := range addrs {
		r.note(fmt.Sprintf("10.%d.%d.%d", i>>16, (i>>8)&255, i&255), refusedConnsAddr)
	}
	r.mu.Lock()
	kept := len(r.byAddr)
	r.mu.Unlock()
	if kept > maxRefusalAddrs {
		t.Errorf("%d addresses kept in memory, at most %d allowed", kept, maxRefusalAddrs)
	}
	// The server stopping writes the pending minute at once, and its
	// timer is stopped.
	minute := timers.next(t, refusalWindow)
	r.flush()
	got = take()
	if len(got) != maxRefusalAddrs+1 {
		t.Fatalf("%d lines for %d addresses, want %d", len(got), addrs, maxRefusalAddrs+1)
	}
	if last := got[len(got)-1]; last.Client != otherAddrs || last.Count != addrs-maxRefusalAddrs {
		t.Errorf("the line for the other addresses: %+v", last)
	}
	if !minute.isStopped() {
		t.Error("the minute's timer still runs after the flush")
	}
	r.flush() // nothing pending: nothing written
	if got := take(); len(got) != 0 {
		t.Errorf("an empty flush wrote %+v", got)
	}
}
