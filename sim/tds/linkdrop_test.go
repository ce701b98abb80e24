package tds

import (
	"context"
	"encoding/binary"
	"io"
	"testing"

	"pcfailback/pwsh"
	"pcfailback/remote"
	"pcfailback/sim"
)

// failbackBak is the failback backup the fixture takes on the backup instance.
const failbackBak = `\\fs01.contoso.local\pchatls\mgc_failback_20240312_093000.bak`

// restoreScript is F4 as the procedure writes it.
const restoreScript = `USE [master];
ALTER DATABASE [mgc] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;
RESTORE DATABASE [mgc] FROM DISK = N'` + failbackBak + `'
  WITH FILE = 1, REPLACE, RECOVERY, CHECKSUM, STATS = 10;
ALTER DATABASE [mgc] SET MULTI_USER;`

// takeFailbackBackup drains the pool and takes the failback backup on the backup instance, in-process.
func takeFailbackBackup(t *testing.T, s *sim.Sim) {
	t.Helper()
	ps, err := s.PowerShell("lyncfe01.contoso.local")
	if err != nil {
		t.Fatal(err)
	}
	if code, err := ps.Run(context.Background(), "Set-CsPersistentChatActiveServer -Identity "+
		pwsh.Quote("service:pchat.contoso.local")+" -ActiveServers $null", nil); code != 0 || err != nil {
		t.Fatalf("clearing the active servers: %d %v", code, err)
	}
	conn, err := s.SQL("SQLBACKUP", sim.Login{User: "sa"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := conn.Connect(context.Background(), "master")
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	for _, b := range []string{"ALTER DATABASE [mgc] SET PARTNER OFF;",
		"BACKUP DATABASE [mgc] TO DISK = N'" + failbackBak + "' WITH INIT, FORMAT, CHECKSUM, STATS = 10;"} {
		if err := sess.Run(context.Background(), b, func(remote.SQLEvent) {}); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
	}
}

// When the simulated link drops in the middle of RESTORE, the server closes the socket without another byte: the
// client has the progress it was sent and then a closed connection, no 596, no severe error, no final DONE.
func TestLinkDropClosesTheConnectionWithoutAWord(t *testing.T) {
	o := options{server: "SQLPRIMARY", scenario: "restore-connection-lost"}
	s := newSim(t, o)
	takeFailbackBackup(t, s)
	f := serve(t, s, o)
	r := loginRaw(t, f)
	r.send(pktBatch, batchMessage(restoreScript))
	raw, err := io.ReadAll(r.c)
	if err != nil {
		t.Fatalf("reading until the close: %v", err)
	}
	var payload []byte
	for len(raw) >= headerLen {
		n := int(binary.BigEndian.Uint16(raw[2:4]))
		if n < headerLen || n > len(raw) {
			t.Fatalf("malformed packet in %x", raw)
		}
		if raw[1]&statusEOM != 0 {
			t.Errorf("a packet ends the message: the reply was completed")
		}
		payload = append(payload, raw[headerLen:n]...)
		raw = raw[n:]
	}
	toks := r.tokens(payload)
	if len(toks) == 0 {
		t.Fatal("no progress before the drop")
	}
	progress := 0
	for _, tk := range toks {
		if tk.typ == tokInfo && tk.number == 3211 {
			progress++
		}
		switch {
		case tk.typ == tokError:
			t.Errorf("an error reached the client: %v", tk)
		case tk.typ == tokInfo && tk.number != 3211 && tk.number != 5060 && tk.number != 5701:
			t.Errorf("unexpected message %v", tk)
		}
	}
	if progress == 0 {
		t.Errorf("no progress reached the client before the drop: %v", toks)
	}
	if d, _ := s.Database("SQLPRIMARY", "mgc"); d.State != "RESTORING" || d.Access != "SINGLE_USER" {
		t.Errorf("mgc after the drop: %+v", d)
	}
	for _, us := range s.UserSessions("SQLPRIMARY") {
		if us.App == "raw" {
			t.Errorf("the dropped session is still on the instance: %+v", us)
		}
	}
}
