package ui

import (
	"math"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"pcfailback/ui/checklist"
	"pcfailback/ui/logpane"
	"pcfailback/ui/preview"
)

// Update routes a message: data messages change state, keys go to whoever has the keyboard (a prompt, the
// typed confirmation, the log search, the help, the preview, then global keys, then the focused pane).
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case snapshotMsg:
		return m.onSnapshot(msg)
	case NoticeMsg:
		return m.onNotice(msg)
	case tickMsg:
		return m, tea.Batch(m.requestProbe(), m.tickCmd())
	case logpane.LinesMsg:
		m.log.Append(msg.Lines, msg.Dropped)
		// A log file that cannot be written must show: the record on disk is then incomplete.
		m.log.SetFileError(msg.Err)
		if m.run != nil {
			if p := math.Float64frombits(m.run.progress.Load()); p >= 0 {
				if e := m.book.Entry(m.run.id); e != nil && e.Progress != p {
					m.book.SetProgress(m.run.id, p)
					m.recompute()
				}
			}
		}
		return m, logpane.Listen(m.opt.Sink)
	case stepDoneMsg:
		return m.onStepDone(msg)
	case checklist.PreviewMsg:
		return m.openPreview(msg.ID)
	case checklist.SkipMsg:
		return m.askSkip(msg.ID)
	case checklist.CancelMsg:
		return m.askCancel(msg.ID)
	case preview.CloseMsg:
		m.preview = nil
		return m, nil
	case preview.RunMsg:
		return m.confirmRun(msg)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	}
	// Anything else (cursor blinks, viewport internals) goes to the components that may want it.
	var cmd tea.Cmd
	m.log, cmd = m.log.Update(msg)
	return m, cmd
}

func (m Model) onKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.prompt != nil {
		return m.onPromptKey(k)
	}
	if m.preview != nil && m.preview.Confirming() {
		return m, m.preview.HandleKey(k)
	}
	if m.log.Capturing() {
		var cmd tea.Cmd
		m.log, cmd = m.log.Update(k)
		return m, cmd
	}
	if m.showHelp {
		next, cmd, quit := m.onHelpKey(k)
		if !quit {
			return next, cmd
		}
		m = next.(Model)
	}
	switch {
	case key.Matches(k, m.keys.Quit, m.keys.Interrupt):
		return m.askQuit()
	case key.Matches(k, m.keys.Help):
		m.showHelp = true
		return m, nil
	case key.Matches(k, m.keys.Note):
		// At any time, the preview open included: what the bridge decides belongs next to what it looked at.
		return m.askNote()
	}
	if m.preview != nil {
		return m, m.preview.HandleKey(k)
	}
	switch {
	case key.Matches(k, m.keys.NextPane):
		m.setFocus((m.focus + 1) % paneCount)
		return m, nil
	case key.Matches(k, m.keys.PrevPane):
		m.setFocus((m.focus + paneCount - 1) % paneCount)
		return m, nil
	case key.Matches(k, m.keys.Zoom):
		m.zoom = !m.zoom
		m.layout()
		return m, nil
	case key.Matches(k, m.keys.Refresh):
		return m, m.requestProbe()
	case key.Matches(k, m.keys.Search):
		// The search works from any pane: it opens in the log.
		m.setFocus(paneLog)
		var cmd tea.Cmd
		m.log, cmd = m.log.Update(k)
		return m, cmd
	case key.Matches(k, m.keys.Follow) && m.focus != paneLog:
		var cmd tea.Cmd
		m.log, cmd = m.log.Update(k)
		return m, cmd
	}
	var cmd tea.Cmd
	switch m.focus {
	case paneChecklist:
		m.list, cmd = m.list.Update(k)
		if cmd != nil {
			// The checklist's commands are intents (preview, skip, cancel) that return at once. Acting on them
			// now rather than after a round trip means a key typed right behind enter reaches the preview that
			// enter opens, not the checklist underneath it.
			return m.Update(cmd())
		}
	case paneLog:
		m.log, cmd = m.log.Update(k)
	case paneHealth:
		m.health, cmd = m.health.Update(k)
	}
	return m, cmd
}

func (m *Model) setFocus(p pane) {
	m.focus = p
	m.list.Blur()
	m.log.Blur()
	m.health.Blur()
	switch p {
	case paneChecklist:
		m.list.Focus()
	case paneLog:
		m.log.Focus()
	case paneHealth:
		m.health.Focus()
	}
	m.layout()
}
