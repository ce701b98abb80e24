package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"text/tabwriter"

	"github.com/adrg/xdg"

	"pcfailback/config"
	"pcfailback/lab"
	"pcfailback/probes"
	"pcfailback/sim"
)

// SimCmd runs the training simulator standalone, for a trainer whose trainees connect with --config.
type SimCmd struct {
	List bool   `help:"List the fault scenarios (for --scenario) and exit."`
	Dir  string `help:"Directory for the console configuration, CA and password files (default: $XDG_STATE_HOME/pcfailback/sim). Its files are replaced at each start." type:"path" placeholder:"DIR"`
}

// Run starts the simulator's wire servers on loopback, prints where they are and the configuration to give the
// consoles, and serves until interrupted.
func (c SimCmd) Run(f *Flags, io *Streams) error {
	if c.List {
		return listScenarios(io)
	}
	if f.TimeScale < 1 || f.TimeScale > 10000 {
		return fmt.Errorf("--time-scale %v: want a number from 1 to 10000", f.TimeScale)
	}
	if err := knownScenario(f.Scenario); err != nil {
		return err
	}
	var names *config.Config
	if f.Config != "" {
		cfg, err := loadConfig(f.Config, true)
		if err != nil {
			return err
		}
		names = cfg
	}
	dir := c.Dir
	if dir == "" {
		dir = filepath.Join(xdg.StateHome, "pcfailback", "sim")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	l, err := lab.Start(lab.Options{Config: names, Seed: f.Seed, Scale: f.TimeScale, Scenario: f.Scenario, ChatDBSizeMB: f.DBSize, Dir: dir})
	if err != nil {
		return err
	}
	defer l.Close()
	printLab(io, l, f.Scenario)
	<-ctx.Done()
	fmt.Fprintln(io.Err, "simulator stopped")
	return nil
}

// printLab tells the trainer what runs where and what to give the trainees.
func printLab(io *Streams, l *lab.Lab, scenario string) {
	w := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "pcfailback training simulator · %s · time ×%g", l.Environment, l.Scale)
	if scenario != "" {
		fmt.Fprintf(w, " · scenario %s", scenario)
	}
	fmt.Fprintln(w)
	for _, r := range probes.Roles() {
		fmt.Fprintf(w, "  SQL Server %s\t%s\tTDS, TLS (encrypt = true)\n", r, l.SQL[r])
	}
	fmt.Fprintf(w, "  Lync host (WinRM)\t%s\tWS-Management over HTTPS\n", l.WinRM)
	w.Flush()
	fmt.Fprintf(io.Out, "\nConsoles connect with:\n  pcfailback --config %s\n", l.ConfigPath)
	fmt.Fprintf(io.Out, "The CA and the password files are next to it, readable only by their owner. Ctrl+C stops the simulator.\n")
}

// listScenarios prints every fault scenario with what it does.
func listScenarios(io *Streams) error {
	w := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
	for _, sc := range sim.Scenarios() {
		fmt.Fprintf(w, "%s\t%s\n", sc.Name, sc.Description)
	}
	return w.Flush()
}
