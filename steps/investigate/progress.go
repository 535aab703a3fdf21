package investigate

import "time"

// progressEvery is the shortest time between two progress calls: enough
// for a live counter, few enough not to flood the UI.
const progressEvery = 100 * time.Millisecond

// throttle calls fn at most once per progressEvery, plus a final call.
type throttle struct {
	fn   func(Progress)
	now  func() time.Time
	last time.Time
}

// maybe calls fn with build() when the last call is old enough; build
// runs only then.
func (t *throttle) maybe(build func() Progress) {
	if t.fn == nil {
		return
	}
	now := t.now()
	if !t.last.IsZero() && now.Sub(t.last) < progressEvery {
		return
	}
	t.last = now
	t.fn(build())
}

// final always calls fn.
func (t *throttle) final(p Progress) {
	if t.fn != nil {
		t.fn(p)
	}
}
