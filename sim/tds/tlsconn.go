package tds

import (
	"crypto/tls"
	"net"
)

// handshakeConn carries a TLS handshake inside TDS packets, as TDS 7.x does: every TLS record the server writes
// goes out as the payload of PRELOGIN packets, and the client's records arrive the same way. Writes are held
// until the server next reads (the end of a flight), then sent as one message.
type handshakeConn struct {
	net.Conn
	rd  packetReader
	in  []byte // unread payload of the client's packets
	out []byte // the server's pending flight
	err error  // first write failure
}

func newHandshakeConn(raw net.Conn) *handshakeConn {
	return &handshakeConn{Conn: raw, rd: packetReader{r: raw, limit: maxPacket, want: pktPrelogin}}
}

// Read returns handshake bytes from the client's PRELOGIN packets, after sending the server's pending flight.
func (h *handshakeConn) Read(b []byte) (int, error) {
	if err := h.flushFlight(); err != nil {
		return 0, err
	}
	for len(h.in) == 0 {
		_, _, data, err := h.rd.readPacket(h.in[:0])
		if err != nil {
			return 0, err
		}
		h.in = data
	}
	n := copy(b, h.in)
	h.in = h.in[n:]
	return n, nil
}

// Write queues handshake bytes for the next flight.
func (h *handshakeConn) Write(b []byte) (int, error) {
	if len(h.out)+len(b) > maxMessage {
		return 0, protocolErrorf("TLS handshake flight too long")
	}
	h.out = append(h.out, b...)
	return len(b), nil
}

// flushFlight sends the pending flight as one PRELOGIN message in packets of the pre-login size.
func (h *handshakeConn) flushFlight() error {
	if len(h.out) == 0 || h.err != nil {
		return h.err
	}
	pw := newPacketWriter(h.Conn, defaultPacket)
	h.err = pw.send(pktPrelogin, h.out)
	h.out = h.out[:0]
	return h.err
}

// switchConn lets a tls.Conn move from the packet-wrapped handshake to the raw socket once the handshake is
// done (tls.Conn cannot change its transport itself).
type switchConn struct {
	net.Conn
}

// serverTLS runs the server side of a TDS 7.x TLS handshake on raw and returns the TLS connection, now reading
// and writing raw TLS records on the socket. SQL Server of the Lync 2013 era speaks at most TLS 1.2 inside TDS
// 7, and TLS 1.3 would send session tickets after the handshake that the client never reads from the packet
// stream, so the version is capped at 1.2.
func serverTLS(raw net.Conn, cfg *tls.Config) (*tls.Conn, error) {
	c := cfg.Clone()
	if c.MaxVersion == 0 || c.MaxVersion > tls.VersionTLS12 {
		c.MaxVersion = tls.VersionTLS12
	}
	hs := newHandshakeConn(raw)
	sw := &switchConn{Conn: hs}
	tc := tls.Server(sw, c)
	if err := tc.Handshake(); err != nil {
		return nil, err
	}
	if err := hs.flushFlight(); err != nil {
		return nil, err
	}
	if len(hs.in) > 0 {
		return nil, protocolErrorf("data after the client's TLS Finished")
	}
	sw.Conn = raw
	return tc, nil
}
