package tds

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Packet types (MS-TDS 2.2.3.1.1).
const (
	pktBatch     = 1
	pktRPC       = 3
	pktReply     = 4
	pktAttention = 6
	pktBulk      = 7
	pktTransMgr  = 14
	pktLogin7    = 16
	pktSSPI      = 17
	pktPrelogin  = 18
)

// Packet status bits.
const (
	statusEOM       = 0x01
	statusResetConn = 0x08
	// statusResetSkipTran is "reset the connection but keep the transaction" (TDS 7.3); treated like a reset.
	statusResetSkipTran = 0x10
)

const (
	headerLen = 8
	// maxPacket is the largest packet TDS allows a client to negotiate.
	maxPacket = 32767
	// minPacket is the smallest.
	minPacket = 512
	// defaultPacket is the size both sides use before LOGIN7 negotiates one.
	defaultPacket = 4096
	// maxMessage bounds one client message (a batch with its text, an RPC with its parameters). Scripts are a few
	// kilobytes; the bound keeps a client that never sets end-of-message from growing memory without limit.
	maxMessage = 32 << 20
)

// errProtocol marks a client that does not speak TDS as expected; its connection is closed.
var errProtocol = errors.New("tds: protocol error")

func protocolErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errProtocol, fmt.Sprintf(format, args...))
}

// message is one client message: the payloads of its packets up to the one marked end-of-message.
type message struct {
	typ    byte
	status byte // the first packet's status: the reset-connection bits live there
	data   []byte
	// req is the request a batch, RPC or transaction-manager message starts (set by the reader).
	req *request
}

// packetReader reads client packets from a transport without reading ahead, so the transport can change (TLS
// for the login packet only) between two messages.
type packetReader struct {
	r io.Reader
	// limit is the largest packet accepted: the negotiated packet size once logged in.
	limit int
	// want, if not 0, is the only packet type accepted. It is checked on the header, so a client that speaks
	// something else (HTTP, TLS first) is turned away at once instead of after waiting for a body it announced.
	want byte
	hdr  [headerLen]byte
}

// readPacket reads one packet and appends its payload to dst.
func (p *packetReader) readPacket(dst []byte) (typ, status byte, out []byte, err error) {
	if _, err = io.ReadFull(p.r, p.hdr[:]); err != nil {
		return 0, 0, dst, err
	}
	typ, status = p.hdr[0], p.hdr[1]
	size := int(binary.BigEndian.Uint16(p.hdr[2:4]))
	limit := p.limit
	if limit <= 0 {
		limit = maxPacket
	}
	if size < headerLen || size > limit {
		return 0, 0, dst, protocolErrorf("packet length %d outside %d..%d", size, headerLen, limit)
	}
	if p.want != 0 && typ != p.want {
		return 0, 0, dst, protocolErrorf("packet of type %d where type %d was expected", typ, p.want)
	}
	n := size - headerLen
	if len(dst)+n > maxMessage {
		return 0, 0, dst, protocolErrorf("message longer than %d bytes", maxMessage)
	}
	start := len(dst)
	dst = append(dst, make([]byte, n)...)
	if _, err = io.ReadFull(p.r, dst[start:]); err != nil {
		return 0, 0, dst[:start], err
	}
	return typ, status, dst, nil
}

// readMessage reads packets until end-of-message. Every packet of a message must have the first one's type.
func (p *packetReader) readMessage() (message, error) {
	typ, status, data, err := p.readPacket(nil)
	if err != nil {
		return message{}, err
	}
	m := message{typ: typ, status: status, data: data}
	for status&statusEOM == 0 {
		var t byte
		t, status, m.data, err = p.readPacket(m.data)
		if err != nil {
			return message{}, err
		}
		if t != m.typ {
			return message{}, protocolErrorf("packet of type %d inside a message of type %d", t, m.typ)
		}
	}
	return m, nil
}

// packetWriter frames a server message into packets of at most size bytes. Errors are sticky: once the
// transport failed every later write is dropped and err says why.
type packetWriter struct {
	w    io.Writer
	size int
	spid uint16
	typ  byte
	seq  byte
	buf  []byte // header space then payload
	err  error
}

func newPacketWriter(w io.Writer, size int) *packetWriter {
	return &packetWriter{w: w, size: size, buf: make([]byte, headerLen, size)}
}

// begin starts a message of type typ.
func (p *packetWriter) begin(typ byte) {
	p.typ, p.seq, p.buf = typ, 1, p.buf[:headerLen]
}

// Write appends payload, sending full packets as they fill.
func (p *packetWriter) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		room := p.size - len(p.buf)
		if room == 0 {
			p.flush(false)
			continue
		}
		if room > len(b) {
			room = len(b)
		}
		p.buf = append(p.buf, b[:room]...)
		b = b[room:]
	}
	return n, p.err
}

// flush sends what is buffered as one packet. A non-final flush of an empty buffer sends nothing: a short
// non-final packet is how the server pushes a message to the client while a statement still runs.
func (p *packetWriter) flush(final bool) {
	if !final && len(p.buf) == headerLen {
		return
	}
	h := p.buf[:headerLen]
	h[0] = p.typ
	h[1] = 0
	if final {
		h[1] = statusEOM
	}
	binary.BigEndian.PutUint16(h[2:4], uint16(len(p.buf)))
	binary.BigEndian.PutUint16(h[4:6], p.spid)
	h[6] = p.seq
	h[7] = 0
	if p.err == nil {
		_, p.err = p.w.Write(p.buf)
	}
	p.seq++
	p.buf = p.buf[:headerLen]
}

// send writes a whole message of type typ.
func (p *packetWriter) send(typ byte, payload []byte) error {
	p.begin(typ)
	p.Write(payload)
	p.flush(true)
	return p.err
}
