package logpane

import (
	"pcfailback/themes"

	"charm.land/bubbles/v2/textinput"
)

// newPrompt builds the search prompt shown at the bottom of the pane.
func newPrompt(st themes.Styles) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.Placeholder = "search source, step, message number, text"
	ti.CharLimit = 256
	ti.SetStyles(promptStyles(st))
	return ti
}

// promptStyles dresses the text input in the theme. The cursor does not blink: a blinking cursor needs a timer
// running while the prompt is open, and makes every frame differ for no information.
func promptStyles(st themes.Styles) textinput.Styles {
	state := textinput.StyleState{
		Text:        st.Text,
		Placeholder: st.Muted,
		Suggestion:  st.Muted,
		Prompt:      st.Accent,
	}
	return textinput.Styles{
		Focused: state,
		Blurred: state,
		Cursor:  textinput.CursorStyle{Color: st.Palette.Accent, Blink: false},
	}
}

// openPrompt opens the search prompt, empty.
func (m *Model) openPrompt() {
	m.prompting = true
	m.prompt.Reset()
	m.prompt.Focus()
}

// closePrompt closes the search prompt without searching.
func (m *Model) closePrompt() {
	m.prompting = false
	m.prompt.Blur()
}
