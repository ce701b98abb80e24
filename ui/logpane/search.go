package logpane

import "sort"

// search is the current search: the term, the sequence numbers of the lines that hold it (oldest first), and
// which of them is the current match. Hits are kept as sequence numbers so they stay right while old lines fall
// off the scrollback; the ones that fell off are pruned.
type search struct {
	term string
	m    matcher
	hits []int64
	// cur indexes hits; -1 means "before the first hit": no hit chosen yet, or the chosen one fell off the
	// scrollback (every remaining hit is newer than it).
	cur int
}

// matches reports whether e holds the term in its source, step, message number (as shown: "Msg 3201", "[3211]")
// or text.
func (s *search) matches(e *entry) bool {
	l := &e.line
	return s.m.contains(l.Text) || s.m.contains(l.Source) || s.m.contains(l.Step) ||
		l.Number != 0 && s.m.contains(numberLabel(l.Kind, l.Number))
}

// run starts a search for term over the whole scrollback (an empty term clears the search).
func (s *search) run(term string, r *ring) {
	*s = search{term: term, m: newMatcher(term), cur: -1, hits: s.hits[:0]}
	if s.m.empty() {
		s.hits = nil
		return
	}
	for seq := r.first; seq < r.end(); seq++ {
		if s.matches(r.at(seq)) {
			s.hits = append(s.hits, seq)
		}
	}
}

// active reports whether there is a search term.
func (s *search) active() bool { return !s.m.empty() }

// prune forgets hits older than first.
func (s *search) prune(first int64) {
	k := 0
	for k < len(s.hits) && s.hits[k] < first {
		k++
	}
	if k == 0 {
		return
	}
	s.hits = s.hits[k:]
	s.cur -= k
	if s.cur < 0 {
		s.cur = -1
	}
}

// current returns the sequence number of the current match, if there is one.
func (s *search) current() (int64, bool) {
	if s.cur < 0 || s.cur >= len(s.hits) {
		return 0, false
	}
	return s.hits[s.cur], true
}

// isCurrent reports whether seq is the current match.
func (s *search) isCurrent(seq int64) bool {
	c, ok := s.current()
	return ok && c == seq
}

// first chooses the first hit at or after seq, wrapping to the oldest hit; it reports whether it wrapped.
func (s *search) first(seq int64) (wrapped bool) {
	i := sort.Search(len(s.hits), func(i int) bool { return s.hits[i] >= seq })
	if i == len(s.hits) {
		i, wrapped = 0, true
	}
	s.cur = i
	return wrapped
}

// step moves to the next (dir > 0) or previous hit, wrapping at either end; it reports whether it wrapped.
func (s *search) step(dir int) (wrapped bool) {
	n := len(s.hits)
	if n == 0 {
		return false
	}
	if dir > 0 {
		s.cur++
		if s.cur >= n {
			s.cur, wrapped = 0, true
		}
		return wrapped
	}
	s.cur--
	if s.cur < 0 {
		s.cur, wrapped = n-1, true
	}
	return wrapped
}
