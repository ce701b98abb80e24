package logpane

import (
	"context"

	"pcfailback/transcript"

	tea "charm.land/bubbletea/v2"
)

// MaxBatch is the most lines one LinesMsg carries. Batching is what lets the pane keep up with a flood: one
// message per line would run Update and View for every line.
const MaxBatch = 4096

// LinesMsg is a batch of lines from the sink, for Append.
type LinesMsg struct {
	Lines []transcript.Line
	// Dropped is how many lines the sink skipped before this batch because the UI fell behind.
	Dropped int
	// Err is the sink's first log-file error, if any, for SetFileError.
	Err error
}

// Listen returns a command that waits for the sink's next lines and delivers them, up to MaxBatch, as one
// LinesMsg. The root runs it once at start and again after each LinesMsg:
//
//	case logpane.LinesMsg:
//		m.log.Append(msg.Lines, msg.Dropped)
//		m.log.SetFileError(msg.Err)
//		return m, logpane.Listen(m.sink)
//
// The command blocks until a line arrives; closing the sink ends it (it then returns no message), so the root
// closes the sink when the program exits. A nil sink gives a nil command.
func Listen(s *transcript.Sink) tea.Cmd {
	if s == nil {
		return nil
	}
	return func() tea.Msg {
		lines, dropped, ok := s.Receive(context.Background(), MaxBatch)
		if !ok {
			return nil
		}
		return LinesMsg{Lines: lines, Dropped: dropped, Err: s.Err()}
	}
}
