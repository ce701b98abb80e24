package ui

import (
	"fmt"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"pcfailback/journal"
	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/themes"
	"pcfailback/transcript"
)

// prompt is a one-line question at the bottom of the screen: a yes/no whose default is No, or a text answer.
type prompt struct {
	question string
	text     bool
	input    textinput.Model
	// onYes runs for "y" (yes/no prompts); onText for a non-empty answer (text prompts).
	onYes  func(m *Model) tea.Cmd
	onText func(m *Model, answer string) tea.Cmd
}

func (m *Model) ask(question string, onYes func(m *Model) tea.Cmd) {
	m.prompt = &prompt{question: question + " [y/N]", onYes: onYes}
}

func (m *Model) askText(question string, onText func(m *Model, answer string) tea.Cmd) tea.Cmd {
	in := textinput.New()
	in.Prompt = question + " "
	in.CharLimit = 500
	in.SetStyles(promptStyles(m.st))
	in.SetWidth(max(10, m.width-len(question)-2))
	m.prompt = &prompt{question: question, text: true, input: in, onText: onText}
	return m.prompt.input.Focus()
}

func (m Model) onPromptKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	p := m.prompt
	if !p.text {
		m.prompt = nil
		if k.String() == "y" || k.String() == "Y" {
			return m, p.onYes(&m)
		}
		// Not "cancelled": the question may have been whether to cancel a step, and it was not.
		m.status = "answered No: nothing done"
		return m, nil
	}
	switch k.String() {
	case "esc":
		m.prompt = nil
		m.status = "abandoned: nothing done"
		return m, nil
	case "enter":
		answer := p.input.Value()
		if answer == "" {
			// Said in the prompt itself: the footer shows the prompt, not the status, while it is open.
			p.input.Placeholder = "an answer is needed (esc to cancel)"
			return m, nil
		}
		m.prompt = nil
		return m, p.onText(&m, answer)
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(k)
	return m, cmd
}

// askSkip asks for the reason a step is skipped (or unskips a skipped one).
func (m Model) askSkip(id steps.ID) (tea.Model, tea.Cmd) {
	if m.opt.Executor == nil {
		m.status = "read-only mode: the checklist cannot change"
		return m, nil
	}
	if e := m.book.Entry(id); e != nil && e.Status == runbook.Skipped {
		if !m.record(journal.Record{Kind: journal.KindUnskip, Step: string(id)}) {
			return m, nil
		}
		if err := m.book.Unskip(id); err != nil {
			m.status = err.Error()
			return m, nil
		}
		m.recompute()
		return m, m.consoleLine(string(id), transcript.Console, fmt.Sprintf("%s unskipped", id))
	}
	cmd := m.askText(fmt.Sprintf("Skip %s — reason:", id), func(m *Model, reason string) tea.Cmd {
		if err := m.book.CanSkip(id, reason); err != nil {
			m.status = err.Error()
			return nil
		}
		if !m.record(journal.Record{Kind: journal.KindSkip, Step: string(id), Reason: reason}) {
			return nil
		}
		if err := m.book.Skip(id, reason); err != nil {
			m.status = err.Error()
			return nil
		}
		m.recompute()
		return m.consoleLine(string(id), transcript.Warning, fmt.Sprintf("%s skipped by the operator: %s", id, reason))
	})
	return m, cmd
}

// askCancel asks before cancelling the running step at the server.
func (m Model) askCancel(id steps.ID) (tea.Model, tea.Cmd) {
	if m.run == nil || m.run.id != id {
		m.status = fmt.Sprintf("%s is not running", id)
		return m, nil
	}
	m.ask(fmt.Sprintf("Cancel %s at the server? Its effect is then unknown until the panels show it.", id), func(m *Model) tea.Cmd {
		if m.run != nil {
			m.run.cancel()
		}
		return m.consoleLine(string(id), transcript.Warning, fmt.Sprintf("%s: the operator asked to cancel", id))
	})
	return m, nil
}

// askQuit quits at once when nothing runs, and asks first when a step does (quitting cancels it).
func (m Model) askQuit() (tea.Model, tea.Cmd) {
	if m.run == nil {
		return m, tea.Quit
	}
	id := m.run.id
	m.ask(fmt.Sprintf("%s is running. Quit and cancel it at the server?", id), func(m *Model) tea.Cmd {
		if m.run != nil {
			m.run.cancel()
		}
		return tea.Sequence(m.consoleLine(string(id), transcript.Warning, fmt.Sprintf("%s cancelled: the operator quit", id)), tea.Quit)
	})
	return m, nil
}

// promptStyles dresses a text prompt in the theme rather than the text input's hard-coded colours (unreadable on
// a light background, and colour under NO_COLOR), with a cursor that does not blink: a blink needs a timer
// running for as long as the question is open.
func promptStyles(st themes.Styles) textinput.Styles {
	state := textinput.StyleState{Text: st.Text, Placeholder: st.Muted, Suggestion: st.Muted, Prompt: st.Warn}
	return textinput.Styles{
		Focused: state,
		Blurred: state,
		Cursor:  textinput.CursorStyle{Color: st.Palette.Accent, Blink: false},
	}
}
