package tds

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/sim"
	"pcfailback/tsql"
)

// rpcSeed is an sp_executesql call with one parameter of each type the driver sends.
func rpcSeed() []byte {
	b := allHeaders()
	b = binary.LittleEndian.AppendUint16(b, 0xFFFF)
	b = binary.LittleEndian.AppendUint16(b, 10)
	b = binary.LittleEndian.AppendUint16(b, 0)
	nv := func(name, v string) {
		b = appendBVarChar(b, name)
		b = append(b, 0, typNVarChar)
		b = binary.LittleEndian.AppendUint16(b, uint16(2*ucs2Len(v)))
		b = append(b, collation[:]...)
		b = binary.LittleEndian.AppendUint16(b, uint16(2*ucs2Len(v)))
		b = appendUCS2(b, v)
	}
	nv("", "SELECT @a, @b, @c, @d, @e, @f")
	nv("", "@a bigint, @b bit, @c float, @d datetimeoffset(7), @e uniqueidentifier, @f varbinary(max), @g nvarchar(max), @h decimal(10,2)")
	b = appendBVarChar(b, "@a")
	b = append(b, 0, typIntN, 8, 8, 1, 0, 0, 0, 0, 0, 0, 0)
	b = appendBVarChar(b, "@b")
	b = append(b, 0, typBitN, 1, 1, 1)
	b = appendBVarChar(b, "@c")
	b = append(b, 0, typFltN, 8, 8, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F)
	b = appendBVarChar(b, "@d")
	b = append(b, 0, typDateTimeOffset, 7, 10, 0, 0, 0, 0, 0, 0x0A, 0x4B, 0x0B, 0x3C, 0)
	b = appendBVarChar(b, "@e")
	b = append(b, 0, typGUID, 16, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
	b = appendBVarChar(b, "@f")
	b = append(b, 0, typBigVarBin, 0xFF, 0xFF)
	b = binary.LittleEndian.AppendUint64(b, 3)
	b = binary.LittleEndian.AppendUint32(b, 3)
	b = append(b, 1, 2, 3, 0, 0, 0, 0)
	b = appendBVarChar(b, "@g")
	b = append(b, 1, typNVarChar, 0xFF, 0xFF)
	b = append(b, collation[:]...)
	b = binary.LittleEndian.AppendUint64(b, 0xFFFFFFFFFFFFFFFF)
	b = appendBVarChar(b, "@h")
	b = append(b, 0, typDecimalN, 17, 10, 2, 5, 1, 0x39, 0x30, 0, 0)
	return b
}

func FuzzPrelogin(f *testing.F) {
	f.Add(preloginMessage(encryptOff))
	f.Add(preloginMessage(encryptOn))
	f.Add([]byte{plTerminator})
	f.Add([]byte{plEncryption, 0xFF, 0xFF, 0xFF, 0xFF, plTerminator})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parsePrelogin(b)
		if err != nil {
			return
		}
		for _, have := range []bool{false, true} {
			answer, mode := negotiate(p, have)
			if !have && (answer != encryptNotSup || mode != encNone) {
				t.Fatalf("no certificate, yet answered %d/%v", answer, mode)
			}
			if _, err := parsePrelogin(preloginReply("11.0.7001.0", answer, p)); err != nil {
				t.Fatalf("own reply does not parse: %v", err)
			}
		}
	})
}

func FuzzLogin7(f *testing.F) {
	f.Add(login7Message(login7Spec{user: testUser, password: testPassword, app: "app", host: "h", database: "master"}))
	f.Add(login7Message(login7Spec{flags2: optIntSecurity, sspi: []byte("NTLMSSP\x00")}))
	f.Add(make([]byte, login7Fixed))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := parseLogin7(b)
		if err != nil {
			return
		}
		// Every string came from inside the message: UTF-8 of UTF-16 is at most 1.5 times as long.
		n := len(l.hostName) + len(l.userName) + len(l.password) + len(l.appName) + len(l.serverName) +
			len(l.clientInterface) + len(l.language) + len(l.database)
		if n > 8*len(b) {
			t.Fatalf("%d bytes of strings from a %d-byte message", n, len(b))
		}
	})
}

