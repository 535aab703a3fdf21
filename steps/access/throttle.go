package access

import (
	"sync"
	"time"
)

// Throttle slows down and then stops wrong access codes from one address
// (an IP address: reconnecting does not reset it). After PerAddress wrong
// tries within Window, the address must wait until the oldest one leaves
// the window. Tries still being checked count too, up to a bound, so that
// guesses sent at once cannot slip past the limit; the bound is wide
// enough for many people behind one address opening sessions together.
//
// It is safe for concurrent use by the sessions of one server.
type Throttle struct {
	Base       time.Duration // delay before answering the first wrong try; it doubles with each one
	Max        time.Duration // longest delay
	PerAddress int           // wrong tries an address gets within Window
	Window     time.Duration
	Now        func() time.Time // time.Now when nil

	mu      sync.Mutex
	tries   map[string][]time.Time // wrong tries, oldest first
	pending map[string]int         // tries being checked now
}

// pendingFactor bounds the tries one address may have being checked at
// once, as a multiple of PerAddress.
const pendingFactor = 4

// Defaults for a Throttle's zero fields.
const (
	DefaultBase       = time.Second
	DefaultMax        = 30 * time.Second
	DefaultPerAddress = 10
	DefaultWindow     = 15 * time.Minute
)

// maxAddresses bounds the table; beyond it, addresses with nothing in the
// window are dropped.
const maxAddresses = 4096

// Attempt is one try at a code being checked: Right or Wrong ends it.
type Attempt struct {
	t     *Throttle
	addr  string
	ended bool
	n     int // wrong tries in the window, this one included, once Wrong
}

func (t *Throttle) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Throttle) perAddress() int {
	if t.PerAddress > 0 {
		return t.PerAddress
	}
	return DefaultPerAddress
}

func (t *Throttle) window() time.Duration {
	if t.Window > 0 {
		return t.Window
	}
	return DefaultWindow
}

// recent drops tries that left the window; t.mu is held.
func (t *Throttle) recent(addr string, now time.Time) []time.Time {
	list := t.tries[addr]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= t.window() {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.tries, addr)
	} else {
		t.tries[addr] = list
	}
	return list
}

// Left is how many tries addr has now, and when it has none, how long
// until it has one again.
func (t *Throttle) Left(addr string) (left int, wait time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tries == nil {
		t.tries = map[string][]time.Time{}
	}
	now := t.now()
	list := t.recent(addr, now)
	left = t.perAddress() - len(list)
	if left <= 0 {
		return 0, t.window() - now.Sub(list[len(list)-t.perAddress()])
	}
	return left, 0
}

// Try starts a try from addr. ok is false when the address has no tries
// left (wait says for how long): too many wrong ones in the window, or
// too many being checked at once.
func (t *Throttle) Try(addr string) (a *Attempt, ok bool, wait time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tries == nil {
		t.tries = map[string][]time.Time{}
	}
	if t.pending == nil {
		t.pending = map[string]int{}
	}
	now := t.now()
	if len(t.tries) > maxAddresses {
		for k := range t.tries {
			t.recent(k, now)
		}
	}
	list := t.recent(addr, now)
	switch {
	case len(list) >= t.perAddress():
		return nil, false, t.window() - now.Sub(list[len(list)-t.perAddress()])
	case len(list)+t.pending[addr] >= pendingFactor*t.perAddress():
		return nil, false, t.Delay(1)
	}
	t.pending[addr]++
	return &Attempt{t: t, addr: addr}, true, 0
}

// end takes the try off the ones being checked; t.mu is held.
func (a *Attempt) end() bool {
	if a.ended {
		return false
	}
	a.ended = true
	if a.t.pending[a.addr]--; a.t.pending[a.addr] <= 0 {
		delete(a.t.pending, a.addr)
	}
	return true
}

// Wrong counts the try as a wrong code and returns how many wrong tries
// the address made in the window, this one included.
func (a *Attempt) Wrong() int {
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if a.end() {
		now := t.now()
		t.tries[a.addr] = append(t.recent(a.addr, now), now)
		a.n = len(t.tries[a.addr])
	}
	return a.n
}

// Right ends the try without counting it: the code was right (or the
// check failed for another reason than the code).
func (a *Attempt) Right() {
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	a.end()
}

// Delay is how long to wait before answering the n-th wrong try in a
// row: Base, then twice as long each time, up to Max.
func (t *Throttle) Delay(n int) time.Duration {
	base, most := t.Base, t.Max
	if base <= 0 {
		base = DefaultBase
	}
	if most <= 0 {
		most = DefaultMax
	}
	if n <= 0 {
		return 0
	}
	d := base
	for i := 1; i < n && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}
