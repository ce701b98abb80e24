package preview

import (
	"errors"
	"testing"

	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
)

// FuzzContent draws a preview whose checks, error and script text come from the input (checks quote servers;
// the script is built from configured names): nothing reaches the terminal but text and styles, and the dialog
// keeps its size.
func FuzzContent(f *testing.F) {
	f.Add("mgc on SQLBACKUP is ONLINE", "BACKUP DATABASE [mgc] TO DISK = N'\\\\fs01\\pchat\\x.bak';", uint8(80), uint8(21), false)
	f.Add("\x1b[2J\x1b]0;owned\x07", "SELECT 1;\x1b[31m\r\n\tGO\u202e", uint8(120), uint8(37), true)
	f.Add("", "", uint8(1), uint8(1), true)
	base := content(f, "", steps.F0)
	st := fixture.Styles(f, "dark")
	f.Fuzz(func(t *testing.T, text, script string, w, h uint8, unresolved bool) {
		c := base
		c.Pre = []steps.Check{{Text: text, Detail: text, Advice: text}, {Text: text, OK: true}, {Text: text, Warn: true, Detail: text}}
		c.Plan.Scripts = append([]steps.Script(nil), c.Plan.Scripts...)
		c.Plan.Scripts[0].Text = script
		c.Plan.Scripts[0].Purpose = text
		c.Confirm = text
		c.Busy = text
		if unresolved {
			c.Error = errors.New(text)
		}
		m := New(st, DefaultKeyMap(), c, int(w), int(h))
		press(&m, "pgdown", "r", "j")
		typeText(&m, text)
		v := m.View()
		fixture.CheckNoControls(t, v)
		if w >= 40 && h >= 12 {
			fixture.CheckBounds(t, v, min(int(w)-2, 120), int(h)-3)
		}
	})
}
