package tds

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

func TestAttentionAfterTheAnswerGetsADoneOfItsOwn(t *testing.T) {
	f := start(t, options{})
	r := loginRaw(t, f)
	r.send(pktBatch, batchMessage("PRINT N'first';"))
	toks := r.tokens(r.reply())
	if toks[0].number != 0 || toks[0].text != "first" || last(toks).status != doneFinal {
		t.Fatalf("batch: %v", toks)
	}
	r.send(pktAttention, nil)
	if toks := r.tokens(r.reply()); len(toks) != 1 || toks[0].typ != tokDone || toks[0].status != doneAttn {
		t.Fatalf("late attention: %v", toks)
	}
	r.send(pktBatch, batchMessage("PRINT N'second';"))
	if toks := r.tokens(r.reply()); toks[0].text != "second" {
		t.Fatalf("after the attention: %v", toks)
	}
	if st := f.srv.Stats(); st.Attentions != 1 || st.Batches != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestMalformedRequestsGetAnErrorAndTheConnectionStays(t *testing.T) {
	f := start(t, options{})
	r := loginRaw(t, f)
	rpc := func(params ...[]byte) []byte {
		b := allHeaders()
		b = binary.LittleEndian.AppendUint16(b, 0xFFFF)
		b = binary.LittleEndian.AppendUint16(b, 10)
		b = binary.LittleEndian.AppendUint16(b, 0)
		for _, p := range params {
			b = append(b, p...)
		}
		return b
	}
	cases := []struct {
		typ     byte
		payload []byte
		number  int32
	}{
		{pktRPC, rpc([]byte{0, 0, 0xF1, 0, 0}), 8009},                  // XML: not a type the server takes
		{pktRPC, rpc([]byte{0, 0, typIntN, 4, 3, 1, 2, 3}), 8016},      // a 3-byte int
		{pktRPC, rpc([]byte{0, 0, typNVarChar, 0x10, 0x00}), 4002},     // cut inside the collation
		{pktRPC, append(rpc(), 0xFF), 8009},                            // a second call in the same request
		{pktRPC, []byte{1, 0, 0, 0}, 4002},                             // ALL_HEADERS shorter than itself
		{pktBatch, append(allHeaders(), 'x'), 4002},                    // odd-length text
		{pktBatch, binary.LittleEndian.AppendUint32(nil, 1<<31), 4002}, // ALL_HEADERS claiming 2 GB
		{pktTransMgr, allHeaders(), 50000},
	}
	for i, c := range cases {
		r.send(c.typ, c.payload)
		toks := r.tokens(r.reply())
		if len(toks) < 2 || toks[0].typ != tokError || toks[0].number != c.number || last(toks).status&doneError == 0 {
			t.Fatalf("case %d: %v", i, toks)
		}
	}
	r.send(pktBatch, batchMessage("PRINT N'still here';"))
	if toks := r.tokens(r.reply()); toks[0].text != "still here" {
		t.Fatalf("after malformed requests: %v", toks)
	}
}

func TestGarbageClosesTheConnectionAndTheServerGoesOn(t *testing.T) {
	f := start(t, options{})
	login := login7Message(login7Spec{user: testUser, password: testPassword})
	header := func(typ, status byte, size uint16) []byte {
		h := []byte{typ, status, 0, 0, 0, 0, 1, 0}
		binary.BigEndian.PutUint16(h[2:], size)
		return h
	}
	cases := map[string][]byte{
		"http":                  []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
		"TLS first (TDS 8)":     {0x16, 0x03, 0x01, 0x00, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
		"short length":          header(pktPrelogin, statusEOM, 4),
		"LOGIN7 first":          append(header(pktLogin7, statusEOM, uint16(headerLen+len(login))), login...),
		"prelogin no table":     append(header(pktPrelogin, statusEOM, headerLen+2), 0, 0),
		"type change mid-way":   append(append(header(pktPrelogin, 0, headerLen+1), 0xFF), header(pktBatch, statusEOM, headerLen)...),
		"prelogin past the end": append(header(pktPrelogin, statusEOM, headerLen+6), 1, 0, 0x40, 0, 1, 0xFF),
	}
	for name, garbage := range cases {
		r := dialRaw(t, f)
		if _, err := r.c.Write(garbage); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !r.closed() {
			t.Fatalf("%s: connection left open", name)
		}
	}
	// After login: a packet type no request has, a LOGIN7 again, a packet larger than negotiated.
	for name, msg := range map[string][]byte{
		"bulk load":   header(pktBulk, statusEOM, headerLen),
		"login again": append(header(pktLogin7, statusEOM, uint16(headerLen+len(login))), login...),
		"too large":   append(header(pktBatch, statusEOM, 8000), make([]byte, 8000-headerLen)...),
	} {
		r := loginRaw(t, f)
		r.c.Write(msg)
		if !r.closed() {
			t.Fatalf("%s: connection left open", name)
		}
	}
	ctx := testCtx(t)
	mustQuery(t, ctx, f.conn(ctx, nil), "SELECT 1;")
}

func TestLoginsTheServerRefusesAtTheProtocolLevel(t *testing.T) {
	f := start(t, options{})
	for name, spec := range map[string]login7Spec{
		"TDS 7.1":   {user: testUser, password: testPassword, version: 0x71000001},
		"truncated": {},
	} {
		r := dialRaw(t, f)
		r.send(pktPrelogin, preloginMessage(encryptNotSup))
		r.reply()
		msg := login7Message(spec)
		if name == "truncated" {
			msg = msg[:60]
		}
		r.send(pktLogin7, msg)
		if !r.closed() {
			t.Fatalf("%s: connection left open", name)
		}
	}
	// SSPI data in LOGIN7: integrated authentication is refused with a message, then the connection closes.
	r := dialRaw(t, f)
	r.send(pktPrelogin, preloginMessage(encryptNotSup))
	r.reply()
	r.send(pktLogin7, login7Message(login7Spec{user: "", flags2: optIntSecurity, sspi: []byte("NTLMSSP\x00\x01")}))
	if toks := r.tokens(r.reply()); toks[0].number != 18452 || last(toks).status != doneError {
		t.Fatalf("SSPI login: %v", toks)
	}
}

func TestResetConnectionReturnsToTheLoginDatabase(t *testing.T) {
	f := start(t, options{})
	ctx := testCtx(t)
	// A pool of one connection: the driver asks for a reset each time it hands the connection out again.
	db := f.open(nil)
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "USE msdb; SET NOCOUNT ON;"); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := db.QueryRowContext(ctx, "SELECT DB_NAME();").Scan(&name); err != nil || name != "master" {
		t.Fatalf("after a reset: %q %v", name, err)
	}
	if st := f.srv.Stats(); st.Logins != 1 {
		t.Fatalf("the pool reconnected instead of resetting: %+v", st)
	}
	// A pinned connection keeps its database between batches and is told when it changes.
	c := f.conn(ctx, nil)
	mustQuery(t, ctx, c, "USE msdb;")
	if o := mustQuery(t, ctx, c, "SELECT DB_NAME() AS db;"); o.sets[0].cell(0, "db") != "msdb" {
		t.Fatalf("pinned session: %+v", o.sets)
	}
}

func TestAKilledSessionLosesItsConnection(t *testing.T) {
	f := start(t, options{})
	ctx := testCtx(t)
	victim := f.conn(ctx, nil)
	var spid int64
	if err := victim.QueryRowContext(ctx, "SELECT @@SPID;").Scan(&spid); err != nil {
		t.Fatal(err)
	}
	killer := f.conn(ctx, nil)
	mustQuery(t, ctx, killer, fmt.Sprintf("KILL %d;", spid))
	o := query(ctx, victim, "SELECT 1;", nil)
	if len(o.errs) != 2 || o.errs[0].Number != 596 || o.errs[0].Class != 21 || o.errs[1].Class != 20 || len(o.sets) != 0 {
		t.Fatalf("a killed session answered: %+v", o)
	}
	if err := victim.QueryRowContext(ctx, "SELECT 1;").Scan(new(int)); err == nil {
		t.Fatal("the connection of a killed session still works")
	}
	for _, s := range f.sim.UserSessions(f.server) {
		if int64(s.SPID) == spid {
			t.Fatalf("the killed session is still there: %+v", s)
		}
	}
}

func TestPacketSizesAreRespected(t *testing.T) {
	f := start(t, options{})
	ctx := testCtx(t)
	big := strings.Repeat("x", 20000)
	for _, size := range []string{"512", "4096", "32767"} {
		db, err := sql.Open("sqlserver", f.dsn(testUser, testPassword, map[string][]string{"packet size": {size}, "encrypt": {"disable"}}))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var got string
		if err := db.QueryRowContext(ctx, "SELECT REPLICATE(N'x', 20000);").Scan(&got); err != nil || got != big {
			t.Fatalf("packet size %s: %d characters, %v", size, len(got), err)
		}
	}
	// The raw client reads with the negotiated limit: every packet of a long reply fits it.
	r := dialRaw(t, f)
	r.send(pktPrelogin, preloginMessage(encryptNotSup))
	r.reply()
	r.send(pktLogin7, login7Message(login7Spec{user: testUser, password: testPassword, packetSize: 512}))
	r.reply()
	r.pr.limit = 512
	r.send(pktBatch, batchMessage("SELECT REPLICATE(N'y', 3000) AS s;"))
	if reply := r.reply(); !bytes.Contains(reply, bytes.Repeat([]byte{'y', 0}, 3000)) {
		t.Fatalf("long reply: %d bytes", len(reply))
	}
	_ = context.Background
}
