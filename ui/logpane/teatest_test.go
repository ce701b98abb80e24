package logpane

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"pcfailback/transcript"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// host is the smallest root model around the pane, wired the way the console's root is: it listens on the sink,
// appends each batch and listens again, and gives the pane every key (q quits unless the pane is capturing).
type host struct {
	log  Model
	sink *transcript.Sink
}

func (h host) Init() tea.Cmd { return Listen(h.sink) }

func (h host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.log.SetSize(msg.Width, msg.Height)
		return h, nil
	case LinesMsg:
		h.log.Append(msg.Lines, msg.Dropped)
		h.log.SetFileError(msg.Err)
		return h, Listen(h.sink)
	case tea.KeyPressMsg:
		if !h.log.Capturing() && msg.String() == "q" {
			return h, tea.Quit
		}
	}
	var cmd tea.Cmd
	h.log, cmd = h.log.Update(msg)
	return h, cmd
}

func (h host) View() tea.View {
	v := tea.NewView(h.log.View())
	v.AltScreen = true
	return v
}

func TestProgramSearch(t *testing.T) {
	sink := transcript.NewSink(nil, 0)
	defer sink.Close()
	sink.Write(sample()...)

	m := host{log: New(0, styles(t, "no-color"), cet), sink: sink}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 16),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	// The first frame with every line drawn; keys typed before the lines arrive would search an empty pane.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("fix the share rights and retry"))
	}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(5*time.Millisecond))

	tm.Type("/mgc")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("n")
	tm.Type("q")
	final, ok := tm.FinalModel(t, teatest.WithFinalTimeout(30*time.Second)).(host)
	if !ok {
		t.Fatal("final model is not the host")
	}
	view := final.log.View()
	plain := ansi.Strip(view)
	if !strings.Contains(plain, "match 2/5") {
		t.Fatalf("final view lacks the match position:\n%s", plain)
	}
	if row := findRow(strings.Split(plain, "\n"), "▸"); !strings.Contains(row, "> BACKUP DATABASE [mgc]") {
		t.Fatalf("current match row %q", row)
	}
	golden.RequireEqual(t, view)
}
