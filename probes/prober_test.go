package probes_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/sim"
)

// flakyConn wraps a connector so a test can make the instance unreachable on demand: new sessions are refused
// and batches on open sessions fail as a broken transport would.
type flakyConn struct {
	remote.SQLConn
	down     atomic.Bool
	connects atomic.Int32
}

var errNetwork = errors.New("read tcp 10.0.0.5:50123->10.0.0.9:1433: connection reset by peer")

func (c *flakyConn) Connect(ctx context.Context, db string) (remote.SQLSession, error) {
	c.connects.Add(1)
	if c.down.Load() {
		return nil, errNetwork
	}
	s, err := c.SQLConn.Connect(ctx, db)
	if err != nil {
		return nil, err
	}
	return &flakySession{SQLSession: s, conn: c}, nil
}

type flakySession struct {
	remote.SQLSession
	conn *flakyConn
}

func (s *flakySession) Run(ctx context.Context, batch string, emit func(remote.SQLEvent)) error {
	if s.conn.down.Load() {
		return errNetwork
	}
	return s.SQLSession.Run(ctx, batch, emit)
}

// flakyPS fails the Lync probe on demand.
type flakyPS struct {
	remote.PSRunner
	down atomic.Bool
}

func (p *flakyPS) Run(ctx context.Context, script string, emit func(remote.PSLine)) (int, error) {
	if p.down.Load() {
		return 0, errors.New("WinRM: connection refused")
	}
	return p.PSRunner.Run(ctx, script, emit)
}

type proberRig struct {
	sim   *sim.Sim
	clk   *clock.Virtual
	conns map[probes.Role]*flakyConn
	ps    *flakyPS
	p     *probes.Prober
}

func newRig(t *testing.T, scenario string, login sim.Login) *proberRig {
	t.Helper()
	s, clk := newSim(t, scenario)
	r := &proberRig{sim: s, clk: clk, conns: map[probes.Role]*flakyConn{}}
	servers := map[probes.Role]string{probes.Primary: "SQLPRIMARY", probes.PrimaryMirror: "SQLPRIMARY-MIR",
		probes.Backup: "SQLBACKUP", probes.BackupMirror: "SQLBACKUP-MIR"}
	var targets []probes.SQLTarget
	for _, role := range probes.Roles() {
		conn, err := s.SQL(servers[role], login)
		if err != nil {
			t.Fatal(err)
		}
		r.conns[role] = &flakyConn{SQLConn: conn}
		targets = append(targets, probes.SQLTarget{Role: role, Name: servers[role], Host: strings.ToLower(servers[role]) + ".contoso.local", Conn: r.conns[role]})
	}
	ps, err := s.PowerShell("lyncfe01.contoso.local")
	if err != nil {
		t.Fatal(err)
	}
	r.ps = &flakyPS{PSRunner: ps}
	r.p = probes.New(probes.Config{Names: defaultNames, PoolFQDN: pool, LyncHost: "lyncfe01.contoso.local", PS: r.ps, SQL: targets, Clock: clk})
	t.Cleanup(r.p.Close)
	return r
}

var dba = sim.Login{User: `CONTOSO\dba`, App: "pcfailback", Workstation: "CONSOLE"}

func TestRefreshSendsOneBatchPerInstance(t *testing.T) {
	r := newRig(t, "", dba)
	for i := 1; i <= 3; i++ {
		before := len(r.sim.Executed())
		r.clk.Advance(2 * time.Second)
		snap := r.p.Refresh(context.Background())
		if snap.Seq != uint64(i) {
			t.Fatalf("refresh %d has Seq %d", i, snap.Seq)
		}
		perTarget := map[string]int{}
		for _, e := range r.sim.Executed()[before:] {
			perTarget[e.Kind.String()+" "+e.Target]++
			if e.Writes {
				t.Errorf("the probe wrote: %s on %s", e.Kind, e.Target)
			}
		}
		want := map[string]int{"sql SQLPRIMARY": 1, "sql SQLPRIMARY-MIR": 1, "sql SQLBACKUP": 1, "sql SQLBACKUP-MIR": 1,
			"powershell lyncfe01.contoso.local": 1}
		if len(perTarget) != len(want) {
			t.Fatalf("refresh %d executed %v, want %v", i, perTarget, want)
		}
		for k, n := range want {
			if perTarget[k] != n {
				t.Fatalf("refresh %d executed %v, want %v", i, perTarget, want)
			}
		}
		if !snap.At.Equal(r.clk.Now()) {
			t.Errorf("snapshot At %v, clock %v", snap.At, r.clk.Now())
		}
		if r.p.Last().Seq != snap.Seq {
			t.Errorf("Last has Seq %d", r.p.Last().Seq)
		}
	}
	// The session is kept between refreshes: one connection per instance for all three.
	for role, c := range r.conns {
		if n := c.connects.Load(); n != 1 {
			t.Errorf("%s: %d connections for three refreshes", role, n)
		}
	}
}

