// Package preview is the step preview: the exact script and where it runs, what it changes, its preconditions
// (each pass or fail with the reason), how it is verified, and the confirmation. The text shown is the plan the
// root will execute; the run intent carries the plan's digest so a plan that changed in between is refused.
package preview

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"pcfailback/steps"
	"pcfailback/themes"
	"pcfailback/transcript"
)

// RunMsg asks the root to run the previewed plan. Typed is what the operator typed for a destructive step.
type RunMsg struct {
	ID     steps.ID
	Digest string
	Typed  string
	// Stamp is the plan's time stamp (file names), so the root resolves exactly the previewed text.
	Stamp time.Time
}

// CloseMsg asks the root to close the preview.
type CloseMsg struct{}

// KeyMap are the preview's keys. Run is deliberately not enter: the key that opens the preview never confirms.
type KeyMap struct {
	Run, Close, Up, Down, PageUp, PageDown, Submit, Abandon key.Binding
}

// DefaultKeyMap returns the preview's keys with their help.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Run:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "run this step")),
		Close:    key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "close")),
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "scroll")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "scroll")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),
		Submit:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm what you typed")),
		Abandon:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "do not run")),
	}
}

// Content is what the preview shows.
type Content struct {
	Step  steps.Step
	Plan  steps.Plan
	Pre   []steps.Check
	Env   steps.Env
	Error error // the plan could not be resolved
	// Confirm is the text a destructive step needs typed; "" for others.
	Confirm string
	// ReadOnly explains why nothing can run (read-only mode), "" otherwise.
	ReadOnly string
	// Busy names a running step, "" otherwise.
	Busy string
}

// Model is the preview dialog.
type Model struct {
	st         themes.Styles
	keys       KeyMap
	c          Content
	vp         viewport.Model
	input      textinput.Model
	confirming bool
	status     string
	width      int
	height     int
}

// New opens a preview.
func New(st themes.Styles, keys KeyMap, c Content, w, h int) Model {
	in := textinput.New()
	in.Prompt = "type " + transcript.Escape(c.Confirm) + " to run: "
	in.CharLimit = 200
	in.SetStyles(inputStyles(st))
	m := Model{st: st, keys: keys, c: c, input: in}
	m.vp = viewport.New()
	m.SetSize(w, h)
	return m
}

// ID is the previewed step.
func (m Model) ID() steps.ID { return m.c.Step.ID }

// Confirming reports whether the typed confirmation is open: the root then sends it every key.
func (m Model) Confirming() bool { return m.confirming }

// Update replaces the live parts (preconditions, busy state) after a probe. When the plan's text changed, any
// confirmation in progress is abandoned: the operator confirms what they read, not what replaced it.
func (m *Model) Update(c Content) {
	if c.Plan.Digest != m.c.Plan.Digest {
		m.confirming = false
		m.input.Reset()
		m.input.Blur()
		m.status = "the script changed with the latest probe: read it again"
	}
	m.c = c
	m.refresh()
}

// SetStatus shows a one-line message at the bottom (a refused run, a check in progress).
func (m *Model) SetStatus(s string) { m.status = s }

// SetSize fits the dialog in a w × h screen.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = min(w-2, 120), h-2
	m.vp.SetWidth(m.innerWidth())
	m.vp.SetHeight(max(1, m.height-2-4))
	m.input.SetWidth(max(10, m.innerWidth()-lipgloss.Width(m.input.Prompt)-1))
	m.refresh()
}

func (m Model) innerWidth() int { return max(10, m.width-4) }

func (m *Model) refresh() {
	y := m.vp.YOffset()
	m.vp.SetContent(m.body())
	m.vp.SetYOffset(y)
}

