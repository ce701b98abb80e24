package preview

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
)

// content resolves a step against a simulated estate driven through the steps before it, as the root does
// when it opens a preview.
func content(t testing.TB, through, id steps.ID) Content {
	t.Helper()
	e := fixture.New(t, fixture.Options{Seed: 1})
	r := e.Start(t)
	if through != "" {
		r.Through(t, through)
	}
	env := r.Env()
	step, ok := steps.Find(steps.Catalog(), id)
	if !ok {
		t.Fatalf("no step %s", id)
	}
	c := Content{Step: step, Env: env, Confirm: step.Confirmation(env), Pre: step.Pre(env)}
	c.Plan, c.Error = step.Plan(env)
	return c
}

func keyPress(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

// press sends keys and returns the intents they produced (RunMsg, CloseMsg), in order.
func press(m *Model, keys ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range keys {
		if cmd := m.HandleKey(keyPress(k)); cmd != nil {
			switch msg := cmd().(type) {
			case RunMsg, CloseMsg:
				out = append(out, msg)
			}
		}
	}
	return out
}

func typeText(m *Model, s string) {
	for _, r := range s {
		m.HandleKey(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}