func TestRefreshReadsEveryInstanceAndThePool(t *testing.T) {
	r := newRig(t, "", dba)
	snap := r.p.Refresh(context.Background())
	for _, role := range probes.Roles() {
		in := snap.Instance(role)
		if !in.Reachable || in.Err != "" || !in.ProbedAt.Equal(simStart) || in.Server == "" || in.Name == "" || in.Role != role {
			t.Errorf("%s: %+v", role, in)
		}
	}
	if b := snap.Instance(probes.Backup); b.Database("mgc").Mirroring.Role != "PRINCIPAL" {
		t.Errorf("backup mgc mirroring %+v", b.Database("mgc").Mirroring)
	}
	p := snap.Pool
	if !p.Reachable || p.State != "FailedOver" || p.Host != "lyncfe01.contoso.local" || !p.ProbedAt.Equal(simStart) || p.ShareFree <= 0 || p.ShareErr != "" {
		t.Errorf("pool: %+v", p)
	}
}

func TestUnreachableInstanceKeepsItsDataMarkedStale(t *testing.T) {
	r := newRig(t, "", dba)
	first := r.p.Refresh(context.Background())
	was := first.Instance(probes.Backup)

	r.conns[probes.Backup].down.Store(true)
	r.clk.Advance(time.Minute)
	snap := r.p.Refresh(context.Background())
	in := snap.Instance(probes.Backup)
	if in.Reachable || !strings.Contains(in.Err, "connection reset by peer") {
		t.Fatalf("backup after a transport failure: reachable %t, err %q", in.Reachable, in.Err)
	}
	if !in.ProbedAt.Equal(was.ProbedAt) || in.Server != "SQLBACKUP" || in.Database("mgc").Mirroring.Role != "PRINCIPAL" || in.Version != was.Version {
		t.Errorf("previous data not kept: %+v", in)
	}
	if other := snap.Instance(probes.Primary); !other.Reachable || !other.ProbedAt.Equal(r.clk.Now()) {
		t.Errorf("one unreachable instance held the others back: %+v", other)
	}

	// Still down: the session was dropped, so the next refresh tries to connect again and fails there.
	r.clk.Advance(time.Minute)
	snap = r.p.Refresh(context.Background())
	if in := snap.Instance(probes.Backup); in.Reachable || !in.ProbedAt.Equal(was.ProbedAt) || in.Database("mgc").State != "ONLINE" {
		t.Errorf("second failed refresh: %+v", in)
	}

	r.conns[probes.Backup].down.Store(false)
	r.clk.Advance(time.Minute)
	snap = r.p.Refresh(context.Background())
	if in := snap.Instance(probes.Backup); !in.Reachable || in.Err != "" || !in.ProbedAt.Equal(r.clk.Now()) {
		t.Errorf("after the instance came back: %+v", in)
	}
	if n := r.conns[probes.Backup].connects.Load(); n != 3 {
		t.Errorf("%d connections; want the first, a failed retry and the reconnection", n)
	}
}

func TestNeverReachedInstance(t *testing.T) {
	r := newRig(t, "", dba)
	r.conns[probes.PrimaryMirror].down.Store(true)
	in := r.p.Refresh(context.Background()).Instance(probes.PrimaryMirror)
	if in.Reachable || in.Err == "" || !in.ProbedAt.IsZero() || in.Name != "SQLPRIMARY-MIR" || in.Host == "" {
		t.Errorf("never reached: %+v", in)
	}
}

