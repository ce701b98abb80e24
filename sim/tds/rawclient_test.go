package tds

import (
	"encoding/binary"
	"fmt"
	"net"
	"testing"
	"time"
	"unicode/utf16"
)

// rawClient speaks TDS by hand, for what a driver never sends: attention after the answer, garbage, odd
// requests.
type rawClient struct {
	t  testing.TB
	c  net.Conn
	pr *packetReader
	pw *packetWriter
}

// mangle is LOGIN7's password obfuscation: each byte nibble-swapped, then XORed with 0xA5.
func mangle(pw string) []byte {
	var out []byte
	for _, x := range utf16.Encode([]rune(pw)) {
		for _, c := range []byte{byte(x), byte(x >> 8)} {
			out = append(out, (c<<4|c>>4)^0xA5)
		}
	}
	return out
}

// preloginMessage is a client PRELOGIN asking for encryption enc.
func preloginMessage(enc byte) []byte {
	return preloginReply("16.0.0.0", enc, prelogin{})
}

// login7Spec describes a LOGIN7 to build.
type login7Spec struct {
	user, password, app, host, database string
	version, packetSize                 uint32
	typeFlags, flags2                   byte
	sspi                                []byte
}

// login7Message builds a LOGIN7 the way clients lay it out: the fixed part, then the strings.
func login7Message(s login7Spec) []byte {
	if s.version == 0 {
		s.version = verTDS74
	}
	fixed := make([]byte, login7Fixed)
	var data []byte
	put := func(at int, b []byte, chars int) {
		binary.LittleEndian.PutUint16(fixed[at:], uint16(login7Fixed+len(data)))
		binary.LittleEndian.PutUint16(fixed[at+2:], uint16(chars))
		data = append(data, b...)
	}
	str := func(at int, v string) { put(at, appendUCS2(nil, v), ucs2Len(v)) }
	str(36, s.host)
	str(40, s.user)
	put(44, mangle(s.password), ucs2Len(s.password))
	str(48, s.app)
	str(52, "127.0.0.1")
	str(60, "rawclient")
	str(64, "")
	str(68, s.database)
	binary.LittleEndian.PutUint16(fixed[78:], uint16(login7Fixed+len(data)))
	binary.LittleEndian.PutUint16(fixed[80:], uint16(len(s.sspi)))
	data = append(data, s.sspi...)
	binary.LittleEndian.PutUint32(fixed[0:], uint32(login7Fixed+len(data)))
	binary.LittleEndian.PutUint32(fixed[4:], s.version)
	binary.LittleEndian.PutUint32(fixed[8:], s.packetSize)
	binary.LittleEndian.PutUint32(fixed[16:], 4242)
	fixed[25] = s.flags2
	fixed[26] = s.typeFlags
	return append(fixed, data...)
}

// dialRaw connects to the fixture's server without logging in.
func dialRaw(t testing.TB, f *fixture) *rawClient {
	t.Helper()
	c, err := net.DialTCP("tcp", nil, f.addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(30 * time.Second)) // hang guard
	t.Cleanup(func() { c.Close() })
	return &rawClient{t: t, c: c, pr: &packetReader{r: c, limit: maxPacket}, pw: newPacketWriter(c, defaultPacket)}
}

// loginRaw connects and logs in with the test credentials, without encryption.
func loginRaw(t testing.TB, f *fixture) *rawClient {
	t.Helper()
	r := dialRaw(t, f)
	r.send(pktPrelogin, preloginMessage(encryptNotSup))
	r.reply()
	r.send(pktLogin7, login7Message(login7Spec{user: testUser, password: testPassword, app: "raw", database: "master"}))
	if toks := r.tokens(r.reply()); toks[len(toks)-1].status != doneFinal {
		t.Fatalf("login: %+v", toks)
	}
	return r
}

// send writes one message in packets of the default size.
func (r *rawClient) send(typ byte, payload []byte) {
	r.t.Helper()
	r.pw.begin(typ)
	r.pw.Write(payload)
	r.pw.flush(true)
	if r.pw.err != nil {
		r.t.Fatalf("send: %v", r.pw.err)
	}
}

// sendStatus writes a one-packet message with the given status bits (end-of-message added).
func (r *rawClient) sendStatus(typ, status byte, payload []byte) {
	r.t.Helper()
	h := make([]byte, headerLen, headerLen+len(payload))
	h[0], h[1] = typ, status|statusEOM
	binary.BigEndian.PutUint16(h[2:], uint16(headerLen+len(payload)))
	h[6] = 1
	if _, err := r.c.Write(append(h, payload...)); err != nil {
		r.t.Fatalf("send: %v", err)
	}
}

// reply reads one server message.
func (r *rawClient) reply() []byte {
	r.t.Helper()
	m, err := r.pr.readMessage()
	if err != nil {
		r.t.Fatalf("reading the reply: %v", err)
	}
	if m.typ != pktReply {
		r.t.Fatalf("reply of type %d", m.typ)
	}
	return m.data
}

// closed says the server closed the connection (a read ends without data).
func (r *rawClient) closed() bool {
	buf := make([]byte, 1)
	for {
		n, err := r.c.Read(buf)
		if err != nil {
			return true
		}
		if n > 0 {
			// Some reply came first (an error message); keep reading until the close.
			continue
		}
	}
}

// token is one token of a reply, reduced to what the raw tests check.
type token struct {
	typ    byte
	status uint16 // DONE*
	number int32  // INFO, ERROR
	text   string // INFO, ERROR
}

// tokens walks a reply that has no result sets.
func (r *rawClient) tokens(b []byte) []token {
	r.t.Helper()
	rd := &reader{b: b}
	var out []token
	for rd.left() > 0 {
		tk := token{typ: rd.u8()}
		switch tk.typ {
		case tokDone, tokDoneProc, tokDoneInProc:
			tk.status = rd.u16()
			rd.take(10)
		case tokReturnStatus:
			rd.take(4)
		case tokInfo, tokError:
			body := &reader{b: rd.take(int(rd.u16()))}
			tk.number = int32(body.u32())
			body.take(2)
			tk.text = body.usVarChar()
		case tokEnvChange, tokLoginAck:
			rd.take(int(rd.u16()))
		default:
			r.t.Fatalf("token %#x in %x", tk.typ, b)
		}
		if rd.err != nil {
			r.t.Fatalf("reply cut short: %x", b)
		}
		out = append(out, tk)
	}
	return out
}

// batchMessage is a SQL batch with the ALL_HEADERS a TDS 7.2+ client sends.
func batchMessage(text string) []byte {
	b := allHeaders()
	return appendUCS2(b, text)
}

// allHeaders is ALL_HEADERS with a transaction descriptor header.
func allHeaders() []byte {
	b := binary.LittleEndian.AppendUint32(nil, 22)
	b = binary.LittleEndian.AppendUint32(b, 18)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint64(b, 0)
	return binary.LittleEndian.AppendUint32(b, 1)
}

// last is the last token of a reply.
func last(toks []token) token {
	if len(toks) == 0 {
		return token{}
	}
	return toks[len(toks)-1]
}

func (t token) String() string {
	return fmt.Sprintf("{%#x status %#x msg %d %q}", t.typ, t.status, t.number, t.text)
}