// HandleKey processes a key press and returns the intent, if any.
func (m *Model) HandleKey(k tea.KeyPressMsg) tea.Cmd {
	if m.confirming {
		switch {
		case key.Matches(k, m.keys.Abandon):
			m.confirming = false
			m.input.Reset()
			m.input.Blur()
			m.status = "not run"
			return nil
		case key.Matches(k, m.keys.Submit):
			typed := strings.TrimSpace(m.input.Value())
			switch {
			case typed == "":
				m.status = "type " + m.c.Confirm + " exactly; Enter alone never confirms"
				return nil
			case typed != m.c.Confirm:
				m.status = fmt.Sprintf("%q does not match %s: not run", typed, m.c.Confirm)
				m.input.Reset()
				return nil
			}
			msg := RunMsg{ID: m.c.Step.ID, Digest: m.c.Plan.Digest, Typed: typed, Stamp: m.c.Env.Stamp}
			m.confirming = false
			m.input.Blur()
			return func() tea.Msg { return msg }
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(k)
		return cmd
	}
	switch {
	case key.Matches(k, m.keys.Close):
		return func() tea.Msg { return CloseMsg{} }
	case key.Matches(k, m.keys.Run):
		return m.run()
	case key.Matches(k, m.keys.Down):
		m.vp.ScrollDown(1)
	case key.Matches(k, m.keys.Up):
		m.vp.ScrollUp(1)
	case key.Matches(k, m.keys.PageDown):
		m.vp.PageDown()
	case key.Matches(k, m.keys.PageUp):
		m.vp.PageUp()
	}
	return nil
}

// run checks what can be checked here; the root checks again against a fresh probe before anything is sent.
func (m *Model) run() tea.Cmd {
	switch {
	case m.c.ReadOnly != "":
		m.status = m.c.ReadOnly
	case m.c.Error != nil:
		m.status = "cannot run: " + m.c.Error.Error()
	case m.c.Busy != "":
		m.status = m.c.Busy + " is running: one step at a time"
	case !steps.Pass(m.c.Pre):
		m.status = "cannot run: " + steps.Failing(m.c.Pre)[0].Text
	case m.c.Confirm != "":
		m.confirming = true
		m.status = "destructive: default is No; esc leaves without running"
		return m.input.Focus()
	default:
		msg := RunMsg{ID: m.c.Step.ID, Digest: m.c.Plan.Digest, Stamp: m.c.Env.Stamp}
		return func() tea.Msg { return msg }
	}
	return nil
}

// View renders the dialog.
func (m Model) View() string {
	w := m.innerWidth()
	s := m.c.Step
	head := m.st.DialogTitle.Render(fmt.Sprintf("%s  %s", s.ID, s.Title))
	if s.Destructive {
		head += "  " + m.st.Danger.Render("⚠ DESTRUCTIVE")
	}
	if s.ReadOnly {
		head += "  " + m.st.Good.Render("read-only")
	}
	foot := m.footer(w)
	body := m.vp.View()
	box := lipgloss.JoinVertical(lipgloss.Left, ansi.Truncate(head, w, "…"), body, foot)
	return m.st.Dialog.Width(m.width).Render(box)
}

func (m Model) footer(w int) string {
	var lines []string
	switch {
	case m.status != "":
		// Statuses quote errors, which quote servers: escaped like everything from them.
		lines = append(lines, m.st.Warn.Render(ansi.Truncate(transcript.Escape(m.status), w, "…")))
	case m.c.ReadOnly != "":
		// Said before any key is pressed: the operator reading a preview must not believe r would run it.
		lines = append(lines, m.st.Info.Render(ansi.Truncate(m.c.ReadOnly, w, "…")))
	default:
		lines = append(lines, "")
	}
	if m.confirming {
		lines = append(lines, m.input.View())
	} else {
		hint := "r run · j/k scroll · esc close"
		switch {
		case m.c.ReadOnly != "":
			hint = "j/k scroll · esc close"
		case m.c.Confirm != "":
			hint = "r then type " + transcript.Escape(m.c.Confirm) + " + enter to run · j/k scroll · esc close"
		}
		lines = append(lines, m.st.Muted.Render(ansi.Truncate(hint, w, "…")))
	}
	return strings.Join(lines, "\n")
}