// A refused login is a SQL error (18456) but the instance told us nothing: it must read as unreachable, not as
// an instance that answered and has no databases.
func TestRefusedLoginIsUnreachable(t *testing.T) {
	r := newRig(t, "primary-login-denied", dba)
	in := r.p.Refresh(context.Background()).Instance(probes.Primary)
	if in.Reachable || !strings.Contains(in.Err, "18456") || !in.ProbedAt.IsZero() {
		t.Errorf("primary with a refused login: reachable %t, err %q, probed %v", in.Reachable, in.Err, in.ProbedAt)
	}
	if b := r.p.Last().Instance(probes.Backup); !b.Reachable {
		t.Errorf("backup: %+v", b)
	}
}

func TestUnreachablePoolKeepsItsData(t *testing.T) {
	r := newRig(t, "", dba)
	was := r.p.Refresh(context.Background()).Pool
	r.ps.down.Store(true)
	r.clk.Advance(time.Minute)
	p := r.p.Refresh(context.Background()).Pool
	if p.Reachable || !strings.Contains(p.Err, "connection refused") || p.State != was.State || !p.ProbedAt.Equal(was.ProbedAt) ||
		len(p.Active) != 2 || p.FQDN != pool || p.Host != "lyncfe01.contoso.local" {
		t.Errorf("pool after a failed probe: %+v", p)
	}
}

func TestWatchedFiles(t *testing.T) {
	r := newRig(t, "", dba)
	exists := `\\fs01.contoso.local\csmirror\mgc_20240310094000.bak`
	absent := `\\fs01.contoso.local\pchatls\mgc_failback_20240312_093000.bak`
	snap := r.p.Refresh(context.Background())
	if f := snap.Instance(probes.Primary).File(exists); f.Checked {
		t.Fatalf("a file nobody asked about is reported: %+v", f)
	}
	r.p.Watch(exists, absent)
	snap = r.p.Refresh(context.Background())
	for _, role := range []probes.Role{probes.Primary, probes.Backup} {
		in := snap.Instance(role)
		if f := in.File(exists); !f.Checked || !f.Exists {
			t.Errorf("%s: %s: %+v", role, exists, f)
		}
		if f := in.File(absent); !f.Checked || f.Exists || !f.ParentExists {
			t.Errorf("%s: %s: %+v", role, absent, f)
		}
	}
	r.p.Watch()
	if f := r.p.Refresh(context.Background()).Instance(probes.Backup).File(exists); f.Checked {
		t.Errorf("file still watched after Watch(): %+v", f)
	}
}

// hungConn answers nothing until the probe's deadline passes.
type hungConn struct{}

func (hungConn) Connect(ctx context.Context, db string) (remote.SQLSession, error) {
	return hungSession{}, nil
}

type hungSession struct{}

func (hungSession) Run(ctx context.Context, batch string, emit func(remote.SQLEvent)) error {
	<-ctx.Done()
	return ctx.Err()
}

func (hungSession) Close() error { return nil }

// quickConn answers the health batch at once with only the server row.
type quickConn struct{}

func (quickConn) Connect(ctx context.Context, db string) (remote.SQLSession, error) {
	return quickSession{}, nil
}

type quickSession struct{}

func (quickSession) Run(ctx context.Context, batch string, emit func(remote.SQLEvent)) error {
	emit(remote.SQLEvent{Kind: remote.SQLResultStart, Columns: []remote.Column{{Name: "probe"}, {Name: "server_name"}, {Name: "product_version"}, {Name: "server_time"}}})
	emit(remote.SQLEvent{Kind: remote.SQLRow, Values: []any{"server", "SQLBACKUP", "11.0.7001.0", simStart}})
	return nil
}

func (quickSession) Close() error { return nil }

func TestHungInstanceTimesOutAlone(t *testing.T) {
	clk := clock.NewVirtual(simStart)
	p := probes.New(probes.Config{Names: defaultNames, Clock: clk, Timeout: 200 * time.Millisecond, SQL: []probes.SQLTarget{
		{Role: probes.Primary, Name: "SQLPRIMARY", Conn: hungConn{}},
		{Role: probes.Backup, Name: "SQLBACKUP", Conn: quickConn{}},
		{Role: probes.BackupMirror, Name: "SQLBACKUP-MIR"},
	}})
	defer p.Close()
	snap := p.Refresh(context.Background())
	if in := snap.Instance(probes.Primary); in.Reachable || !strings.Contains(in.Err, "deadline exceeded") {
		t.Errorf("hung primary: %+v", in)
	}
	if in := snap.Instance(probes.Backup); !in.Reachable || in.Server != "SQLBACKUP" {
		t.Errorf("backup: %+v", in)
	}
	if in := snap.Instance(probes.BackupMirror); in.Reachable || !strings.Contains(in.Err, "no connection configured") {
		t.Errorf("instance without a connection: %+v", in)
	}
	if snap.Pool.Reachable || snap.Pool.Err != "" {
		t.Errorf("pool probed without a runner: %+v", snap.Pool)
	}
}