func FuzzBatch(f *testing.F) {
	f.Add(batchMessage("SELECT 1;"))
	f.Add(binary.LittleEndian.AppendUint32(nil, 4))
	f.Add(binary.LittleEndian.AppendUint32(nil, 0x7FFFFFFF))
	f.Fuzz(func(t *testing.T, b []byte) {
		text, err := parseBatch(b)
		if err == nil && len(text) > 2*len(b) {
			t.Fatalf("%d bytes of text from %d", len(text), len(b))
		}
	})
}

func FuzzRPC(f *testing.F) {
	f.Add(rpcSeed())
	named := allHeaders()
	named = appendUSVarChar(named, "[dbo].[sp_who2]")
	f.Add(append(named, 0, 0))
	plp := allHeaders()
	plp = binary.LittleEndian.AppendUint16(plp, 0xFFFF)
	plp = binary.LittleEndian.AppendUint16(plp, 10)
	plp = append(plp, 0, 0, 0, 0, typNVarChar, 0xFF, 0xFF, 9, 4, 0xD0, 0, 0x34)
	plp = binary.LittleEndian.AppendUint64(plp, 1<<31)
	plp = binary.LittleEndian.AppendUint32(plp, 1<<31)
	f.Add(plp)
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := parseRPC(b)
		if err != nil {
			return
		}
		if len(c.args) > maxParams {
			t.Fatalf("%d parameters", len(c.args))
		}
		size := 0
		for _, a := range c.args {
			switch v := a.Value.(type) {
			case string:
				size += len(v)
			case []byte:
				size += len(v)
			}
		}
		if size > 2*len(b) {
			t.Fatalf("%d bytes of values from a %d-byte request", size, len(b))
		}
	})
}

func FuzzPackets(f *testing.F) {
	f.Add([]byte{pktBatch, statusEOM, 0, 9, 0, 0, 1, 0, 'x'})
	f.Add([]byte{pktBatch, 0, 0, 8, 0, 0, 1, 0, pktBatch, statusEOM, 0, 8, 0, 0, 2, 0})
	f.Add([]byte{pktBatch, statusEOM, 0xFF, 0xFF, 0, 0, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		pr := &packetReader{r: bytes.NewReader(b), limit: defaultPacket}
		total := 0
		for {
			m, err := pr.readMessage()
			if err != nil {
				break
			}
			total += len(m.data)
		}
		if total > len(b) {
			t.Fatalf("%d payload bytes from %d", total, len(b))
		}
	})
}

// fuzzServer is one server in front of a simulated instance, shared by the iterations of FuzzConnection.
var fuzzServer = sync.OnceValue(func() *Server {
	s, err := sim.New(sim.Options{Seed: 1, Clock: clock.NewVirtual(epoch), ChatDBSizeMB: 64})
	if err != nil {
		panic(err)
	}
	w, err := s.WireSQL("SQLBACKUP")
	if err != nil {
		panic(err)
	}
	return NewServer(Config{Backend: w, Users: map[string]string{testUser: testPassword}})
})

// clientStream is what a client sends to log in and run one batch, without encryption.
func clientStream(batch []byte) []byte {
	var out bytes.Buffer
	pw := newPacketWriter(&out, defaultPacket)
	pw.send(pktPrelogin, preloginMessage(encryptNotSup))
	pw.send(pktLogin7, login7Message(login7Spec{user: testUser, password: testPassword, database: "master"}))
	pw.send(pktBatch, batch)
	return out.Bytes()
}

func FuzzConnection(f *testing.F) {
	f.Add(clientStream(batchMessage("SELECT name FROM sys.databases;")))
	f.Add(clientStream(rpcSeed()))
	f.Add(append(clientStream(batchMessage("PRINT 1;")), pktAttention, statusEOM, 0, 8, 0, 0, 1, 0))
	f.Add(clientStream([]byte{1, 2, 3}))
	f.Fuzz(func(t *testing.T, b []byte) {
		pipeConn(t, fuzzServer(), b, 0)
	})
}

