package plain

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// heldDemo is a demo whose Mailjet answers wait, once hold is called,
// until release: a wait that lasts as long as the test wants.
type heldDemo struct {
	*demo
	holding atomic.Bool
	arrived chan struct{} // a request came while held
	release chan struct{}
	once    sync.Once
}

func newHeldDemo(t *testing.T) *heldDemo {
	d := newDemo(t)
	h := &heldDemo{demo: d, arrived: make(chan struct{}, 1), release: make(chan struct{})}
	box := d.box
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.holding.Load() {
			select {
			case h.arrived <- struct{}{}:
			default:
			}
			<-h.release
		}
		box.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(h.let)
	d.url = srv.URL
	return h
}

func (h *heldDemo) hold() { h.holding.Store(true) }
func (h *heldDemo) let()  { h.once.Do(func() { close(h.release) }) }

// A line typed while the key was being checked does not answer the next
// question: typed "quit" during the wait stops nothing.
func TestTypeAheadDuringAWaitIsDropped(t *testing.T) {
	d := newHeldDemo(t)
	cfg := d.config()
	cfg.Credentials = nil
	s := start(t, cfg)
	s.expect("API key: ")
	s.answer(sandbox.DemoMasterKey)
	s.expect("Secret key: ")
	d.hold()
	s.answer(sandbox.DemoMasterSecret)
	<-d.arrived // the wait is on
	for len(s.queued) > 0 {
		<-s.queued // the answers before
	}
	s.answer("quit") // typed during the wait
	<-s.queued       // and read during it
	d.let()
	got := s.expect("Folder to check [")
	if !strings.Contains(got, "(What you typed while mjrecover was working is not used: please answer now.)") {
		t.Errorf("the dropped line is not said:\n%s", got)
	}
	select {
	case out := <-s.done:
		t.Fatalf("the line typed during the wait ended the session: %+v", out)
	default:
	}
	// What is typed after the question is the answer.
	s.answer("quit")
	<-s.done
	if !strings.Contains(s.text(), "Stopped.") {
		t.Errorf("no goodbye:\n%s", s.text())
	}
}

// Answers typed without a wait between them are all used.
func TestTypeAheadWithoutAWaitIsKept(t *testing.T) {
	cfg := demoConfig(t)
	cfg.Credentials = nil
	s := start(t, cfg)
	s.expect("API key: ")
	s.answer(sandbox.DemoMasterKey + "\n" + "00000000000000000000000000000001") // both at once
	s.expect("Mailjet refused this API key and secret")
	s.answer("quit")
	<-s.done
}
