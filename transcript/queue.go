package transcript

// queue is the Sink's bounded FIFO of lines for the UI: a ring that grows on demand up to its limit, then
// overwrites its oldest line, so memory stays bounded however far the UI falls behind.
type queue struct {
	buf   []Line
	head  int // index of the oldest line in buf
	n     int
	limit int
}

// push appends lines, dropping the oldest queued ones once the limit is reached, and returns how many it dropped.
func (q *queue) push(lines []Line) (dropped int) {
	if len(lines) > q.limit {
		// Lines that would be overwritten within this same batch never need to be copied in.
		dropped = len(lines) - q.limit
		lines = lines[dropped:]
	}
	for _, l := range lines {
		switch {
		case q.n < len(q.buf):
			q.buf[(q.head+q.n)%len(q.buf)] = l
			q.n++
		case len(q.buf) < q.limit:
			q.grow()
			q.buf[(q.head+q.n)%len(q.buf)] = l
			q.n++
		default:
			q.buf[q.head] = l
			q.head = (q.head + 1) % len(q.buf)
			dropped++
		}
	}
	return dropped
}

func (q *queue) grow() {
	size := min(max(2*len(q.buf), 64), q.limit)
	buf := make([]Line, size)
	q.copyOut(buf[:q.n])
	q.buf, q.head = buf, 0
}

// pop removes and returns up to limit of the oldest lines (all of them when limit <= 0).
func (q *queue) pop(limit int) []Line {
	k := q.n
	if limit > 0 && limit < k {
		k = limit
	}
	if k == 0 {
		return nil
	}
	out := make([]Line, k)
	q.copyOut(out)
	// Clear the slots so the queue does not keep the texts of lines the UI already has alive.
	for i := 0; i < k; i++ {
		q.buf[(q.head+i)%len(q.buf)] = Line{}
	}
	q.head = (q.head + k) % len(q.buf)
	q.n -= k
	return out
}

// copyOut copies the oldest len(dst) lines into dst without removing them.
func (q *queue) copyOut(dst []Line) {
	if len(dst) == 0 {
		return
	}
	first := copy(dst, q.buf[q.head:min(q.head+len(dst), len(q.buf))])
	copy(dst[first:], q.buf[:len(dst)-first])
}
