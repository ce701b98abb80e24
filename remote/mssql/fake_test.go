package mssql

// A scripted TDS server for the behaviours a well-behaved server cannot produce on demand: a connection that drops
// in the middle of a batch, an attention that is never confirmed, column metadata the driver cannot name. It speaks
// just enough TDS 7.4 for go-mssqldb with encrypt=disable (PRELOGIN without TLS, LOGIN7, SQL batches, attention).

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"sync"
	"testing"
	"unicode/utf16"
)

// fakeLogin is what a client sent in LOGIN7.
type fakeLogin struct {
	User, Password, App, Database string
	ReadOnly                      bool
}

// fakeHandler answers one SQL batch. ctx is cancelled when the client sends an attention.
type fakeHandler func(ctx context.Context, sql string, w *fakeWriter)

// fakeServer is the scripted server.
type fakeServer struct {
	t        *testing.T
	ln       net.Listener
	password string
	handler  fakeHandler
	// ignoreAttention makes the server never confirm a cancellation.
	ignoreAttention bool

	// ended receives the number of each connection when it ends.
	ended chan int

	mu      sync.Mutex
	logins  []fakeLogin
	batches []fakeBatch
	conns   []net.Conn
	wg      sync.WaitGroup
}

// fakeBatch is a batch as the server received it, with the connection it came on.
type fakeBatch struct {
	Conn int
	SQL  string
}

// received returns the logins and batches seen so far.
func (s *fakeServer) received() ([]fakeLogin, []fakeBatch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]fakeLogin(nil), s.logins...), append([]fakeBatch(nil), s.batches...)
}

// startFake listens on loopback and serves until the test ends.
func startFake(t *testing.T, password string, h fakeHandler) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{t: t, ln: ln, password: password, handler: h, ended: make(chan int, 64)}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.close)
	return s
}

func (s *fakeServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *fakeServer) close() {
	_ = s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *fakeServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		id := len(s.conns)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.serve(c, id)
			select {
			case s.ended <- id:
			default:
			}
		}()
	}
}

// fakeConn is one client connection: packets in, packets out.
type fakeConn struct {
	c   net.Conn
	wmu sync.Mutex
}

func (fc *fakeConn) readPacket() (typ byte, eom bool, payload []byte, err error) {
	var h [8]byte
	if _, err = io.ReadFull(fc.c, h[:]); err != nil {
		return
	}
	n := int(binary.BigEndian.Uint16(h[2:4]))
	if n < 8 {
		return 0, false, nil, io.ErrUnexpectedEOF
	}
	payload = make([]byte, n-8)
	_, err = io.ReadFull(fc.c, payload)
	return h[0], h[1]&1 == 1, payload, err
}

func (fc *fakeConn) readMessage() (byte, []byte, error) {
	var msg []byte
	for {
		typ, eom, p, err := fc.readPacket()
		if err != nil {
			return 0, nil, err
		}
		msg = append(msg, p...)
		if eom || typ == 6 {
			return typ, msg, nil
		}
	}
}

