package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/adrg/xdg"

	"pcfailback/config"
	"pcfailback/control"
	"pcfailback/estate"
	"pcfailback/lab"
	"pcfailback/probes"
	"pcfailback/sim"
	"pcfailback/steps"
	"pcfailback/ui"
)

// session is what every command needs: the configuration (if any), the estate, the mode.
type session struct {
	cfg     *config.Config
	estate  *estate.Estate
	mode    ui.Mode
	refresh time.Duration
	// lab is the in-process training simulator, nil against real servers.
	lab *lab.Lab
	// lease is this console's control of the estate (nil when read-only); estateCfg and liveOpts rebuild the
	// estate read-only when control is held elsewhere.
	lease     *control.Lease
	lostOnce  sync.Once
	estateCfg *config.Config
	liveOpts  estate.LiveOptions
}

// open loads the configuration and connects the estate. No configuration (and none at the default path) means
// training; --sim forces training on a configuration's names; read-only comes from the flag or the file.
func open(f *Flags) (*session, error) {
	cfg, err := loadConfig(f.Config, f.Sim)
	if err != nil {
		return nil, err
	}
	s := &session{cfg: cfg, refresh: 2 * time.Second}
	if cfg != nil {
		s.refresh = cfg.RefreshInterval
	}
	if f.Refresh != "" {
		d, err := time.ParseDuration(f.Refresh)
		if err != nil || d < 200*time.Millisecond || d > 5*time.Minute {
			return nil, fmt.Errorf("--refresh %q: want a duration between 200ms and 5m", f.Refresh)
		}
		s.refresh = d
	}
	if f.TimeScale < 1 || f.TimeScale > 10000 {
		return nil, fmt.Errorf("--time-scale %v: want a number from 1 to 10000", f.TimeScale)
	}
	if err := knownScenario(f.Scenario); err != nil {
		return nil, err
	}
	readOnly := f.ReadOnly || (cfg != nil && cfg.ReadOnly)
	if cfg == nil || f.Sim {
		s.mode = ui.Training
		err = s.startLab(f, cfg, readOnly)
	} else {
		s.mode = ui.Live
		err = s.connect(cfg, estate.LiveOptions{ReadOnly: readOnly})
	}
	if err != nil {
		s.close()
		return nil, err
	}
	if readOnly {
		s.mode = ui.ReadOnly
	}
	return s, nil
}

// startLab starts the training simulator behind its wire servers in this process and connects to it through the
// configuration it writes, exactly as a console connects to production (or to a trainer's `pcfailback sim`).
func (s *session) startLab(f *Flags, cfg *config.Config, readOnly bool) error {
	l, err := lab.Start(lab.Options{Config: cfg, Seed: f.Seed, Scale: f.TimeScale, Scenario: f.Scenario, ChatDBSizeMB: f.DBSize})
	if err != nil {
		return err
	}
	s.lab = l
	labCfg, err := loadConfig(l.ConfigPath, false)
	if err != nil {
		return fmt.Errorf("training simulator: %w", err)
	}
	return s.connect(labCfg, estate.LiveOptions{ReadOnly: readOnly, Clock: l.Clock, Scale: l.Scale})
}

// connect resolves the passwords the configuration needs (environment, owner-only file or a masked prompt, before
// the console takes the terminal) and builds the estate on the production runners.
func (s *session) connect(cfg *config.Config, o estate.LiveOptions) error {
	pw, err := passwords(cfg, terminalPrompt)
	if err != nil {
		return err
	}
	o.Passwords = pw
	s.remember(cfg, o)
	s.estate, err = estate.Live(cfg, o)
	return err
}

// close ends the estate's connections and stops an in-process simulator.
func (s *session) close() {
	s.releaseControl()
	if s.estate != nil {
		_ = s.estate.Close()
	}
	if s.lab != nil {
		_ = s.lab.Close()
	}
}

// loadConfig finds the configuration: --config (must exist), else $PCFAILBACK_CONFIG, else the default file if
// it exists. With --sim the file may use settings only a simulator accepts (encrypt = "disable"). The files it
// names (CA bundles, password files, Kerberos files) are checked at start-up, not when a step needs them.
func loadConfig(path string, sim bool) (*config.Config, error) {
	cfg, err := config.Resolve(path, config.Options{Training: sim})
	if err != nil || cfg == nil {
		return nil, err
	}
	if !sim {
		if err := cfg.CheckFiles(); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// prober builds the health prober over the estate.
func (s *session) prober() *probes.Prober {
	e := s.estate
	return probes.New(estate.ProberConfig(e.Names, e.SQL, e.PS, e.Clock))
}

// env is what checks and plans are judged against: the estate's names and clock, and a snapshot.
func (s *session) env(snap probes.Snapshot) steps.Env {
	return steps.Env{Names: s.estate.Names, Snap: snap, Now: s.estate.Clock.Now(), StaleAfter: s.staleAfter()}
}

// staleAfter is how old a probe may be, in the estate's clock, before checks refuse it: three refreshes of wall
// time, and never less than two probe timeouts of it — a refresh waits for its slowest probe, and a Lync host that
// stops answering holds every refresh for the whole probe timeout (15 s), so the SQL data is then up to that much
// older without anything being wrong with it. In training that wall time is scaled into simulated time.
func (s *session) staleAfter() time.Duration {
	return time.Duration(float64(max(3*s.refresh, 2*probes.DefaultTimeout)) * s.estate.Scale)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// logPath is where this run's log file goes: one file per run, per environment.
func (s *session) logPath(flagDir string) (string, error) {
	dir := flagDir
	if dir == "" && s.cfg != nil {
		dir = s.cfg.Log.Dir
	}
	if dir == "" {
		dir = filepath.Join(xdg.StateHome, "pcfailback", "logs")
	}
	envName := strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(s.estate.Names.Environment), "-"), "-")
	dir = filepath.Join(dir, envName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("log directory: %w", err)
	}
	return filepath.Join(dir, "console-"+time.Now().Format("20060102-150405")+fmt.Sprintf("-%d.log", os.Getpid())), nil
}

// knownScenario refuses a misspelt --scenario with the list of scenarios, before anything starts.
func knownScenario(name string) error {
	if name == "" {
		return nil
	}
	var names []string
	for _, sc := range sim.Scenarios() {
		if sc.Name == name {
			return nil
		}
		names = append(names, sc.Name)
	}
	return fmt.Errorf("--scenario %q: no such scenario (known: %s)", name, strings.Join(names, ", "))
}
