package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/adrg/xdg"

	"pcfailback/journal"
)

// JournalCmd checks and exports an environment's journal.
type JournalCmd struct {
	Verify JournalVerifyCmd `cmd:"" help:"Check the journal's chain and head; exit 1 if anything is wrong."`
	Export JournalExportCmd `cmd:"" help:"Write the journal's incident timeline as Markdown."`
}

// JournalVerifyCmd is `pcfailback journal verify`.
type JournalVerifyCmd struct {
	File string `help:"Journal file (default: the environment's, under $XDG_STATE_HOME/pcfailback/journal)." type:"path" placeholder:"FILE"`
}

// JournalExportCmd is `pcfailback journal export`.
type JournalExportCmd struct {
	File string `help:"Journal file (default: the environment's, under $XDG_STATE_HOME/pcfailback/journal)." type:"path" placeholder:"FILE"`
	Out  string `help:"Write the Markdown to FILE (mode 0600) rather than standard output." type:"path" placeholder:"FILE"`
}

// Run verifies the chain and the head and prints what it found; a damaged journal exits 1.
func (c *JournalVerifyCmd) Run(f *Flags, io *Streams) error {
	path, _, err := journalFile(f, c.File)
	if err != nil {
		return err
	}
	rep, err := journal.Verify(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "journal %s\n%d records", rep.Path, rep.Records)
	if rep.Records > 0 {
		fmt.Fprintf(io.Out, ", %s to %s", rep.First.Format(time.RFC3339), rep.Last.Format(time.RFC3339))
	}
	fmt.Fprintln(io.Out)
	if rep.OK() {
		fmt.Fprintln(io.Out, "✓ chain intact: every record links to the one before it and the head names the last one")
		return nil
	}
	fmt.Fprintf(io.Out, "✗ chain broken: %d problem(s)\n", len(rep.Problems))
	for _, p := range rep.Problems {
		mark := "✗"
		if p.Recorded {
			mark = "!" // found and recorded by a console earlier: still evidence of damage
		}
		fmt.Fprintf(io.Out, "  %s %s\n", mark, p)
	}
	fmt.Fprintln(io.Out, "  (✗ found now; ! recorded in the journal by a console that found it)")
	return exitError{1}
}

// Run writes the timeline to standard output or --out. A damaged journal is still exported, with its problems
// listed in the Markdown, and a warning on standard error.
func (c *JournalExportCmd) Run(f *Flags, io *Streams) error {
	path, loc, err := journalFile(f, c.File)
	if err != nil {
		return err
	}
	records, rep, err := journal.Load(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := journal.ExportChecked(&buf, records, rep.Problems, loc); err != nil {
		return err
	}
	if c.Out == "" {
		_, err = io.Out.Write(buf.Bytes())
	} else {
		err = writePrivate(c.Out, buf.Bytes())
	}
	if err != nil {
		return err
	}
	if !rep.OK() {
		fmt.Fprintf(io.Err, "pcfailback: journal %s: the chain has %d problem(s); the export lists them "+
			"(pcfailback journal verify --file %s)\n", path, len(rep.Problems), path)
	}
	return nil
}

// journalFile is --file, or the environment's journal: the configuration's environment, or the training
// estate's name without a configuration or with --sim. It also returns the time zone to show times in.
func journalFile(f *Flags, file string) (string, *time.Location, error) {
	if file != "" {
		return file, time.Local, nil
	}
	cfg, err := loadConfig(f.Config, f.Sim)
	if err != nil {
		return "", nil, err
	}
	env, loc := journal.TrainingEnvironment(""), time.Local
	switch {
	case cfg != nil && f.Sim:
		env = journal.TrainingEnvironment(cfg.Environment)
	case cfg != nil:
		env = cfg.Environment
	}
	if cfg != nil && cfg.Location != nil {
		loc = cfg.Location
	}
	if xdg.StateHome == "" || !filepath.IsAbs(xdg.StateHome) {
		return "", nil, errors.New("no state directory to find the journal in (XDG_STATE_HOME and HOME are unset); use --file")
	}
	return journal.PathFor(xdg.StateHome, env), loc, nil
}

// writePrivate writes data to path, readable by the owner only (an export names servers, people and errors).
func writePrivate(path string, data []byte) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	err = out.Chmod(0o600) // an existing file keeps its mode otherwise
	if err == nil {
		_, err = out.Write(data)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--out %s: %w", path, err)
	}
	return nil
}
