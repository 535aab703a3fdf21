package access

import (
	"context"
	"errors"
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
// The wrong tries are kept in Attempts: in memory when it is nil (one
// kiosk host), or in a store the kiosk hosts share (steps/kioskstore), so
// that an address that tried too many codes through one host waits on all
// of them. The tries being checked are this host's own business.
//
// It is safe for concurrent use by the sessions of one server.
type Throttle struct {
	Base       time.Duration // delay before answering the first wrong try; it doubles with each one
	Max        time.Duration // longest delay
	PerAddress int           // wrong tries an address gets within Window
	Window     time.Duration
	// Attempts keeps the wrong tries (nil: this process's memory).
	Attempts Attempts
	// Now is the clock of the memory's tries (time.Now when nil); a shared
	// Attempts has its own.
	Now func() time.Time

	mu      sync.Mutex
	memory  *memoryAttempts
	pending map[string]int // tries being checked now
}

// Attempts keeps the wrong tries of each address, by scope (ScopeCode).
type Attempts interface {
	// AddAttempt counts a try by address in scope now, and returns the
	// tries within window of now (this one included), oldest first.
	AddAttempt(ctx context.Context, scope, address string, window time.Duration) ([]time.Time, error)
	// Attempts are the tries by address in scope within window of now,
	// oldest first.
	Attempts(ctx context.Context, scope, address string, window time.Duration) ([]time.Time, error)
	// Now is the clock the tries are counted by (to say how long an
	// address waits).
	Now() time.Time
}

// ScopeCode is the scope of wrong access codes in Attempts.
const ScopeCode = "code"

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

// maxAddresses bounds the memory's table; beyond it, addresses with
// nothing in the window are dropped.
const maxAddresses = 4096

// Attempt is one try at a code being checked: Right or Wrong ends it.
type Attempt struct {
	t     *Throttle
	addr  string
	ended bool
	n     int // wrong tries in the window, this one included, once Wrong
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

// attempts is where the wrong tries are kept.
func (t *Throttle) attempts() Attempts {
	if t.Attempts != nil {
		return t.Attempts
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.memory == nil {
		t.memory = &memoryAttempts{now: t.Now, tries: map[string][]time.Time{}}
	}
	return t.memory
}

// waitFor is how long an address with the wrong tries list (oldest first,
// within the window) waits for its next try: 0 when it has one.
func (t *Throttle) waitFor(list []time.Time, now time.Time) time.Duration {
	if len(list) < t.perAddress() {
		return 0
	}
	return max(t.window()-now.Sub(list[len(list)-t.perAddress()]), time.Second)
}

// Left is how many tries addr has now, and when it has none, how long
// until it has one again.
func (t *Throttle) Left(ctx context.Context, addr string) (left int, wait time.Duration, err error) {
	at := t.attempts()
	list, err := at.Attempts(ctx, ScopeCode, addr, t.window())
	if err != nil {
		return 0, 0, err
	}
	if wait := t.waitFor(list, at.Now()); wait > 0 {
		return 0, wait, nil
	}
	return t.perAddress() - len(list), 0, nil
}

// ErrBusy: the address has too many codes being checked at once (many
// people behind one address, or one script); not a wrong code, so not
// a lockout: the try may come again a moment later.
var ErrBusy = errors.New("too many codes from this address are being checked at once")

// Try starts a try from addr. ok is false when the address has no tries
// left (wait says for how long) because of too many wrong ones in the
// window; err is ErrBusy (with wait) when too many are being checked at
// once.
func (t *Throttle) Try(ctx context.Context, addr string) (a *Attempt, ok bool, wait time.Duration, err error) {
	at := t.attempts()
	list, err := at.Attempts(ctx, ScopeCode, addr, t.window())
	if err != nil {
		return nil, false, 0, err
	}
	if wait := t.waitFor(list, at.Now()); wait > 0 {
		return nil, false, wait, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending == nil {
		t.pending = map[string]int{}
	}
	if len(list)+t.pending[addr] >= pendingFactor*t.perAddress() {
		return nil, false, t.Delay(1), ErrBusy
	}
	t.pending[addr]++
	return &Attempt{t: t, addr: addr}, true, 0, nil
}

// end takes the try off the ones being checked.
func (a *Attempt) end() bool {
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if a.ended {
		return false
	}
	a.ended = true
	if t.pending[a.addr]--; t.pending[a.addr] <= 0 {
		delete(t.pending, a.addr)
	}
	return true
}

// Wrong counts the try as a wrong code and returns how many wrong tries
// the address made in the window, this one included.
func (a *Attempt) Wrong(ctx context.Context) (int, error) {
	if !a.end() {
		return a.n, nil
	}
	list, err := a.t.attempts().AddAttempt(ctx, ScopeCode, a.addr, a.t.window())
	if err != nil {
		return 0, err
	}
	a.n = len(list)
	return a.n, nil
}

// Right ends the try without counting it: the code was right (or the
// check failed for another reason than the code).
func (a *Attempt) Right() { a.end() }

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

// memoryAttempts keeps tries in this process, for one kiosk host.
type memoryAttempts struct {
	now   func() time.Time
	mu    sync.Mutex
	tries map[string][]time.Time // by scope and address, oldest first
}

func (m *memoryAttempts) Now() time.Time {
	if m.now != nil {
		return m.now()
	}
	return time.Now()
}

func (m *memoryAttempts) AddAttempt(_ context.Context, scope, address string, window time.Duration) ([]time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.Now()
	if len(m.tries) > maxAddresses {
		for k := range m.tries {
			m.recent(k, now, window)
		}
	}
	k := scope + "\x00" + address
	m.tries[k] = append(m.recent(k, now, window), now)
	return append([]time.Time(nil), m.tries[k]...), nil
}

func (m *memoryAttempts) Attempts(_ context.Context, scope, address string, window time.Duration) ([]time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]time.Time(nil), m.recent(scope+"\x00"+address, m.Now(), window)...), nil
}

// recent drops the tries of k that left the window; m.mu is held.
func (m *memoryAttempts) recent(k string, now time.Time, window time.Duration) []time.Time {
	list := m.tries[k]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(m.tries, k)
	} else {
		m.tries[k] = list
	}
	return list
}
