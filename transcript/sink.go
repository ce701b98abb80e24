package transcript

import (
	"context"
	"sync"
)

// DefaultKeep is how many lines a Sink queues for a UI that has fallen behind when NewSink is given no limit. It
// matches the log pane's default scrollback: lines beyond that would fall off the pane anyway.
const DefaultKeep = 10000

// Sink fans lines out to the log file and to a queue the UI drains. The file write happens synchronously in the
// producer's goroutine, so a line is on disk before Write returns; the queue never blocks a producer: when the UI
// falls more than keep lines behind, the oldest queued lines are dropped from the queue only (they are in the file)
// and counted, so the pane can say how many it skipped. Sink is safe for concurrent producers; lines from one
// producer keep their order, and the queue holds lines in the same order as the file.
type Sink struct {
	file *File

	// order is held across the file write and the enqueue, so the file and the pane agree on the order of lines
	// from different producers. Receive never takes it, so a slow disk delays producers but never the UI.
	order sync.Mutex

	mu      sync.Mutex
	q       queue
	dropped int
	closed  bool
	err     error

	ready     chan struct{} // holds a token when lines may be queued; capacity 1, so Write never blocks on it
	done      chan struct{} // closed by Close
	closeOnce sync.Once
}

// NewSink returns a Sink writing to f, queueing at most keep lines for the UI (DefaultKeep when keep <= 0). f may
// be nil: then nothing is written to disk (tests, or a console started without a log file).
func NewSink(f *File, keep int) *Sink {
	if keep <= 0 {
		keep = DefaultKeep
	}
	return &Sink{
		file:  f,
		q:     queue{limit: keep},
		ready: make(chan struct{}, 1),
		done:  make(chan struct{}),
	}
}

// Write records lines in the file and queues them for the UI. It returns once the file write is done and never
// waits for the UI. A file error is kept for Err and does not stop the lines reaching the UI; after Close, lines
// still go to the file but are no longer queued.
func (s *Sink) Write(lines ...Line) {
	if s == nil || len(lines) == 0 {
		return
	}
	s.order.Lock()
	var err error
	if s.file != nil {
		err = s.file.Write(lines)
	}
	s.mu.Lock()
	if err != nil && s.err == nil {
		s.err = err
	}
	queued := !s.closed
	if queued {
		s.dropped += s.q.push(lines)
	}
	s.mu.Unlock()
	s.order.Unlock()
	if queued {
		select {
		case s.ready <- struct{}{}:
		default:
		}
	}
}

// Receive blocks until at least one line is queued, then returns the queued lines, oldest first, up to maxLines
// of them (all when maxLines <= 0), and how many lines were dropped from the queue since the previous Receive; the
// dropped lines came before the returned ones. It returns ok false when ctx is done, or when the sink is closed
// and nothing is left in the queue. A nil ctx waits without a deadline.
func (s *Sink) Receive(ctx context.Context, maxLines int) (lines []Line, dropped int, ok bool) {
	if s == nil {
		return nil, 0, false
	}
	var ctxDone <-chan struct{}
	if ctx != nil {
		ctxDone = ctx.Done()
	}
	for {
		s.mu.Lock()
		if s.q.n > 0 {
			lines = s.q.pop(maxLines)
			dropped, s.dropped = s.dropped, 0
			s.mu.Unlock()
			return lines, dropped, true
		}
		closed := s.closed
		s.mu.Unlock()
		if closed {
			return nil, 0, false
		}
		select {
		case <-s.ready:
		case <-s.done:
		case <-ctxDone:
			return nil, 0, false
		}
	}
}

// Close stops queueing and wakes every Receive; lines already queued can still be received. It does not close the
// File, which belongs to whoever opened it. Closing twice is harmless.
func (s *Sink) Close() {
	if s == nil {
		return
	}
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		close(s.done)
	})
}

// Err returns the first error writing the log file, if any. The console keeps running without its file (the
// operator still sees every line in the pane), but it must say so, because the record is incomplete.
func (s *Sink) Err() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
