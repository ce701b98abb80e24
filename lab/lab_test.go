package lab_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pcfailback/config"
	"pcfailback/estate"
	"pcfailback/lab"
	"pcfailback/probes"
)

// connected is a lab with an estate built from the configuration it wrote, as the console builds it.
type connected struct {
	lab    *lab.Lab
	estate *estate.Estate
	prober *probes.Prober
}

func connect(t testing.TB, o lab.Options) *connected {
	t.Helper()
	return connectAs(t, o, false)
}

func connectAs(t testing.TB, o lab.Options, readOnly bool) *connected {
	t.Helper()
	l, err := lab.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	cfg, err := config.Load(l.ConfigPath)
	if err != nil {
		t.Fatalf("the lab's configuration does not load: %v", err)
	}
	if err := cfg.CheckFiles(); err != nil {
		t.Fatalf("the lab's files: %v", err)
	}
	pw := map[string]string{}
	for name, a := range cfg.Auth {
		p, err := a.Password()
		if err != nil {
			t.Fatal(err)
		}
		pw[name] = p
	}
	e, err := estate.Live(cfg, estate.LiveOptions{Passwords: pw, Clock: l.Clock, Scale: l.Scale, ReadOnly: readOnly})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	p := probes.New(estate.ProberConfig(e.Names, e.SQL, e.PS, e.Clock))
	t.Cleanup(p.Close)
	return &connected{lab: l, estate: e, prober: p}
}

func refresh(t testing.TB, p *probes.Prober) probes.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang guard only
	defer cancel()
	return p.Refresh(ctx)
}

func TestTheConfigurationReachesEveryServerOverTLS(t *testing.T) {
	c := connect(t, lab.Options{Seed: 1})
	snap := refresh(t, c.prober)
	for _, r := range probes.Roles() {
		in := snap.Instance(r)
		if !in.Reachable {
			t.Errorf("%s unreachable: %s", r, in.Err)
		}
	}
	if !snap.Pool.Reachable || snap.Pool.State != "FailedOver" {
		t.Errorf("pool over WinRM: %+v", snap.Pool)
	}
	if got := c.estate.Names.Instance(probes.Primary); got.Name != "SQLPRIMARY" || got.Host != "sqlprimary.contoso.local" {
		t.Errorf("names come from the configuration: %+v", got)
	}
	if c.estate.Names.LyncHost != "lyncfe01.contoso.local" {
		t.Errorf("Lync host %q: want the topology FQDN, not the address", c.estate.Names.LyncHost)
	}
	if s := c.lab.WinRMStats(); s.Commands == 0 || s.AuthFailures != 0 {
		t.Errorf("WinRM endpoint: %+v", s)
	}
}

// The health probe is one batch per instance per refresh, on a session kept from one refresh to the next.
func TestEachRefreshIsOneRoundTripPerInstance(t *testing.T) {
	c := connect(t, lab.Options{Seed: 1})
	refresh(t, c.prober)
	before := c.lab.Stats()
	const n = 5
	for range n {
		refresh(t, c.prober)
	}
	after := c.lab.Stats()
	for _, r := range probes.Roles() {
		b, a := before[r], after[r]
		if got := a.Batches + a.RPCs - b.Batches - b.RPCs; got != n {
			t.Errorf("%s: %d round trips for %d refreshes", r, got, n)
		}
		if a.Logins != 1 || a.Connections != 1 {
			t.Errorf("%s: %d connections, %d logins: the session must be kept", r, a.Connections, a.Logins)
		}
	}
}

func TestFilesAreOwnerOnlyAndHoldNoPasswordInTheConfiguration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	c := connect(t, lab.Options{Seed: 1, Dir: dir})
	cfgText, err := os.ReadFile(c.lab.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %v: want owner-only", e.Name(), info.Mode().Perm())
		}
		if strings.HasSuffix(e.Name(), ".password") {
			pw, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if len(pw) < 20 || strings.Contains(string(cfgText), string(pw)) {
				t.Errorf("%s: a weak password, or one the configuration spells out", e.Name())
			}
		}
	}
}

// A rehearsal configuration's names survive the round trip through the written file, quotes included.
func TestRehearsalKeepsTheConfigurationsNames(t *testing.T) {
	data, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	user, err := config.ParseWith("example.toml", data, config.Options{Training: true})
	if err != nil {
		t.Fatal(err)
	}
	c := connect(t, lab.Options{Seed: 1, Config: user})
	n := c.estate.Names
	if n.Environment != user.Environment+" (training simulator)" || n.Share != user.Share || n.PoolFQDN != user.PoolFQDN ||
		n.Instance(probes.Backup).Name != user.Instance(config.RoleBackup).Name {
		t.Fatalf("names: %+v", n)
	}
	if snap := refresh(t, c.prober); !snap.Instance(probes.Backup).Reachable {
		t.Fatalf("backup: %s", snap.Instance(probes.Backup).Err)
	}
}

// A lab in a temporary directory leaves nothing behind.
func TestCloseRemovesTheTemporaryDirectory(t *testing.T) {
	l, err := lab.Start(lab.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := l.Dir
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the temporary directory %s is left behind (%v)", dir, err)
	}
}

// Read-only mode logs in with read-only intent on every instance, and its probes write nothing.
func TestReadOnlySessionsCarryReadOnlyIntent(t *testing.T) {
	c := connectAs(t, lab.Options{Seed: 1}, true)
	refresh(t, c.prober)
	for _, r := range probes.Roles() {
		name := c.estate.Names.Instance(r).Name
		sessions := c.lab.Sim.UserSessions(name)
		if len(sessions) == 0 {
			t.Fatalf("%s: no session", name)
		}
		for _, s := range sessions {
			if !s.ReadOnlyIntent || s.App != "pcfailback" {
				t.Errorf("%s: session %+v", name, s)
			}
		}
	}
	for _, x := range c.lab.Sim.Executed() {
		if x.Writes {
			t.Errorf("a probe wrote: %s on %s: %.80q", x.Kind, x.Target, x.Text)
		}
	}
}
