package main

import (
	"io"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/vt"
)

// screen is a virtual terminal fed with one session's output, as the
// customer's terminal would draw it. A condition armed with expect is
// checked each time output arrives, so the time it reports is when the
// bytes that made it true were read, not when someone looked.
type screen struct {
	mu   sync.Mutex
	emu  *vt.Emulator
	cond func(string) bool
	hit  chan arrival
	done bool // the output ended
}

// arrival is when a condition came true, or that the output ended
// first.
type arrival struct {
	at    time.Time
	ended bool
}

func newScreen(cols, rows int) *screen {
	return &screen{emu: vt.NewEmulator(cols, rows)}
}

// pump reads the session's output into the terminal until it ends. The
// terminal's answers to queries (a real one answers them) go to reply.
func (s *screen) pump(out io.Reader, reply io.Writer) {
	answers := s.emu.InputPipe()
	go func() { _, _ = io.Copy(reply, s.emu) }()
	buf := make([]byte, 32<<10)
	for {
		n, err := out.Read(buf)
		at := time.Now()
		if n > 0 {
			s.feed(buf[:n], at)
		}
		if err != nil {
			break
		}
	}
	s.mu.Lock()
	s.done = true
	if s.cond != nil {
		s.cond = nil
		s.hit <- arrival{at: time.Now(), ended: true}
	}
	s.mu.Unlock()
	// Ends the copy of answers (closing the emulator itself would race
	// with its reader).
	if c, ok := answers.(io.Closer); ok {
		_ = c.Close()
	}
}

func (s *screen) feed(p []byte, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = s.emu.Write(p)
	if s.cond != nil && s.cond(s.emu.String()) {
		s.cond = nil
		s.hit <- arrival{at: at}
	}
}

// expect arms cond (one at a time) and returns where its arrival will
// be told: at once when the screen already shows it or the output has
// ended.
func (s *screen) expect(cond func(string) bool) <-chan arrival {
	ch := make(chan arrival, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case cond(s.emu.String()):
		ch <- arrival{at: time.Now()}
	case s.done:
		ch <- arrival{at: time.Now(), ended: true}
	default:
		s.cond, s.hit = cond, ch
	}
	return ch
}

// disarm drops a condition that was not met in time.
func (s *screen) disarm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cond = nil
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

// showing is the condition "the screen shows every one of texts" (a
// text may wrap across lines).
func showing(texts ...string) func(string) bool {
	return func(scr string) bool {
		flat := strings.Join(strings.Fields(scr), " ")
		for _, t := range texts {
			if !strings.Contains(scr, t) && !strings.Contains(flat, t) {
				return false
			}
		}
		return true
	}
}

// lastWords is the screen's last lines of text, trimmed: why a session
// that never reached the wizard ended, as it was told.
func lastWords(scr string) string {
	var lines []string
	for l := range strings.Lines(scr) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > 2 {
		lines = lines[len(lines)-2:]
	}
	return strings.Join(lines, " ")
}
