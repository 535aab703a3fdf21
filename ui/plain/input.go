package plain

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/term"
)

// input reads the answers, one line each, in one of two ways:
//
//   - without hidden (a pipe, a script, a test), a goroutine reads every
//     line as it comes and stamps it with the time it came;
//   - with hidden (a terminal, where hidden reads secrets without echo), a
//     line is read only when a question asks for one, so that hidden has
//     the terminal to itself.
//
// Either way, what was typed while mjrecover was busy (type-ahead) does
// not answer the question that follows: stamped lines from before the
// wait's end are dropped, and a terminal's pending input is thrown away.
type input struct {
	src    io.Reader
	br     *bufio.Reader
	out    io.Writer
	hidden func() (string, error)
	ctx    context.Context
	asked  chan bool // on demand: one read per question (true: a secret)

	mu    sync.Mutex
	queue []lineMsg     // read, not yet taken
	ready chan struct{} // a line was queued

	waitEnd time.Time // the end of the last wait: lines from before it are type-ahead
	waited  bool      // a wait ended since the last question
	queued  func()    // nil, or hears each line once it is queued (tests)
}

type lineMsg struct {
	text string
	err  error
	at   time.Time // when it was read
}

func newInput(ctx context.Context, src io.Reader, out io.Writer, hidden func() (string, error), queued func()) *input {
	in := &input{src: src, br: bufio.NewReader(src), out: out, hidden: hidden, ctx: ctx,
		asked: make(chan bool), ready: make(chan struct{}, 1), queued: queued}
	if hidden == nil {
		go in.readAll()
	} else {
		go in.readAsked()
	}
	return in
}

// readAll reads every line as it comes.
func (in *input) readAll() {
	for {
		text, err := in.br.ReadString('\n')
		now := time.Now()
		if text != "" || err == nil {
			in.push(lineMsg{text: strings.TrimRight(text, "\r\n"), at: now})
		}
		if err != nil {
			in.push(lineMsg{err: err, at: now})
			return
		}
	}
}

// readAsked reads a line each time one is asked for: secrets through
// hidden.
func (in *input) readAsked() {
	for {
		var secretLine bool
		select {
		case secretLine = <-in.asked:
		case <-in.ctx.Done():
			return
		}
		var text string
		var err error
		if secretLine {
			text, err = in.hidden()
			fmt.Fprintln(in.out)
		} else {
			text, err = in.br.ReadString('\n')
			if err == io.EOF && text != "" {
				err = nil
			}
		}
		in.push(lineMsg{text: strings.TrimRight(text, "\r\n"), err: err, at: time.Now()})
	}
}

func (in *input) push(l lineMsg) {
	in.mu.Lock()
	in.queue = append(in.queue, l)
	in.mu.Unlock()
	select {
	case in.ready <- struct{}{}:
	default:
	}
	if in.queued != nil {
		in.queued()
	}
}

// waitEnded marks the end of a wait: what was typed until now answers
// nothing.
func (in *input) waitEnded() { in.waitEnd, in.waited = time.Now(), true }

// stale: a line typed before the last wait ended (an error, the end of
// the input, is never stale).
func (in *input) stale(l lineMsg) bool { return l.err == nil && l.at.Before(in.waitEnd) }

// dropTypeAhead throws away what was typed during the wait that just
// ended (if one did), before the next question is asked; it reports
// whether there was anything.
func (in *input) dropTypeAhead() bool {
	if !in.waited {
		return false
	}
	in.waited = false
	if in.hidden == nil {
		in.mu.Lock()
		defer in.mu.Unlock()
		kept := in.queue[:0]
		for _, l := range in.queue {
			if !in.stale(l) {
				kept = append(kept, l)
			}
		}
		dropped := len(kept) < len(in.queue)
		in.queue = kept
		return dropped
	}
	// On demand, nothing is being read now: what waits is in the reader's
	// buffer, and in the terminal's.
	dropped := false
	if n := in.br.Buffered(); n > 0 {
		_, _ = in.br.Discard(n)
		dropped = true
	}
	return flushTerminal(in.src) || dropped
}

// ask starts the read of the next answer (on demand; the other way every
// line is read anyway).
func (in *input) ask(secretLine bool) bool {
	if in.hidden == nil {
		return true
	}
	select {
	case in.asked <- secretLine:
		return true
	case <-in.ctx.Done():
		return false
	}
}

// take returns the next line read that is not type-ahead, if there is one.
func (in *input) take() (lineMsg, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for len(in.queue) > 0 {
		l := in.queue[0]
		in.queue = in.queue[1:]
		if !in.stale(l) {
			return l, true
		}
	}
	return lineMsg{}, false
}

// flushTerminal throws away the input a terminal holds that nobody read
// yet, and reports whether there was any. It does nothing on what is not
// a terminal.
func flushTerminal(r io.Reader) bool {
	sc, ok := r.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	dropped := false
	_ = raw.Control(func(fd uintptr) {
		if term.IsTerminal(int(fd)) {
			dropped = flushInput(fd)
		}
	})
	return dropped
}