// pipeConn serves one connection whose client sends b, waits for the server's first replies messages (or
// for the server to hang up) and then leaves; it returns the payloads the server sent.
func pipeConn(t *testing.T, srv *Server, b []byte, replies int) []byte {
	client, server := net.Pipe()
	if !srv.track(server) {
		t.Skip("server closed")
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.serveConn(server)
	}()
	var reply []byte
	got := make(chan struct{}, 1)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		pr := &packetReader{r: client, limit: maxPacket}
		for n := 0; ; n++ {
			if n == replies {
				got <- struct{}{}
			}
			m, err := pr.readMessage()
			if err != nil {
				io.Copy(io.Discard, client)
				return
			}
			reply = append(reply, m.data...)
		}
	}()
	client.Write(b)
	select {
	case <-got:
	case <-done:
	}
	client.Close()
	<-done
	<-drained
	return reply
}

func TestTheConnectionSeedLogsInAndRuns(t *testing.T) {
	srv := fuzzServer()
	before := srv.Stats()
	reply := pipeConn(t, srv, clientStream(batchMessage("SELECT name FROM sys.databases;")), 3)
	after := srv.Stats()
	if after.Logins != before.Logins+1 || after.Batches != before.Batches+1 {
		t.Fatalf("stats %+v then %+v", before, after)
	}
	if !bytes.Contains(reply, appendUCS2(nil, "mgccomp")) {
		t.Fatalf("reply lacks the databases: %x", reply)
	}
}

func TestTheRPCSeedDecodesEveryType(t *testing.T) {
	c, err := parseRPC(rpcSeed())
	if err != nil {
		t.Fatal(err)
	}
	if c.proc.Object != "sp_executesql" || len(c.args) != 10 {
		t.Fatalf("%+v", c)
	}
	want := map[string]any{"@a": int64(1), "@b": true, "@c": 1.5, "@g": nil, "@h": 123.45}
	for _, a := range c.args[2:] {
		if w, ok := want[a.Name]; ok && a.Value != w {
			t.Errorf("%s = %#v, want %#v", a.Name, a.Value, w)
		}
	}
	if d, ok := c.args[5].Value.(time.Time); !ok || d.Hour() != 1 || d.Minute() != 0 {
		t.Errorf("@d = %v", c.args[5].Value)
	} else if _, off := d.Zone(); off != 3600 {
		t.Errorf("@d offset %d", off)
	}
	if g, ok := c.args[6].Value.(tsql.GUID); !ok || g.String() != "04030201-0605-0807-090A-0B0C0D0E0F10" {
		t.Errorf("@e = %v", c.args[6].Value)
	}
	if !bytes.Equal(c.args[7].Value.([]byte), []byte{1, 2, 3}) {
		t.Errorf("@f = %v", c.args[7].Value)
	}
	if !c.args[8].Output {
		t.Error("@g is not OUTPUT")
	}
}

func TestLengthFieldsDoNotAllocateWhatTheyClaim(t *testing.T) {
	// A PLP value announcing 2 GB in a chunk that is not there, ALL_HEADERS claiming 2 GB, a packet claiming
	// the largest size with nothing behind it.
	plp := allHeaders()
	plp = binary.LittleEndian.AppendUint16(plp, 0xFFFF)
	plp = binary.LittleEndian.AppendUint16(plp, 10)
	plp = append(plp, 0, 0, 0, 0, typBigVarBin, 0xFF, 0xFF)
	plp = binary.LittleEndian.AppendUint64(plp, 1<<31)
	plp = binary.LittleEndian.AppendUint32(plp, 1<<31-1)
	headers := binary.LittleEndian.AppendUint32(nil, 1<<31)
	packet := []byte{pktBatch, statusEOM, 0x7F, 0xFF, 0, 0, 1, 0}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < 10; i++ {
		if _, err := parseRPC(plp); err == nil {
			t.Fatal("a PLP value longer than the request parsed")
		}
		if _, err := parseBatch(headers); err == nil {
			t.Fatal("ALL_HEADERS longer than the request parsed")
		}
		pr := &packetReader{r: bytes.NewReader(packet), limit: maxPacket}
		if _, err := pr.readMessage(); err == nil {
			t.Fatal("a packet longer than the stream was read")
		}
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Fatalf("parsing lying lengths allocated %d bytes", got)
	}
}
