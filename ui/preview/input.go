package preview

import (
	"charm.land/bubbles/v2/textinput"

	"pcfailback/themes"
)

// inputStyles dresses the confirmation input in the theme. The text input's own defaults hard-code colours
// (white on a light theme is unreadable, and colour at all breaks NO_COLOR), and its cursor blinks, which needs a
// timer running and makes every frame differ while the operator reads what they are confirming.
func inputStyles(st themes.Styles) textinput.Styles {
	state := textinput.StyleState{
		Text:        st.Bold,
		Placeholder: st.Muted,
		Suggestion:  st.Muted,
		Prompt:      st.Warn,
	}
	return textinput.Styles{
		Focused: state,
		Blurred: state,
		Cursor:  textinput.CursorStyle{Color: st.Palette.Accent, Blink: false},
	}
}