// writePackets sends data as reply packets of at most 4096 bytes; eom marks the last one.
func (fc *fakeConn) writePackets(data []byte, eom bool) error {
	fc.wmu.Lock()
	defer fc.wmu.Unlock()
	for first := true; first || len(data) > 0; first = false {
		chunk := data[:min(len(data), 4096-8)]
		data = data[len(chunk):]
		var status byte
		if eom && len(data) == 0 {
			status = 1
		}
		h := []byte{4, status, 0, 0, 0, 0, 1, 0}
		binary.BigEndian.PutUint16(h[2:4], uint16(len(chunk)+8))
		if _, err := fc.c.Write(append(h, chunk...)); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeServer) serve(c net.Conn, id int) {
	fc := &fakeConn{c: c}
	// PRELOGIN: VERSION and ENCRYPTION = NOT_SUP.
	if typ, _, err := fc.readMessage(); err != nil || typ != 18 {
		return
	}
	pre := []byte{0, 0, 11, 0, 6, 1, 0, 17, 0, 1, 0xff, 16, 0, 0, 0, 0, 0, 2}
	if fc.writePackets(pre, true) != nil {
		return
	}
	typ, login, err := fc.readMessage()
	if err != nil || typ != 16 {
		return
	}
	l := parseLogin7(login)
	s.mu.Lock()
	s.logins = append(s.logins, l)
	s.mu.Unlock()
	w := &fakeWriter{}
	if l.Password != s.password {
		w.Error(18456, 14, "Login failed for user '"+l.User+"'.")
		w.done(0x02, 0)
		_ = fc.writePackets(w.buf.Bytes(), true)
		return
	}
	w.loginAck()
	w.done(0, 0)
	if fc.writePackets(w.buf.Bytes(), true) != nil {
		return
	}
	s.session(fc, id)
}

// session runs batches until the client goes; attention packets cancel the running one.
func (s *fakeServer) session(fc *fakeConn, id int) {
	type msg struct {
		typ  byte
		data []byte
	}
	in := make(chan msg)
	go func() {
		defer close(in)
		for {
			typ, data, err := fc.readMessage()
			if err != nil {
				return
			}
			in <- msg{typ, data}
		}
	}()
	for m := range in {
		switch m.typ {
		case 6: // attention after the reply was complete
			if !s.ignoreAttention {
				w := &fakeWriter{}
				w.done(0x20, 0)
				_ = fc.writePackets(w.buf.Bytes(), true)
			}
		case 1:
			if len(m.data) < 4 {
				return
			}
			hl := int(binary.LittleEndian.Uint32(m.data))
			if hl > len(m.data) {
				return
			}
			text := ucs2(m.data[hl:])
			s.mu.Lock()
			s.batches = append(s.batches, fakeBatch{Conn: id, SQL: text})
			s.mu.Unlock()
			ctx, cancel := context.WithCancel(context.Background())
			w := &fakeWriter{fc: fc}
			done := make(chan struct{})
			go func() {
				defer close(done)
				s.handler(ctx, text, w)
			}()
			cancelled := false
		wait:
			for {
				select {
				case <-done:
					break wait
				case m2, ok := <-in:
					if !ok {
						cancel()
						<-done
						return
					}
					if m2.typ == 6 && !s.ignoreAttention {
						cancelled = true
						cancel()
					}
				}
			}
			cancel()
			if w.hangUp {
				_ = fc.c.Close()
				return
			}
			status := uint16(0)
			if cancelled {
				status = 0x20
			}
			w.done(status, 0)
			_ = fc.writePackets(w.buf.Bytes(), true)
		default:
			return
		}
	}
}

// fakeWriter builds a reply. Flush sends what is buffered as a non-final packet, so the client sees it at once.
type fakeWriter struct {
	fc     *fakeConn
	buf    bytes.Buffer
	hangUp bool
}

func (w *fakeWriter) u16(v uint16) { _ = binary.Write(&w.buf, binary.LittleEndian, v) }
func (w *fakeWriter) u32(v uint32) { _ = binary.Write(&w.buf, binary.LittleEndian, v) }
func (w *fakeWriter) bvarchar(s string) {
	u := utf16.Encode([]rune(s))
	w.buf.WriteByte(byte(len(u)))
	for _, c := range u {
		w.u16(c)
	}
}

func (w *fakeWriter) message(token byte, number int32, class byte, text string) {
	u := utf16.Encode([]rune(text))
	srv := utf16.Encode([]rune("FAKESQL"))
	w.buf.WriteByte(token)
	w.u16(uint16(4 + 1 + 1 + 2 + 2*len(u) + 1 + 2*len(srv) + 1 + 4))
	w.u32(uint32(number))
	w.buf.WriteByte(1) // state
	w.buf.WriteByte(class)
	w.u16(uint16(len(u)))
	for _, c := range u {
		w.u16(c)
	}
	w.bvarchar("FAKESQL")
	w.bvarchar("")
	w.u32(7) // line
}

// Info queues an INFO token.
func (w *fakeWriter) Info(number int32, text string) { w.message(0xAB, number, 0, text) }

// Error queues an ERROR token.
func (w *fakeWriter) Error(number int32, class byte, text string) {
	w.message(0xAA, number, class, text)
}

// Flush sends the queued tokens now.
func (w *fakeWriter) Flush() {
	if w.buf.Len() > 0 {
		_ = w.fc.writePackets(w.buf.Bytes(), false)
		w.buf.Reset()
	}
}

// HangUp makes the server close the connection instead of ending the reply.
func (w *fakeWriter) HangUp() { w.Flush(); w.hangUp = true }

// StatementDone ends a statement (DONE with MORE and a row count).
func (w *fakeWriter) StatementDone(rows uint64) { w.done(0x01|0x10, rows) }

func (w *fakeWriter) done(status uint16, rows uint64) {
	w.buf.WriteByte(0xFD)
	w.u16(status)
	w.u16(0xC1) // SELECT
	_ = binary.Write(&w.buf, binary.LittleEndian, rows)
}

func (w *fakeWriter) loginAck() {
	prog := utf16.Encode([]rune("FakeSQL"))
	w.buf.WriteByte(0xAD)
	w.u16(uint16(1 + 4 + 1 + 2*len(prog) + 4))
	w.buf.WriteByte(1)
	w.buf.Write([]byte{0x74, 0, 0, 4})
	w.bvarchar("FakeSQL")
	w.buf.Write([]byte{11, 0, 0x0c, 0x38})
}

// fakeCol is a result column: kind "int", "nvarchar", "decimal" (numeric(25,0) or with scale), "guid" or
// "badint" (an INTN of size 3, which the driver cannot name).
type fakeCol struct {
	Name, Kind string
	Scale      byte
}

// Rows queues a result set (COLMETADATA, ROWs, DONE with MORE and a count).
func (w *fakeWriter) Rows(cols []fakeCol, rows [][]any) {
	w.buf.WriteByte(0x81)
	w.u16(uint16(len(cols)))
	for _, c := range cols {
		w.u32(0)
		w.u16(1) // nullable
		switch c.Kind {
		case "int":
			w.buf.Write([]byte{0x26, 8})
		case "badint":
			w.buf.Write([]byte{0x26, 3})
		case "nvarchar":
			w.buf.WriteByte(0xE7)
			w.u16(8000)
			w.buf.Write([]byte{0x09, 0x04, 0xD0, 0x00, 0x34})
		case "decimal":
			w.buf.Write([]byte{0x6A, 17, 38, c.Scale})
		case "guid":
			w.buf.Write([]byte{0x24, 16})
		}
		w.bvarchar(c.Name)
	}
	for _, r := range rows {
		w.buf.WriteByte(0xD1)
		for i, v := range r {
			w.value(cols[i], v)
		}
	}
	w.StatementDone(uint64(len(rows)))
}

func (w *fakeWriter) value(c fakeCol, v any) {
	switch c.Kind {
	case "int", "badint":
		if v == nil {
			w.buf.WriteByte(0)
			return
		}
		w.buf.WriteByte(8)
		_ = binary.Write(&w.buf, binary.LittleEndian, v.(int64))
	case "nvarchar":
		if v == nil {
			w.u16(0xFFFF)
			return
		}
		u := utf16.Encode([]rune(v.(string)))
		w.u16(uint16(2 * len(u)))
		for _, ch := range u {
			w.u16(ch)
		}
	case "decimal":
		if v == nil {
			w.buf.WriteByte(0)
			return
		}
		n := v.(int64) // the unscaled value
		sign := byte(1)
		if n < 0 {
			sign, n = 0, -n
		}
		w.buf.WriteByte(17)
		w.buf.WriteByte(sign)
		_ = binary.Write(&w.buf, binary.LittleEndian, uint64(n))
		_ = binary.Write(&w.buf, binary.LittleEndian, uint64(0))
	case "guid":
		if v == nil {
			w.buf.WriteByte(0)
			return
		}
		w.buf.WriteByte(16)
		w.buf.Write(v.([]byte))
	}
}

// parseLogin7 reads the fields the tests look at.
func parseLogin7(b []byte) fakeLogin {
	field := func(at int) []byte {
		if at+4 > len(b) {
			return nil
		}
		off := int(binary.LittleEndian.Uint16(b[at:]))
		n := 2 * int(binary.LittleEndian.Uint16(b[at+2:]))
		if off+n > len(b) {
			return nil
		}
		return b[off : off+n]
	}
	pw := append([]byte(nil), field(44)...)
	for i, c := range pw {
		c ^= 0xA5
		pw[i] = c<<4 | c>>4
	}
	l := fakeLogin{User: ucs2(field(40)), Password: ucs2(pw), App: ucs2(field(48)), Database: ucs2(field(68))}
	if len(b) > 26 {
		l.ReadOnly = b[26]&0x20 != 0
	}
	return l
}

func ucs2(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}
