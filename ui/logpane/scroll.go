package logpane

// pos is a row of the scrollback: a line's sequence number and a row within it (non-zero only when wrapping).
type pos struct {
	seq int64
	sub int
}

func (a pos) before(b pos) bool { return a.seq < b.seq || a.seq == b.seq && a.sub < b.sub }

// bodyHeight is the number of rows for log lines: the pane minus its title and, when shown, the footer.
func (m *Model) bodyHeight() int {
	h := m.height - 1
	if m.hasFooter() {
		h--
	}
	return max(h, 0)
}

// bottom is the top row of the view that shows the tail: the last line's last row on the pane's last body row,
// or the oldest line when everything fits.
func (m *Model) bottom(ly layout, bodyH int) pos {
	d := m.data
	left := bodyH
	for seq := d.ring.end() - 1; seq >= d.ring.first; seq-- {
		r := d.rows(ly, d.ring.at(seq))
		if r >= left {
			return pos{seq: seq, sub: r - left}
		}
		left -= r
	}
	return pos{seq: d.ring.first}
}

// viewTop is the first row the view shows: the tail when following, otherwise the remembered position, kept
// inside the scrollback and never past the tail (a resize or a wrap toggle can leave it there).
func (m *Model) viewTop(ly layout, bodyH int) pos {
	b := m.bottom(ly, bodyH)
	if m.follow {
		return b
	}
	t := m.top
	if t.seq < m.data.ring.first {
		t = pos{seq: m.data.ring.first}
	}
	if b.before(t) {
		return b
	}
	if t.sub > 0 && m.data.ring.has(t.seq) {
		t.sub = min(t.sub, m.data.rows(ly, m.data.ring.at(t.seq))-1)
	}
	return t
}

// scrollUp moves the view n rows towards older lines and stops following: the operator is reading.
func (m *Model) scrollUp(n int) {
	ly, bodyH := m.layout(), m.bodyHeight()
	t := m.viewTop(ly, bodyH)
	m.follow = false
	m.top = m.up(ly, t, n)
}

// up returns the row n rows above t, or the first row of the scrollback.
func (m *Model) up(ly layout, t pos, n int) pos {
	d := m.data
	for n > 0 {
		if t.sub > 0 {
			k := min(n, t.sub)
			t.sub -= k
			n -= k
			continue
		}
		if t.seq <= d.ring.first {
			break
		}
		t.seq--
		t.sub = d.rows(ly, d.ring.at(t.seq)) - 1
		n--
	}
	return t
}

// scrollDown moves the view n rows towards newer lines, stopping at the tail. It does not turn following back
// on; G and f do, so the operator decides when the view starts moving again.
func (m *Model) scrollDown(n int) {
	if m.follow {
		return
	}
	ly, bodyH := m.layout(), m.bodyHeight()
	t := m.viewTop(ly, bodyH)
	b := m.bottom(ly, bodyH)
	d := m.data
	for ; n > 0 && t.before(b); n-- {
		if t.sub+1 < d.rows(ly, d.ring.at(t.seq)) {
			t.sub++
		} else {
			t = pos{seq: t.seq + 1}
		}
	}
	m.top = t
}

// toTop shows the oldest line and stops following.
func (m *Model) toTop() {
	m.follow = false
	m.top = pos{seq: m.data.ring.first}
}

// toBottom shows the tail and follows it.
func (m *Model) toBottom() {
	m.follow = true
}

// setFollow turns following on (the view jumps to the tail) or off (the view stays where it is).
func (m *Model) setFollow(on bool) {
	if !on && m.follow {
		m.top = m.viewTop(m.layout(), m.bodyHeight())
	}
	m.follow = on
}

// show brings line seq into view, with some of what came before it above, unless it is already fully visible.
// Following stops: the operator is looking at something.
func (m *Model) show(seq int64) {
	d := m.data
	if !d.ring.has(seq) {
		return
	}
	ly, bodyH := m.layout(), m.bodyHeight()
	t := m.viewTop(ly, bodyH)
	m.follow = false
	m.top = t
	if m.visible(ly, bodyH, t, seq) {
		return
	}
	m.top = m.up(ly, pos{seq: seq}, bodyH/contextDivisor)
	m.top = m.viewTop(ly, bodyH)
}

// visible reports whether every row of line seq is on screen when the view starts at t.
func (m *Model) visible(ly layout, bodyH int, t pos, seq int64) bool {
	if seq < t.seq || seq == t.seq && t.sub > 0 {
		return false
	}
	d := m.data
	used := -t.sub
	for s := t.seq; s < seq; s++ {
		used += d.rows(ly, d.ring.at(s))
		if used >= bodyH {
			return false
		}
	}
	return used+d.rows(ly, d.ring.at(seq)) <= bodyH
}
