package logpane

// ring is the pane's scrollback: a fixed number of entries addressed by sequence number, so positions (the top
// of the view, search matches) stay valid while old entries fall off the front. It grows on demand up to its
// capacity, so an idle console does not hold a full scrollback's worth of memory.
type ring struct {
	buf      []entry
	capacity int
	start    int   // index in buf of the oldest entry once the ring is full
	first    int64 // sequence number of the oldest entry
}

// push appends e, evicting the oldest entry when the ring is full; it returns the evicted entry, if any.
func (r *ring) push(e entry) (evicted entry, ok bool) {
	if len(r.buf) < r.capacity {
		if len(r.buf) == cap(r.buf) {
			grown := make([]entry, len(r.buf), min(max(2*cap(r.buf), 256), r.capacity))
			copy(grown, r.buf)
			r.buf = grown
		}
		r.buf = append(r.buf, e)
		return entry{}, false
	}
	evicted = r.buf[r.start]
	r.buf[r.start] = e
	r.start++
	if r.start == len(r.buf) {
		r.start = 0
	}
	r.first++
	return evicted, true
}

// len is the number of entries held.
func (r *ring) len() int { return len(r.buf) }

// end is the sequence number the next entry will get.
func (r *ring) end() int64 { return r.first + int64(len(r.buf)) }

// has reports whether seq is still held.
func (r *ring) has(seq int64) bool { return seq >= r.first && seq < r.end() }

// at returns the entry with sequence number seq, which must be held.
func (r *ring) at(seq int64) *entry {
	i := r.start + int(seq-r.first)
	if i >= len(r.buf) {
		i -= len(r.buf)
	}
	return &r.buf[i]
}
