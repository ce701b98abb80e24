package checklist

import (
	"testing"

	"pcfailback/ui/internal/fixture"
)

// FuzzRows draws a checklist whose reasons (which quote server errors) and progress come from the input, at
// sizes from the input: every row stays inside the pane and nothing reaches the terminal but text and styles.
func FuzzRows(f *testing.F) {
	f.Add("Msg 3201, Level 16: Cannot open backup device", 0.5, uint8(60), uint8(20), uint8(3))
	f.Add("\x1b[2J\x1b]0;owned\x07\u202e", -1.0, uint8(40), uint8(6), uint8(12))
	f.Add("東京 👍🏽 "+string(make([]byte, 300)), 7.5, uint8(2), uint8(2), uint8(0))
	st := fixture.Styles(f, "dark")
	f.Fuzz(func(t *testing.T, reason string, progress float64, w, h, cursor uint8) {
		its := items()
		for i := range its {
			its[i].Display.Reason = reason
			its[i].Display.Progress = progress
		}
		m := New(st, DefaultKeyMap())
		m.SetSize(int(w), int(h))
		m.SetItems(its)
		m.Focus()
		for range int(cursor) % (len(its) + 2) {
			m, _ = m.Update(keyPress("j"))
		}
		v := m.View()
		if w == 0 || h == 0 {
			return
		}
		fixture.CheckBounds(t, v, int(w), int(h))
		fixture.CheckNoControls(t, v)
	})
}
