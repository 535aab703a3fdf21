package kiosk

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// Admission: who gets a connection, a place at the access code screen,
// and a session past it. Sessions past the code (--max-sessions) and
// sessions at the code screen (--max-waiting) are counted apart, so
// people without a code can never take a customer's place; one address
// gets only a few places at the code screen (--waiting-per-address), so
// it cannot take everyone else's; and a place at the code screen lasts
// --code-screen-limit at most.
//
// An address is an IPv4 address, or an IPv6 /64 (what one customer's
// line, or one attacker, usually gets).

// Defaults of the admission limits.
const (
	DefaultWaitingPerAddress = 2
	DefaultCodeScreenLimit   = 3 * time.Minute
)

// defaultMaxWaiting is the places at the code screen for maxSessions
// sessions past it: a quarter, at least 4.
func defaultMaxWaiting(maxSessions int) int { return max(4, maxSessions/4) }

// Connections not yet past the code: an address may have a couple more
// than its places at the code screen (so the next one hears why it is
// refused), and the kiosk as many as its places twice over, plus slack.
const connSlackPerAddress = 2

func preauthLimits(maxWaiting, perAddress int) (total, addr int) {
	return 2*maxWaiting + 16, perAddress + connSlackPerAddress
}

// addrKey is the address an SSH client is counted by.
func addrKey(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if v4 := tcp.IP.To4(); v4 != nil {
		return v4.String()
	}
	return tcp.IP.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// refusal is why a connection or a session was turned away.
type refusal int

const (
	admitted           refusal = iota
	refusedRate                // too many new sessions from the address (--rate)
	refusedConnsAddr           // too many connections from the address, before any SSH
	refusedConns               // too many connections in all, before any SSH
	refusedWaitingAddr         // the address's places at the code screen are taken
	refusedWaiting             // every place at the code screen is taken
	refusedFull                // every session past the code is taken
	refusedLocked              // the address typed too many wrong codes
	numRefusals
)

// label names a refusal in the audit log (for support: English).
func (r refusal) label() string {
	return [numRefusals]string{"", "rate limit", "connections per address", "connections", "code screen places per address",
		"code screen places", "kiosk full", "wrong codes"}[r]
}

// text tells the client why, in its language; "" when the connection is
// refused before SSH can carry a word (or the gate says it itself).
func (r refusal) text(p *lang.Printer) string {
	switch r {
	case refusedRate:
		return p.T("Too many connections from your address just now. Please wait a minute and try again.")
	case refusedWaitingAddr:
		return p.T("Too many sessions from your address are already waiting for an access code.\n" +
			"Type your code in the one that is open, or close it and try again.")
	case refusedWaiting:
		return p.T("Sorry, too many people are connecting to the recovery kiosk right now.\nPlease try again in a few minutes.")
	case refusedFull:
		return p.T("Sorry, the recovery kiosk is full right now.\nPlease try again in a few minutes.")
	}
	return ""
}

// Why a ticket cannot go past the code.
var (
	errKioskFull = errors.New("every session of the kiosk is taken")
	errTimeUp    = errors.New("the time at the access code screen is over")
)

// admission counts the places taken.
type admission struct {
	maxSessions, maxWaiting, waitingPerAddr int
	maxPreauth, preauthPerAddr              int

	mu       sync.Mutex
	preauth  int // connections not past the code (in the SSH handshake, before a session, at the code screen)
	waiting  int // sessions at the code screen
	sessions int // sessions past the code
	// byAddr holds only addresses with connections not past the code, so
	// it never has more than maxPreauth entries.
	byAddr map[string]*addrLoad
}

type addrLoad struct{ preauth, waiting int }

func newAdmission(maxSessions, maxWaiting, waitingPerAddr int) *admission {
	total, perAddr := preauthLimits(maxWaiting, waitingPerAddr)
	return &admission{maxSessions: maxSessions, maxWaiting: maxWaiting, waitingPerAddr: waitingPerAddr,
		maxPreauth: total, preauthPerAddr: perAddr, byAddr: map[string]*addrLoad{}}
}

// running is the sessions at the code screen and past it.
func (a *admission) running() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.waiting + a.sessions
}

