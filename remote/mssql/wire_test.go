package mssql

// Tests against the simulator behind its TDS server: the runner as production uses it, on loopback.

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/config"
	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/sim"
	"pcfailback/sim/certs"
	"pcfailback/sim/tds"
)

// wireEpoch is the simulated start of every test estate.
var wireEpoch = time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC)

// backupScript is the procedure's F3 on the backup instance.
const backupScript = `BACKUP DATABASE [mgc] TO DISK = N'\\fs01.contoso.local\pchatls\mgc_failback_20240312_093000.bak'
WITH INIT, FORMAT, CHECKSUM, STATS = 10;`

// gatedClock is a virtual clock whose Sleep number hold blocks until the test releases it: a statement paced by the
// clock is then certainly still running, without any wall-clock timing.
type gatedClock struct {
	*clock.Virtual
	mu      sync.Mutex
	n, hold int
	held    chan struct{}
	release chan struct{}
}

func newGatedClock(hold int) *gatedClock {
	return &gatedClock{Virtual: clock.NewVirtual(wireEpoch), hold: hold, held: make(chan struct{}),
		release: make(chan struct{})}
}

// Sleep implements clock.Clock.
func (g *gatedClock) Sleep(ctx context.Context, d time.Duration) error {
	g.mu.Lock()
	g.n++
	n := g.n
	g.mu.Unlock()
	if n == g.hold {
		close(g.held)
		select {
		case <-g.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return g.Virtual.Sleep(ctx, d)
}

// wire is an estate with a TDS server in front of one instance.
type wire struct {
	sim    *sim.Sim
	srv    *tds.Server
	port   int
	caFile string
	server string
	logins chan tds.ConnEvent
}

// wireOptions configure startWire.
type wireOptions struct {
	clock  clock.Clock
	server string // default SQLBACKUP
	tls    bool
}

// startWire builds the estate and serves one instance on an ephemeral loopback port until the test ends.
func startWire(t testing.TB, o wireOptions) *wire {
	t.Helper()
	if o.clock == nil {
		o.clock = clock.NewVirtual(wireEpoch)
	}
	if o.server == "" {
		o.server = "SQLBACKUP"
	}
	s, err := sim.New(sim.Options{Seed: 42, Clock: o.clock, ChatDBSizeMB: 1024})
	if err != nil {
		t.Fatal(err)
	}
	return serveWire(t, s, o)
}

// serveWire puts a TDS server in front of instance o.server of s.
func serveWire(t testing.TB, s *sim.Sim, o wireOptions) *wire {
	t.Helper()
	w, stop := newWire(t, s, o)
	t.Cleanup(stop)
	return w
}

// newWire is serveWire with the shutdown left to the caller.
func newWire(t testing.TB, s *sim.Sim, o wireOptions) (*wire, func()) {
	t.Helper()
	backend, err := s.WireSQL(o.server)
	if err != nil {
		t.Fatal(err)
	}
	w := &wire{sim: s, server: o.server, logins: make(chan tds.ConnEvent, 64)}
	cfg := tds.Config{Backend: backend, Users: map[string]string{"dba": secret}, Conns: w.logins}
	if o.tls {
		ca, err := certs.NewCA("pcfailback test CA")
		if err != nil {
			t.Fatal(err)
		}
		cert, err := ca.Issue(strings.ToLower(o.server) + ".contoso.local")
		if err != nil {
			t.Fatal(err)
		}
		cfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		w.caFile = filepath.Join(t.TempDir(), "ca.pem")
		if err := os.WriteFile(w.caFile, ca.PEM, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w.srv = tds.NewServer(cfg)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.port = l.Addr().(*net.TCPAddr).Port
	served := make(chan error, 1)
	go func() { served <- w.srv.Serve(l) }()
	return w, func() {
		w.srv.Close()
		if err := <-served; err != nil && !errors.Is(err, tds.ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	}
}

// options are the runner's options for the wire server: encrypt=disable unless TLS was asked for.
func (w *wire) options() Options {
	o := fakeOptions(w.port)
	if w.caFile != "" {
		o.Encrypt, o.AllowDisable = config.EncryptTrue, false
		o.CAFile, o.HostNameInCertificate = w.caFile, strings.ToLower(w.server)+".contoso.local"
	}
	return o
}

// lastLogin returns the most recent login event.
func (w *wire) lastLogin(t *testing.T) tds.ConnEvent {
	t.Helper()
	var ev tds.ConnEvent
	for {
		select {
		case ev = <-w.logins:
		default:
			return ev
		}
	}
}

// BACKUP's progress reaches the caller while the backup runs (it is paused inside the server when the test looks),
// and all its messages arrive in order.
func TestWireBackupProgressStreamsInOrder(t *testing.T) {
	gate := newGatedClock(5)
	w := startWire(t, wireOptions{clock: gate})
	s := connect(t, open(t, w.options()), "master")
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	progress := make(chan remote.SQLEvent, 64)
	done := make(chan error, 1)
	go func() {
		done <- s.Run(ctx, backupScript, func(ev remote.SQLEvent) { progress <- ev })
	}()
	select {
	case <-gate.held:
	case <-ctx.Done():
		t.Fatal("the backup never reached its fifth pause")
	}
	var first remote.SQLEvent
	select {
	case first = <-progress:
	case <-ctx.Done():
		t.Fatal("no progress reached the caller while the backup was running")
	}
	if first.Kind != remote.SQLInfoMsg || first.Number != 3211 || !strings.HasSuffix(first.Text, " percent processed.") {
		t.Fatalf("first event while running: %+v", first)
	}
	close(gate.release)
	if err := <-done; err != nil {
		t.Fatalf("backup: %v", err)
	}
	close(progress)
	all := []remote.SQLEvent{first}
	for ev := range progress {
		all = append(all, ev)
	}
	last := 0
	var numbers []int32
	for _, ev := range all {
		numbers = append(numbers, ev.Number)
		if ev.Number != 3211 {
			continue
		}
		var pct int
		for _, r := range strings.TrimSuffix(ev.Text, " percent processed.") {
			pct = pct*10 + int(r-'0')
		}
		if pct <= last {
			t.Fatalf("progress out of order: %d after %d", pct, last)
		}
		last = pct
	}
	n := len(numbers)
	if last != 100 || n < 4 || numbers[n-3] != 4035 || numbers[n-2] != 4035 || numbers[n-1] != 3014 {
		t.Fatalf("messages %v", numbers)
	}
	if all[n-1].Server != "SQLBACKUP" || all[n-1].Class != 0 {
		t.Errorf("3014 %+v", all[n-1])
	}
}

// Cancelling a running BACKUP: the attention reaches the server, the call returns promptly, the simulated backup is
// aborted (no backup set recorded), and the same session runs the next batch.
func TestWireCancelRunningBackup(t *testing.T) {
	gate := newGatedClock(3)
	w := startWire(t, wireOptions{clock: gate})
	s := connect(t, open(t, w.options()), "master")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, backupScript, nil) }()
	select {
	case <-gate.held:
	case <-time.After(hangGuard):
		t.Fatal("the backup never reached its third pause")
	}
	start := time.Now()
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(hangGuard):
		t.Fatal("cancelling the backup hung")
	}
	t.Logf("Run returned %v after the cancel", time.Since(start).Round(time.Microsecond))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled backup returned %v", err)
	}
	if st := w.srv.Stats(); st.Attentions != 1 {
		t.Fatalf("the server saw %d attentions", st.Attentions)
	}
	ex := w.sim.Executed()
	var backup *sim.Execution
	for i := range ex {
		if strings.HasPrefix(ex[i].Text, "BACKUP DATABASE") {
			backup = &ex[i]
		}
	}
	if backup == nil || backup.Err == "" {
		t.Fatalf("the simulator recorded %+v", backup)
	}
	evs, err := collect(t, s, `SELECT COUNT(*) AS n FROM msdb.dbo.backupmediafamily
WHERE physical_device_name LIKE N'%mgc_failback_20240312_093000.bak';`)
	if err != nil {
		t.Fatalf("the session after the cancel: %v", err)
	}
	if len(evs) < 2 || evs[1].Values[0] != int64(0) {
		t.Fatalf("a cancelled backup left a backup set: %+v", evs)
	}
}

// A wrong password is Msg 18456 from the server, as a *remote.SQLError with its text.
func TestWireWrongPassword(t *testing.T) {
	w := startWire(t, wireOptions{})
	o := w.options()
	o.Password = "not the password"
	c := open(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	_, err := c.Connect(ctx, "master")
	var sqlErr *remote.SQLError
	if !errors.As(err, &sqlErr) {
		t.Fatalf("Connect = %v (%T)", err, err)
	}
	if sqlErr.Number != 18456 || sqlErr.Class != 14 || sqlErr.Text != "Login failed for user 'dba'." {
		t.Fatalf("error %+v", *sqlErr)
	}
	if strings.Contains(err.Error(), o.Password) {
		t.Fatalf("the error shows the password: %v", err)
	}
}

// TLS inside the TDS handshake, verified against the private CA for the server's name, whatever address was
// dialled; the login itself is encrypted with encrypt=false.
func TestWireTLSWithPrivateCA(t *testing.T) {
	w := startWire(t, wireOptions{tls: true})
	for _, c := range []struct {
		enc  config.Encrypt
		want string
	}{{config.EncryptTrue, "full"}, {config.EncryptFalse, "login"}} {
		o := w.options()
		o.Encrypt = c.enc
		s := connect(t, open(t, o), "master")
		evs, err := collect(t, s, "SELECT @@SERVERNAME AS name;")
		if err != nil || len(evs) < 2 || evs[1].Values[0] != "SQLBACKUP" {
			t.Fatalf("encrypt=%s: %v %+v", c.enc, err, evs)
		}
		if ev := w.lastLogin(t); ev.Encryption != c.want || ev.Err != nil {
			t.Errorf("encrypt=%s: the server saw encryption %q (%v)", c.enc, ev.Encryption, ev.Err)
		}
	}
}

// A certificate for another name, or from a CA the console was not told about, is refused before the login.
func TestWireTLSRefusesWrongNameAndUnknownCA(t *testing.T) {
	w := startWire(t, wireOptions{tls: true})
	wrongName := w.options()
	wrongName.HostNameInCertificate = "sqlprimary.contoso.local"
	noCA := w.options()
	noCA.CAFile = ""
	byAddress := w.options()
	byAddress.HostNameInCertificate = "" // the certificate does not name 127.0.0.1
	for name, o := range map[string]Options{"wrong name": wrongName, "unknown CA": noCA, "address": byAddress} {
		c := open(t, o)
		ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
		_, err := c.Connect(ctx, "master")
		cancel()
		if err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("%s: Connect = %v, want a certificate error", name, err)
		}
	}
	if st := w.srv.Stats(); st.Logins != 0 {
		t.Fatalf("%d logins got through", st.Logins)
	}
}

// Read-only intent, the app name and the session's database reach the server (the simulator's session shows them).
func TestWireReadOnlyIntentReachesTheServer(t *testing.T) {
	w := startWire(t, wireOptions{})
	o := w.options()
	o.ReadOnly = true
	connect(t, open(t, o), "")
	sessions := w.sim.UserSessions("SQLBACKUP")
	if len(sessions) != 1 {
		t.Fatalf("sessions %+v", sessions)
	}
	if ss := sessions[0]; !ss.ReadOnlyIntent || ss.App != "pcfailback" || ss.Database != "master" || ss.Login != "dba" {
		t.Fatalf("session %+v", ss)
	}
}

// The probes' health batch through this runner over the wire gives the same events, with the same value types, as
// the in-process runner the simulator offers: training over the wire sees what the estate holds.
func TestWireHealthBatchMatchesTheInProcessRunner(t *testing.T) {
	s, err := sim.New(sim.Options{Seed: 42, Clock: clock.NewVirtual(wireEpoch), ChatDBSizeMB: 1024})
	if err != nil {
		t.Fatal(err)
	}
	names := probes.Names{ChatDB: "mgc", ComplianceDB: "mgccomp", Share: `\\fs01.contoso.local\pchatls`}
	batch := probes.HealthBatch(names, []string{`\\fs01.contoso.local\pchatls\mgc_failback_20240312_093000.bak`})
	for _, server := range []string{"SQLPRIMARY", "SQLPRIMARY-MIR", "SQLBACKUP", "SQLBACKUP-MIR"} {
		w := serveWire(t, s, wireOptions{server: server})
		wireEvents, wireErr := collect(t, connect(t, open(t, w.options()), "master"), batch)
		local, err := s.SQL(server, sim.Login{User: "dba", App: "pcfailback"})
		if err != nil {
			t.Fatal(err)
		}
		ls, err := local.Connect(context.Background(), "master")
		if err != nil {
			t.Fatal(err)
		}
		localEvents, localErr := collect(t, ls, batch)
		_ = ls.Close()
		if (wireErr == nil) != (localErr == nil) {
			t.Fatalf("%s: %v over the wire, %v in-process", server, wireErr, localErr)
		}
		sameEvents(t, server, wireEvents, localEvents)
		var sets []probes.ResultSet
		for _, ev := range wireEvents {
			switch ev.Kind {
			case remote.SQLResultStart:
				cols := make([]string, len(ev.Columns))
				for i, c := range ev.Columns {
					cols[i] = c.Name
				}
				sets = append(sets, probes.ResultSet{Columns: cols})
			case remote.SQLRow:
				sets[len(sets)-1].Rows = append(sets[len(sets)-1].Rows, ev.Values)
			}
		}
		in := &probes.Instance{}
		if err := probes.ParseHealth(in, names, sets); err != nil {
			t.Fatalf("%s: the probes cannot read the wire reply: %v", server, err)
		}
	}
}

// sameEvents compares two event streams kind by kind, message by message and value by value (types included).
func sameEvents(t *testing.T, what string, wire, local []remote.SQLEvent) {
	t.Helper()
	if len(wire) != len(local) {
		t.Fatalf("%s: %d events over the wire, %d in-process", what, len(wire), len(local))
	}
	for i := range wire {
		w, l := wire[i], local[i]
		if w.Kind != l.Kind || w.Number != l.Number || w.Text != l.Text || w.Count != l.Count {
			t.Fatalf("%s event %d: %+v over the wire, %+v in-process", what, i, w, l)
		}
		if len(w.Columns) != len(l.Columns) || len(w.Values) != len(l.Values) {
			t.Fatalf("%s event %d: shapes differ: %+v / %+v", what, i, w, l)
		}
		for c := range w.Columns {
			wc, lc := w.Columns[c], l.Columns[c]
			if lc.Type == "numeric" {
				lc.Type = "decimal" // go-mssqldb names both types DECIMAL
			}
			if wc != lc {
				t.Errorf("%s event %d column %d: %+v over the wire, %+v in-process", what, i, c, w.Columns[c], l.Columns[c])
			}
		}
		for c := range w.Values {
			if !sameValue(w.Values[c], l.Values[c]) {
				t.Errorf("%s event %d value %d: %T %v over the wire, %T %v in-process", what, i, c,
					w.Values[c], w.Values[c], l.Values[c], l.Values[c])
			}
		}
	}
}

// sameValue compares values; datetimes by their reading, since SQL Server datetimes carry no zone.
func sameValue(a, b any) bool {
	ta, okA := a.(time.Time)
	tb, okB := b.(time.Time)
	if okA && okB {
		return ta.Format(time.DateTime+".000") == tb.Format(time.DateTime+".000")
	}
	if ba, ok := a.([]byte); ok {
		bb, ok := b.([]byte)
		return ok && string(ba) == string(bb)
	}
	return a == b
}

// NTLM reaches the server as integrated authentication (which the simulator refuses with SQL Server's 18452).
func TestWireNTLMIsIntegratedAuthentication(t *testing.T) {
	w := startWire(t, wireOptions{})
	o := w.options()
	o.Auth, o.User = config.MethodNTLM, `CONTOSO\dba`
	c := open(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	_, err := c.Connect(ctx, "master")
	var sqlErr *remote.SQLError
	if !errors.As(err, &sqlErr) || sqlErr.Number != 18452 {
		t.Fatalf("Connect = %v", err)
	}
}
