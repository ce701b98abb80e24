// Package cli is the command line: flags, the console command (the default), plan and check. It wires the
// packages together; main only calls Main.
package cli

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/alecthomas/kong"

	"pcfailback/themes"
)

// Flags are the options every command shares.
type Flags struct {
	Config    string  `help:"Configuration file (default: $XDG_CONFIG_HOME/pcfailback/config.toml). Without one the console runs the training simulator." type:"path" placeholder:"FILE"`
	Sim       bool    `help:"Run against the built-in simulator (training). With a configuration, the simulator takes its names."`
	ReadOnly  bool    `name:"read-only" help:"Monitor only: no step can run (also read_only = true in the configuration)."`
	Theme     string  `help:"Colour theme: ${themes}. NO_COLOR (any non-empty value) forces no-color." default:"dark" enum:"${themes}"`
	Seed      int64   `help:"Simulator seed: the same seed and the same keystrokes give the same run." default:"1"`
	TimeScale float64 `name:"time-scale" help:"Simulated seconds per wall second in training (a 15-minute log-shipping schedule takes 30 s at 30)." default:"30"`
	Scenario  string  `help:"Simulator fault scenario (see the README)." placeholder:"NAME"`
	DBSize    int64   `name:"db-size-mb" help:"Size of mgc in the simulator, in MB (backups take size/120 MB/s simulated seconds)." default:"20480"`
	LogDir    string  `name:"log-dir" help:"Directory for the console's log files (default: the configuration's log.dir, else $XDG_STATE_HOME/pcfailback/logs)." type:"path" placeholder:"DIR"`
	Refresh   string  `help:"Probe interval, e.g. 2s (default: the configuration's refresh_interval, 2s in training)." placeholder:"DURATION"`
}

// CLI is the whole command line.
type CLI struct {
	Flags
	Version kong.VersionFlag `help:"Print the version and exit."`

	Console ConsoleCmd `cmd:"" default:"1" help:"Run the console (the default command)."`
	Plan    PlanCmd    `cmd:"" help:"Print every step's resolved script, target and checks, for review; runs nothing."`
	Check   CheckCmd   `cmd:"" help:"Run the pre-flight checks (F0); exit 1 if any fails."`
	Sim     SimCmd     `cmd:"" help:"Run the training simulator standalone on loopback, for consoles that connect with --config."`
	Journal JournalCmd `cmd:"" help:"Verify or export the environment's journal of failbacks."`
}

// Version is the build's version: the module version, or the VCS revision for a development build.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 && (v == "" || v == "(devel)") {
			v = "devel-" + s.Value[:12]
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return v
}

// Streams are the command's output streams.
type Streams struct{ Out, Err io.Writer }

// exitError carries an exit code out of a command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main parses args and runs the command; it returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	var c CLI
	exit := -1
	parser, err := kong.New(&c,
		kong.Name("pcfailback"),
		kong.Description("Fail a Lync Server 2013 Persistent Chat deployment back to its primary data center, step by step, with live checks."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { exit = code }),
		kong.Vars{"version": Version(), "themes": strings.Join(themes.Names(), ",")},
		kong.UsageOnError(),
	)
	if err != nil {
		fmt.Fprintln(stderr, "pcfailback:", err)
		return 2
	}
	ctx, err := parser.Parse(args)
	if exit >= 0 {
		return exit // --help or --version
	}
	if err != nil {
		fmt.Fprintln(stderr, "pcfailback:", err)
		return 2
	}
	err = ctx.Run(&c.Flags, &Streams{Out: stdout, Err: stderr})
	var ee exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case err != nil:
		fmt.Fprintln(stderr, "pcfailback:", err)
		return 1
	}
	return 0
}
