package cli

import (
	"context"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"

	"pcfailback/runbook"
	"pcfailback/themes"
	"pcfailback/transcript"
	"pcfailback/ui"
)

// ConsoleCmd runs the console.
type ConsoleCmd struct{}

// Run opens the estate, the log file and the terminal UI.
func (ConsoleCmd) Run(f *Flags, io *Streams) error {
	palette, err := themes.Choose(f.Theme, os.Getenv("NO_COLOR"))
	if err != nil {
		return err
	}
	s, err := open(f)
	if err != nil {
		return err
	}
	defer s.close()
	path, err := s.logPath(f.LogDir)
	if err != nil {
		return err
	}
	file, err := transcript.OpenFile(path)
	if err != nil {
		return err
	}
	defer file.Close()
	scrollback := 10000
	if s.cfg != nil {
		scrollback = s.cfg.Log.Scrollback
	}
	sink := transcript.NewSink(file, scrollback)
	defer sink.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	prober := s.prober()
	defer prober.Close()

	opt := ui.Options{
		Mode: s.mode, Names: s.estate.Names, Prober: prober, Sink: sink, Clock: s.estate.Clock,
		Styles: themes.NewStyles(palette), Refresh: s.refresh, StaleAfter: s.staleAfter(),
		LogPath: path, Scrollback: scrollback, Context: ctx, Banner: s.estate.Notices,
	}
	if s.cfg != nil {
		opt.Location = s.cfg.Location
	}
	// Read-only mode never builds an executor: nothing in the console can then send a step's script.
	if s.mode != ui.ReadOnly {
		opt.Executor = runbook.NewExecutor(s.estate.SQL, s.estate.PS, s.estate.Names, sink, s.estate.Clock)
	}
	if _, err := tea.NewProgram(ui.New(opt), tea.WithContext(ctx)).Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("terminal: %w", err)
	}
	fmt.Fprintln(io.Err, "log file:", path)
	return nil
}
