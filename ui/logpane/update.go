package logpane

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Update handles keys while the pane has focus. Batches of lines do not come through Update: the root calls
// Append with each LinesMsg and runs Listen again.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.ensure()
	if !m.focused {
		return m, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if m.prompting {
			return m.updatePrompt(k)
		}
		m.status, m.statusBad = "", false
		m.handleKey(k)
		return m, nil
	}
	if m.prompting {
		// Pastes and the input's own messages.
		var cmd tea.Cmd
		m.prompt, cmd = m.prompt.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) handleKey(k tea.KeyPressMsg) {
	page := max(m.bodyHeight(), 1)
	switch km := m.keys; {
	case key.Matches(k, km.Up):
		m.scrollUp(1)
	case key.Matches(k, km.Down):
		m.scrollDown(1)
	case key.Matches(k, km.PageUp):
		m.scrollUp(page)
	case key.Matches(k, km.PageDown):
		m.scrollDown(page)
	case key.Matches(k, km.HalfUp):
		m.scrollUp(max(page/2, 1))
	case key.Matches(k, km.HalfDown):
		m.scrollDown(max(page/2, 1))
	case key.Matches(k, km.Top):
		m.toTop()
	case key.Matches(k, km.Bottom):
		m.toBottom()
	case key.Matches(k, km.Follow):
		m.setFollow(!m.follow)
	case key.Matches(k, km.Wrap):
		m.toggleWrap()
	case key.Matches(k, km.Search):
		m.openPrompt()
	case key.Matches(k, km.Next):
		m.nextMatch(1)
	case key.Matches(k, km.Prev):
		m.nextMatch(-1)
	}
}

func (m Model) updatePrompt(k tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Submit):
		term := m.prompt.Value()
		m.closePrompt()
		m.runSearch(term)
		return m, nil
	case key.Matches(k, m.keys.CancelSearch):
		m.closePrompt()
		return m, nil
	}
	var cmd tea.Cmd
	m.prompt, cmd = m.prompt.Update(k)
	return m, cmd
}

// toggleWrap switches wrapping, keeping the line at the top of the view where it is.
func (m *Model) toggleWrap() {
	if !m.follow {
		m.top = pos{seq: m.viewTop(m.layout(), m.bodyHeight()).seq}
	}
	m.wrap = !m.wrap
}

// runSearch searches the scrollback for term and shows the first match at or below the top of the view,
// wrapping to the oldest match. An empty term clears the search.
func (m *Model) runSearch(term string) {
	s := &m.data.search
	s.run(term, &m.data.ring)
	if !s.active() {
		return
	}
	if len(s.hits) == 0 {
		m.setStatus("no match for "+strconv.Quote(term), true)
		return
	}
	top := m.viewTop(m.layout(), m.bodyHeight())
	if s.first(top.seq) {
		m.setStatus("search wrapped", false)
	}
	seq, _ := s.current()
	m.show(seq)
}

// nextMatch moves to the next (dir > 0) or previous match.
func (m *Model) nextMatch(dir int) {
	s := &m.data.search
	if !s.active() {
		return
	}
	if len(s.hits) == 0 {
		m.setStatus("no match for "+strconv.Quote(s.term), true)
		return
	}
	if s.step(dir) {
		m.setStatus("search wrapped", false)
	}
	seq, _ := s.current()
	m.show(seq)
}

func (m *Model) setStatus(msg string, bad bool) {
	m.status, m.statusBad = msg, bad
}