type ticketState int

const (
	ticketConnected ticketState = iota // no session yet
	ticketWaiting                      // at the code screen
	ticketExpired                      // at the code screen, its time over
	ticketAdmitted                     // past the code
	ticketLeft                         // the session ended; the connection is closing
	ticketClosed
)

// ticket is one connection's place.
type ticket struct {
	a     *admission
	addr  string
	state ticketState // under a.mu
	// preauth: the connection still counts as not past the code (under
	// a.mu).
	preauth bool
	stop    func() bool // stops the code screen's clock
}

// connect takes a place for a new connection from addr.
func (a *admission) connect(addr string) (*ticket, refusal) {
	a.mu.Lock()
	defer a.mu.Unlock()
	load := a.byAddr[addr]
	switch {
	case load != nil && load.preauth >= a.preauthPerAddr:
		return nil, refusedConnsAddr
	case a.preauth >= a.maxPreauth:
		return nil, refusedConns
	}
	if load == nil {
		load = &addrLoad{}
		a.byAddr[addr] = load
	}
	load.preauth++
	a.preauth++
	return &ticket{a: a, addr: addr, preauth: true}, admitted
}

// wait takes a place at the code screen for the connection's session.
func (t *ticket) wait() refusal {
	a := t.a
	a.mu.Lock()
	defer a.mu.Unlock()
	load := a.byAddr[t.addr]
	switch {
	case t.state != ticketConnected || load == nil:
		return refusedWaitingAddr // one session per connection: never reached
	case a.sessions >= a.maxSessions:
		return refusedFull // a code would open nothing now: say so at once
	case load.waiting >= a.waitingPerAddr:
		return refusedWaitingAddr
	case a.waiting >= a.maxWaiting:
		return refusedWaiting
	}
	load.waiting++
	a.waiting++
	t.state = ticketWaiting
	return admitted
}

// startClock ends the place at the code screen after d: then onTimeUp
// runs, once, unless the session got past the code first.
func (t *ticket) startClock(d time.Duration, afterFunc func(time.Duration, func()) func() bool, onTimeUp func()) {
	stop := afterFunc(d, func() {
		a := t.a
		a.mu.Lock()
		up := t.state == ticketWaiting
		if up {
			t.state = ticketExpired
		}
		a.mu.Unlock()
		if up {
			onTimeUp()
		}
	})
	t.a.mu.Lock()
	t.stop = stop
	t.a.mu.Unlock()
}

// admit moves the session past the code: errKioskFull when every session
// is taken, errTimeUp when its time at the code screen is over.
func (t *ticket) admit() error {
	a := t.a
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case t.state == ticketExpired:
		return errTimeUp
	case t.state != ticketWaiting:
		return errTimeUp // the session is ending: never reached
	case a.sessions >= a.maxSessions:
		return errKioskFull
	}
	a.leaveCodeScreen(t)
	a.dropPreauth(t)
	a.sessions++
	t.state = ticketAdmitted
	if t.stop != nil {
		t.stop()
	}
	return nil
}

// leave gives back the session's place when it ends.
func (t *ticket) leave() {
	a := t.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if t.stop != nil {
		t.stop()
	}
	switch t.state {
	case ticketWaiting, ticketExpired:
		a.leaveCodeScreen(t)
	case ticketAdmitted:
		a.sessions--
	default:
		return
	}
	t.state = ticketLeft
}

// close gives back everything when the connection closes.
func (t *ticket) close() {
	t.leave()
	a := t.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if t.state == ticketClosed {
		return
	}
	a.dropPreauth(t)
	t.state = ticketClosed
}

// leaveCodeScreen and dropPreauth update the counts (under a.mu).
func (a *admission) leaveCodeScreen(t *ticket) {
	a.waiting--
	if load := a.byAddr[t.addr]; load != nil {
		load.waiting--
	}
}

func (a *admission) dropPreauth(t *ticket) {
	if !t.preauth {
		return
	}
	t.preauth = false
	load := a.byAddr[t.addr]
	load.preauth--
	a.preauth--
	if load.preauth <= 0 {
		delete(a.byAddr, t.addr)
	}
}
