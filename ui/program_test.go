package ui

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"pcfailback/ui/internal/fixture"
)

// framed is the console with a window on its screen: every View also records the frame, so a test can wait
// for what the operator would see. The raw output stream is no good for that: the renderer sends only the cells
// that changed, so a line of text can reach the terminal in pieces.
type framed struct {
	Model
	frame *atomic.Pointer[frame]
}

// frame is one rendered screen: as drawn (with styles) and as read (plain text).
type frame struct{ styled, text string }

func (f framed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := f.Model.Update(msg)
	f.Model = next.(Model)
	return f, cmd
}

func (f framed) View() tea.View {
	v := f.Model.View()
	f.frame.Store(&frame{styled: v.Content, text: plain(v.Content)})
	return v
}

// program is a console running in a test terminal.
type program struct {
	t     *testing.T
	e     *fixture.Estate
	tm    *teatest.TestModel
	frame *atomic.Pointer[frame]
}

// refresh is the wall-clock refresh interval of consoles under teatest: short, so a refresh timer left when a
// program quits ends at once. Time in the estate moves only when a test moves it.
const refresh = 250 * time.Millisecond

// startProgram runs the console on an estate in a w × h terminal without colour.
func startProgram(t *testing.T, e *fixture.Estate, w, h int) *program {
	t.Helper()
	p := &program{t: t, e: e, frame: &atomic.Pointer[frame]{}}
	m := framed{Model: New(options(t, e, "dark", refresh)), frame: p.frame}
	p.tm = teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	// The header shows the pool's state once the first probe has answered.
	p.waitUntil("the first probe", func(s string) bool {
		return strings.Contains(s, "pool pchat.contoso.local") && !strings.Contains(s, "state ?")
	})
	return p
}

// screen is the latest frame as text.
func (p *program) screen() string {
	if f := p.frame.Load(); f != nil {
		return f.text
	}
	return ""
}

// styled is the latest frame with its styles.
func (p *program) styled() string {
	if f := p.frame.Load(); f != nil {
		return f.styled
	}
	return ""
}

// waitUntil waits for the screen to satisfy ok.
func (p *program) waitUntil(what string, ok func(screen string) bool) {
	p.t.Helper()
	// WaitFor ends the test from inside when it gives up; the screen is what explains why.
	defer func() {
		if p.t.Failed() {
			p.t.Logf("waiting for %s; last screen:\n%s", what, p.screen())
		}
	}()
	teatest.WaitFor(p.t, p.tm.Output(), func([]byte) bool { return ok(p.screen()) },
		teatest.WithDuration(time.Minute), teatest.WithCheckInterval(2*time.Millisecond))
}

// waitFor waits for text on the screen.
func (p *program) waitFor(text string) {
	p.t.Helper()
	p.waitUntil(strings.TrimSpace(text), func(s string) bool { return strings.Contains(s, text) })
}

// waitGone waits for text to leave the screen.
func (p *program) waitGone(text string) {
	p.t.Helper()
	p.waitUntil("no "+text, func(s string) bool { return !strings.Contains(s, text) })
}

// press sends keys by name.
func (p *program) press(keys ...string) {
	for _, k := range keys {
		p.tm.Send(keyPress(k))
	}
}

// typeText types text.
func (p *program) typeText(s string) { p.tm.Type(s) }

// final quits with q (the test must know nothing runs) and returns the console as it ended.
func (p *program) final() Model {
	p.t.Helper()
	p.press("q")
	return p.ended()
}

// ended waits for the program to end and returns the console as it ended.
func (p *program) ended() Model {
	p.t.Helper()
	f, ok := p.tm.FinalModel(p.t, teatest.WithFinalTimeout(time.Minute)).(framed)
	if !ok {
		p.t.Fatal("the final model is not the console")
	}
	return f.Model
}
