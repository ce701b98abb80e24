package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Layouts by terminal size. Below narrowWidth (or a short screen) one pane is shown at a time with a tab bar.
const (
	narrowWidth  = 100
	narrowHeight = 24
	wideWidth    = 160
)

func (m *Model) bodyHeight() int { return max(1, m.height-3-m.bannerLines()) }

// bannerLines is the height of the banner: one line when there is anything to warn about and room for it.
func (m *Model) bannerLines() int {
	if len(m.opt.Banner) == 0 || m.height < 8 {
		return 0
	}
	return 1
}

func (m *Model) narrow() bool { return m.width < narrowWidth || m.height < narrowHeight }

// layout gives every pane its size for the current terminal, focus and zoom.
func (m *Model) layout() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	body := m.bodyHeight()
	m.health.SetZoom(m.zoom && m.focus == paneHealth)
	if m.preview != nil {
		m.preview.SetSize(m.width, body)
	}
	if m.narrow() || m.zoom {
		h := body
		if m.tabBar() {
			h = body - 1
		}
		// A zoomed health pane stacks the data centers so each gets the full width for the full detail.
		m.health.SetSize(m.width, h, m.width < wideWidth)
		m.list.SetSize(m.width, h)
		m.log.SetSize(m.width, h)
		return
	}
	if m.width >= wideWidth {
		cw := min(max(m.width*3/10, 46), 70)
		lw := m.width - cw - 1
		hh := body * 11 / 20
		m.health.SetSize(lw, hh, false)
		m.log.SetSize(lw, body-hh)
		m.list.SetSize(cw, body)
		return
	}
	hh := min(max(body-17, 6), body/2)
	cw := min(max(m.width*2/5, 40), 56)
	m.health.SetSize(m.width, hh, false)
	m.list.SetSize(cw, body-hh)
	m.log.SetSize(m.width-cw-1, body-hh)
}

// View draws the screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "pcfailback · " + m.opt.Mode.String() + " · " + m.opt.Names.Environment
	return v
}

func (m *Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	parts := []string{m.header()}
	if m.bannerLines() > 0 {
		parts = append(parts, m.bannerLine())
	}
	parts = append(parts, m.verdictLine())
	body := m.bodyHeight()
	switch {
	case m.showHelp:
		parts = append(parts, m.helpView(body))
	case m.preview != nil:
		// Clipped: on a tiny terminal the dialog is taller or wider than the screen, and a view larger than the
		// terminal scrolls it.
		parts = append(parts, clip(lipgloss.Place(m.width, body, lipgloss.Center, lipgloss.Center, m.preview.View()), m.width, body))
	default:
		parts = append(parts, m.bodyView())
	}
	parts = append(parts, m.footer())
	return strings.Join(parts, "\n")
}

func (m *Model) bodyView() string {
	if m.zoom {
		return m.paneView(m.focus)
	}
	if m.narrow() {
		if !m.tabBar() {
			return m.paneView(m.focus)
		}
		return m.tabs() + "\n" + m.paneView(m.focus)
	}
	sep := func(h int) string {
		return strings.TrimSuffix(strings.Repeat(m.st.Separator.Render("│")+"\n", h), "\n")
	}
	body := m.bodyHeight()
	if m.width >= wideWidth {
		left := m.health.View() + "\n" + padRows(m.log.View(), m.log.Width())
		return columns(left, sep(body), m.list.View())
	}
	hh := min(max(body-17, 6), body/2)
	bottom := columns(m.list.View(), sep(body-hh), padRows(m.log.View(), m.log.Width()))
	return m.health.View() + "\n" + bottom
}

// tabBar reports whether the single-pane layout shows the tab bar: not when zoomed, nor when it would leave the
// pane no row at all.
func (m *Model) tabBar() bool { return !m.zoom && m.bodyHeight() > 1 }

func (m *Model) paneView(p pane) string {
	switch p {
	case paneLog:
		return padRows(m.log.View(), m.log.Width())
	case paneHealth:
		return m.health.View()
	}
	return m.list.View()
}

var paneNames = [...]string{"Checklist", "Log", "Health"}

func (m *Model) tabs() string {
	var b strings.Builder
	for p := range paneCount {
		label := " " + paneNames[p] + " "
		if p == m.focus {
			b.WriteString(m.st.TitleFocused.Render("▸" + label))
		} else {
			b.WriteString(m.st.Title.Render(" " + label))
		}
		b.WriteString(" ")
	}
	b.WriteString(m.st.Muted.Render("tab switches"))
	return fit(b.String(), m.width)
}
