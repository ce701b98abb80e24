package checklist

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"pcfailback/runbook"
	"pcfailback/transcript"
)

// viewCache keeps the last rendered pane until something it depends on changes.
type viewCache struct {
	key viewKey
	out string
	ok  bool
}

// viewKey is everything the pane's rendering depends on; gen changes with every SetItems.
type viewKey struct {
	gen                           uint64
	cursor, offset, width, height int
	focused                       bool
}

// rows is how many steps fit under the title and above the selected step's detail.
func (m *Model) rows() int { return max(1, m.height-1-len(m.detail())) }

// scrollToCursor keeps the cursor's row in view, moving the window as little as possible. It runs when the
// cursor, the rows or the size change — not when drawing, which works on a copy and would forget the window.
func (m *Model) scrollToCursor() {
	rows := m.rows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = max(0, min(m.offset, len(m.items)-rows))
}

// View renders the pane in exactly width × height cells: a title, the rows, and the selected step's reason.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	key := viewKey{gen: m.gen, cursor: m.cursor, offset: m.offset, width: m.width, height: m.height, focused: m.focused}
	if m.cache != nil && m.cache.ok && m.cache.key == key {
		return m.cache.out
	}
	out := m.render()
	if m.cache != nil {
		*m.cache = viewCache{key: key, out: out, ok: true}
	}
	return out
}

func (m *Model) render() string {
	title := m.st.Title
	if m.focused {
		title = m.st.TitleFocused
	}
	done := 0
	for _, it := range m.items {
		if it.Display.Label == "done" || it.Display.Label == "skipped" {
			done++
		}
	}
	lines := []string{title.Width(m.width).Render(ansi.Truncate(fmt.Sprintf("▌Checklist %d/%d", done, len(m.items)), m.width, "…"))}
	detail := m.detail()
	rows := m.rows()
	for i := m.offset; i < len(m.items) && i < m.offset+rows; i++ {
		lines = append(lines, m.row(i))
	}
	for len(lines) < m.height-len(detail) {
		lines = append(lines, "")
	}
	lines = append(lines, detail...)
	for i, l := range lines {
		// Cut, then pad: a style's Width would wrap a row too long for a tiny pane onto extra lines.
		l = ansi.Truncate(l, m.width, "")
		if n := ansi.StringWidth(l); n < m.width {
			l += strings.Repeat(" ", m.width-n)
		}
		lines[i] = l
	}
	return strings.Join(lines[:min(len(lines), m.height)], "\n")
}

// state renders a step's state with its glyph and word, never colour alone.
func (m Model) state(d runbook.Display) string {
	switch d.Label {
	case "blocked":
		return m.st.Warn.Render("⊘ blocked")
	case "ready":
		return m.st.Accent.Render("○ ready")
	case "running":
		if d.Progress >= 0 {
			return m.st.Info.Render("▶ " + bar(d.Progress, 8) + fmt.Sprintf(" %3d%%", int(d.Progress*100)))
		}
		return m.st.Info.Render("▶ running")
	case "verifying":
		return m.st.Info.Render("… verifying")
	case "done":
		return m.st.Good.Render("✓ done")
	case "failed":
		return m.st.Bad.Render("✗ FAILED")
	case "skipped":
		return m.st.Muted.Render("↷ skipped")
	}
	return d.Label
}

func bar(p float64, w int) string {
	n := int(p*float64(w) + 0.5)
	n = min(max(n, 0), w)
	return strings.Repeat("█", n) + strings.Repeat("░", w-n)
}

func (m Model) row(i int) string {
	it := m.items[i]
	cursor := "  "
	if i == m.cursor {
		cursor = "▸ "
	}
	mark := " "
	if it.Destructive {
		mark = m.st.Warn.Render("!")
	}
	state := m.state(it.Display)
	id := fmt.Sprintf("%-4s", it.ID)
	room := m.width - lipgloss.Width(cursor) - 5 - 1 - lipgloss.Width(state) - 1
	title := ansi.Truncate(it.Title, max(room, 0), "…")
	gap := max(1, m.width-lipgloss.Width(cursor)-5-1-lipgloss.Width(title)-lipgloss.Width(state))
	left := cursor + id + mark + " " + title
	if i == m.cursor && m.focused {
		left = m.st.Selected.Render(left)
	} else if i == m.cursor {
		left = m.st.Bold.Render(left)
	}
	return left + strings.Repeat(" ", gap) + state
}

// detail is the selected step's reason, wrapped, at most three lines.
func (m Model) detail() []string {
	if len(m.items) == 0 || m.height < 6 {
		return nil
	}
	it := m.items[m.cursor]
	// The reason quotes servers (error messages): shown escaped, never sent to the terminal as is.
	text := transcript.Escape(fmt.Sprintf("%s %s: %s", it.ID, it.Display.Label, it.Display.Reason))
	wrapped := strings.Split(ansi.Wrap(text, m.width, " "), "\n")
	if len(wrapped) > 3 {
		wrapped = wrapped[:3]
		wrapped[2] = ansi.Truncate(wrapped[2], m.width-1, "") + "…"
	}
	out := []string{m.st.Separator.Render(strings.Repeat("─", m.width))}
	for _, l := range wrapped {
		out = append(out, m.st.Muted.Render(l))
	}
	return out
}
