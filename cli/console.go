package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"pcfailback/journal"
	"pcfailback/runbook"
	"pcfailback/themes"
	"pcfailback/transcript"
	"pcfailback/ui"
)

// ConsoleCmd runs the console.
type ConsoleCmd struct{}

// Run opens the estate, the journal, the log file and the terminal UI. When the terminal goes away while a step
// runs, the step finishes headless and is verified before the process exits; SIGTERM cancels it at the server.
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

	j, resume, notices, err := s.openJournal(path)
	if err != nil {
		return err
	}
	defer j.Close()
	held, err := s.takeControl(j)
	if err != nil {
		return err
	}
	notices = append(notices, held...)

	// ctx is the steps' context: it outlives the terminal (a hangup lets the running step finish) and ends on
	// SIGTERM (the step is cancelled at the server).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	prober := s.prober()
	defer prober.Close()

	opt := ui.Options{
		Mode: s.mode, Names: s.estate.Names, Prober: prober, Sink: sink, Clock: s.estate.Clock,
		Styles: themes.NewStyles(palette), Refresh: s.refresh, StaleAfter: s.staleAfter(),
		LogPath: path, Scrollback: scrollback, Context: ctx, Journal: j, Resume: resume,
		Banner: append(append([]string(nil), s.estate.Notices...), notices...),
	}
	if s.cfg != nil {
		opt.Location = s.cfg.Location
	}
	// Read-only mode never builds an executor: nothing in the console can then send a step's script.
	var x *runbook.Executor
	if s.mode != ui.ReadOnly {
		x = runbook.NewExecutor(s.estate.SQL, s.estate.PS, s.estate.Names, sink, s.estate.Clock).WithJournal(j, path).WithGuard(s.guard(j))
		opt.Executor = x
	}
	p := tea.NewProgram(ui.New(opt), tea.WithoutSignalHandler())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sig)
	exit := make(chan string, 1)
	ran := make(chan struct{})
	defer close(ran)
	go func() {
		select {
		case got := <-sig:
			exit <- reasonFor(got.(syscall.Signal))
			if got != syscall.SIGHUP {
				cancel() // SIGTERM, SIGINT: stop the running step at the server
			}
			p.Kill()
		case <-ran:
		}
	}()
	watch, stopWatch := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		s.watchControl(watch, j, func(text string) { p.Send(ui.NoticeMsg{Text: text}) })
	}()
	final, runErr := p.Run()
	stopWatch()
	<-watched
	reason, detail := journal.ExitQuit, ""
	select {
	case reason = <-exit:
	default:
		if runErr != nil && !errors.Is(runErr, tea.ErrProgramKilled) {
			// The terminal failed under the console (its input or output went away): with a step under way that is
			// a hangup by another road, and the step is finished headless; otherwise the console stops on the error.
			reason, detail = journal.ExitError, runErr.Error()
			if x != nil && (x.Running() || activeStep(final)) {
				reason = journal.ExitHangup
			}
		}
	}
	if x != nil {
		s.finishHeadless(x, final, reason, prober, sink, j, path)
	}
	if _, err := j.Append(journal.Record{At: s.estate.Clock.Now(), Kind: journal.KindExit, Reason: reason, Detail: detail}); err != nil {
		fmt.Fprintln(io.Err, "pcfailback: journal:", err)
	}
	if reason == journal.ExitQuit {
		fmt.Fprintln(io.Err, "log file:", path)
		fmt.Fprintln(io.Err, "journal:", j.Path())
	}
	if reason == journal.ExitError {
		return fmt.Errorf("terminal: %w", runErr)
	}
	return nil
}

// activeStep reports whether the console's final state has a step running or verifying.
func activeStep(final tea.Model) bool {
	m, ok := final.(ui.Model)
	return ok && m.Book().Active() != nil
}

func reasonFor(s syscall.Signal) string {
	if s == syscall.SIGHUP {
		return journal.ExitHangup
	}
	return journal.ExitTerminated
}

// headlessLimit bounds how long a console without a terminal waits for its step and the step's verification.
const headlessLimit = 6 * time.Hour
