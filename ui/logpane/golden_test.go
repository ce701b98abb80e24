package logpane

import (
	"errors"
	"fmt"
	"testing"

	"pcfailback/themes"

	"github.com/charmbracelet/x/exp/golden"
)

// scenarios are the pane states rendered as golden files, each across every size and theme.
var scenarios = []struct {
	name  string
	build func(m Model) Model
}{
	{"empty", func(m Model) Model { return m }},
	{"mixed", func(m Model) Model {
		m.Append(sample(), 0)
		return m
	}},
	{"wrapped", func(m Model) Model {
		m.Append(sample(), 0)
		return press(m, "w")
	}},
	{"search", func(m Model) Model {
		m.Append(sample(), 0)
		m = press(m, "/")
		m = typeText(m, "MGC")
		return press(m, "enter", "n")
	}},
	{"prompt", func(m Model) Model {
		m.Append(sample(), 0)
		m = press(m, "/")
		return typeText(m, "3201")
	}},
	{"overflow-paused", func(m Model) Model {
		m.Append(sample(), 0)
		m.Append(numbered(100, 12), 1234)
		m.SetFileError(errors.New("write /var/log/pcfailback/failback.log: no space left on device"))
		m.Blur()
		m, _ = m.Update(keyPress("k")) // ignored: the pane has no focus
		m.Focus()
		return press(m, "pgup", "k")
	}},
}

var sizes = [][2]int{{80, 12}, {120, 20}, {200, 40}}

func TestViewGolden(t *testing.T) {
	for _, sc := range scenarios {
		for _, size := range sizes {
			for _, theme := range themes.Names() {
				t.Run(fmt.Sprintf("%s/%dx%d/%s", sc.name, size[0], size[1], theme), func(t *testing.T) {
					capacity := 0
					if sc.name == "overflow-paused" {
						capacity = 20
					}
					m := New(capacity, styles(t, theme), cet)
					m.SetSize(size[0], size[1])
					m.SetLogPath("/var/log/pcfailback/failback-2026-11-27.log")
					m = sc.build(m)
					v := m.View()
					checkBounds(t, v, size[0], size[1])
					golden.RequireEqual(t, v)
				})
			}
		}
	}
}