// Refreshes from several goroutines (the tick and a step's fresh probe) are serialised: every one gets its own
// sequence number.
func TestConcurrentRefreshesAreSerialised(t *testing.T) {
	r := newRig(t, "", dba)
	var wg sync.WaitGroup
	seqs := make(chan uint64, 8)
	for range 8 {
		wg.Go(func() { seqs <- r.p.Refresh(context.Background()).Seq })
	}
	wg.Wait()
	close(seqs)
	seen := map[uint64]bool{}
	for s := range seqs {
		if seen[s] || s < 1 || s > 8 {
			t.Fatalf("sequence %d repeated or out of range", s)
		}
		seen[s] = true
	}
}

// partialConn answers part of the batch, then raises a SQL error (a view the login may not read).
type partialConn struct{}

func (partialConn) Connect(ctx context.Context, db string) (remote.SQLSession, error) {
	return partialSession{}, nil
}

type partialSession struct{ quickSession }

func (s partialSession) Run(ctx context.Context, batch string, emit func(remote.SQLEvent)) error {
	_ = s.quickSession.Run(ctx, batch, emit)
	return &remote.SQLError{Number: 229, Class: 14, State: 5, Text: "The SELECT permission was denied on the object 'sysjobs', database 'msdb', schema 'dbo'."}
}

func TestBatchErrorKeepsWhatWasRead(t *testing.T) {
	clk := clock.NewVirtual(simStart)
	p := probes.New(probes.Config{Names: defaultNames, Clock: clk, SQL: []probes.SQLTarget{{Role: probes.Backup, Name: "SQLBACKUP", Conn: partialConn{}}}})
	defer p.Close()
	in := p.Refresh(context.Background()).Instance(probes.Backup)
	if !in.Reachable || in.Server != "SQLBACKUP" || !strings.HasPrefix(in.Err, "probe incomplete: Msg 229") || !in.ProbedAt.Equal(simStart) {
		t.Errorf("instance after a batch error: %+v", in)
	}
}

func TestReconnectionBacksOff(t *testing.T) {
	r := newRig(t, "", dba)
	r.conns[probes.Backup].down.Store(true)
	if in := r.p.Refresh(context.Background()).Instance(probes.Backup); in.Reachable {
		t.Fatal("reachable while down")
	}
	tries := r.conns[probes.Backup].connects.Load()
	// Straight away: no new login attempt, and the error says when the next one comes.
	in := r.p.Refresh(context.Background()).Instance(probes.Backup)
	if n := r.conns[probes.Backup].connects.Load(); n != tries {
		t.Errorf("%d connection attempts within the back-off, want %d", n, tries)
	}
	if !strings.Contains(in.Err, "next attempt in 1s") {
		t.Errorf("error %q does not say when the next attempt comes", in.Err)
	}
	// After the wait it tries again; a second failure doubles the wait.
	r.clk.Advance(time.Second)
	r.p.Refresh(context.Background())
	if n := r.conns[probes.Backup].connects.Load(); n != tries+1 {
		t.Errorf("%d attempts after the back-off, want %d", n, tries+1)
	}
	if in := r.p.Refresh(context.Background()).Instance(probes.Backup); !strings.Contains(in.Err, "next attempt in 2s") {
		t.Errorf("second back-off: %q", in.Err)
	}
	// Back up: the next attempt after the wait succeeds and the back-off is forgotten.
	r.conns[probes.Backup].down.Store(false)
	r.clk.Advance(2 * time.Second)
	if in := r.p.Refresh(context.Background()).Instance(probes.Backup); !in.Reachable {
		t.Errorf("not reachable after coming back: %q", in.Err)
	}
}
