package mssql

import (
	"context"
	"errors"
	"testing"

	"pcfailback/clock"
	"pcfailback/remote"
	"pcfailback/sim"
)

// The runner against a server whose link drops half-way through RESTORE (the restore-connection-lost scenario):
// the batch ends with a lost connection (errors.Is remote.ErrConnectionLost), not a SQL error; the progress sent
// before the drop arrived; the session is then broken, and a new one works.
func TestWireConnectionLostMidRestore(t *testing.T) {
	s, err := sim.New(sim.Options{Seed: 42, Clock: clock.NewVirtual(wireEpoch), ChatDBSizeMB: 1024, Scenario: "restore-connection-lost"})
	if err != nil {
		t.Fatal(err)
	}
	const bak = `\\fs01.contoso.local\pchatls\mgc_failback_20240312_093000.bak`
	inProcess(t, s, "SQLBACKUP", "ALTER DATABASE [mgc] SET PARTNER OFF;",
		"BACKUP DATABASE [mgc] TO DISK = N'"+bak+"' WITH INIT, FORMAT, CHECKSUM, STATS = 10;")
	w := serveWire(t, s, wireOptions{server: "SQLPRIMARY"})
	c := open(t, w.options())
	sess := connect(t, c, "master")
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var events []remote.SQLEvent
	err = sess.Run(ctx, "ALTER DATABASE [mgc] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;\nRESTORE DATABASE [mgc] FROM DISK = N'"+bak+
		"' WITH FILE = 1, REPLACE, RECOVERY, CHECKSUM, STATS = 10;\nALTER DATABASE [mgc] SET MULTI_USER;",
		func(ev remote.SQLEvent) { events = append(events, ev) })
	t.Logf("the runner says: %v", err)
	var sqlErr *remote.SQLError
	if !errors.Is(err, remote.ErrConnectionLost) || errors.As(err, &sqlErr) || ctx.Err() != nil {
		t.Fatalf("restore over a dropped link: %v", err)
	}
	progress := 0
	for _, ev := range events {
		switch {
		case ev.Kind == remote.SQLErrorMsg:
			t.Errorf("error message after the drop: %+v", ev)
		case ev.Number == 3211:
			progress++
		case ev.Number == 3014:
			t.Errorf("the restore completed: %s", ev.Text)
		}
	}
	if progress == 0 {
		t.Error("no progress before the drop")
	}
	if err := sess.Run(ctx, "SELECT 1;", nil); !errors.Is(err, ErrBroken) {
		t.Errorf("the session after the drop: %v", err)
	}
	again := connect(t, c, "master")
	var state string
	if err := again.Run(ctx, "SELECT state_desc, user_access_desc FROM sys.databases WHERE name = N'mgc';", func(ev remote.SQLEvent) {
		if ev.Kind == remote.SQLRow {
			state = ev.Values[0].(string) + " " + ev.Values[1].(string)
		}
	}); err != nil || state != "RESTORING SINGLE_USER" {
		t.Errorf("mgc after the drop: %q %v", state, err)
	}
}

// inProcess runs batches on an instance through the simulator's own runner.
func inProcess(t *testing.T, s *sim.Sim, server string, batches ...string) {
	t.Helper()
	ps, err := s.PowerShell("lyncfe01.contoso.local")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Run(context.Background(), "Set-CsPersistentChatActiveServer -Identity 'service:pchat.contoso.local' -ActiveServers $null", nil); err != nil {
		t.Fatal(err)
	}
	conn, err := s.SQL(server, sim.Login{User: "sa"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := conn.Connect(context.Background(), "master")
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	for _, b := range batches {
		if err := sess.Run(context.Background(), b, nil); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
	}
}
