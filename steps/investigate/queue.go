package investigate

import (
	"sync"
	"sync/atomic"
)

// handle is an open folder shared by the tasks that need it: the folder's
// own listing, its file batches and its subfolders' opening. The last
// release closes it.
type handle struct {
	f    folder
	refs atomic.Int32
}

func newHandle(f folder) *handle {
	h := &handle{f: f}
	h.refs.Store(1)
	return h
}

func (h *handle) acquire() *handle {
	h.refs.Add(1)
	return h
}

func (h *handle) release() {
	if h.refs.Add(-1) == 0 {
		h.f.close() // read-only: nothing to lose on a close error
	}
}

// task is a unit of work: list a folder, or read a batch of its files.
type task struct {
	tree   int
	rel    string  // slash path of the folder inside its tree ("." for the top)
	parent *handle // a folder to list: its open parent (nil: the tree's top)
	dir    *handle // a file batch: the open folder holding the files
	files  []string
	// backupPlace: the folder above rel, or one above it, is web-served
	// or holds uploads or backups, so every archive below is opened
	// (archive_choice.go).
	backupPlace bool
}

func (t task) release() {
	if t.parent != nil {
		t.parent.release()
	}
	if t.dir != nil {
		t.dir.release()
	}
}

// queue hands tasks to the workers, last in first out: a depth-first order
// keeps few folders open at once. Workers stop when no task is queued or
// running, or when the queue is stopped (the scan was cancelled).
type queue struct {
	mu      sync.Mutex
	wake    sync.Cond
	tasks   []task
	pending int // pushed and not done
	stopped bool
}

func newQueue() *queue {
	q := &queue{}
	q.wake.L = &q.mu
	return q
}

func (q *queue) push(t task) {
	q.mu.Lock()
	if q.stopped {
		q.mu.Unlock()
		t.release()
		return
	}
	q.tasks = append(q.tasks, t)
	q.pending++
	q.mu.Unlock()
	q.wake.Signal()
}

// pop waits for a task; ok is false when there is no more work.
func (q *queue) pop() (t task, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.tasks) == 0 && q.pending > 0 && !q.stopped {
		q.wake.Wait()
	}
	if q.stopped || len(q.tasks) == 0 {
		return task{}, false
	}
	last := len(q.tasks) - 1
	t = q.tasks[last]
	q.tasks[last] = task{}
	q.tasks = q.tasks[:last]
	return t, true
}

// done marks a popped task finished.
func (q *queue) done() {
	q.mu.Lock()
	q.pending--
	idle := q.pending == 0
	q.mu.Unlock()
	if idle {
		q.wake.Broadcast()
	}
}

// stop ends the work early and releases the folders of unstarted tasks.
func (q *queue) stop() {
	q.mu.Lock()
	q.stopped = true
	left := q.tasks
	q.tasks = nil
	q.mu.Unlock()
	q.wake.Broadcast()
	for _, t := range left {
		t.release()
	}
}
