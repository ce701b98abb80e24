package tds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"pcfailback/sim"
	"pcfailback/tsql"
)

// loggedIn is a connection after a successful login.
type loggedIn struct {
	rd      io.Reader // where requests come from: the socket, or TLS over it
	wr      io.Writer // where responses go
	ws      sim.WireSession
	packet  int
	version uint32
}

// loginFailed is a login the server refused with messages already sent to the client.
type loginFailed struct{ msg tsql.Message }

func (e *loginFailed) Error() string { return fmt.Sprintf("Msg %d: %s", e.msg.Number, e.msg.Text) }

// login runs PRELOGIN, the TLS handshake the client and server agree on, and LOGIN7, and answers the login.
// It returns the transports to use from then on, or an error after which the connection is closed.
func (s *Server) login(raw net.Conn, ev *ConnEvent) (*loggedIn, error) {
	m, err := (&packetReader{r: raw, limit: maxPacket, want: pktPrelogin}).readMessage()
	if err != nil {
		return nil, err
	}
	pl, err := parsePrelogin(m.data)
	if err != nil {
		return nil, err
	}
	answer, mode := negotiate(pl, s.cfg.TLS != nil)
	ev.Encryption = mode.String()
	pw := newPacketWriter(raw, defaultPacket)
	if err := pw.send(pktReply, preloginReply(s.cfg.Backend.ProductVersion(), answer, pl)); err != nil {
		return nil, err
	}
	var rd io.Reader = raw
	var wr io.Writer = raw
	if mode != encNone {
		tc, err := serverTLS(raw, s.cfg.TLS)
		if err != nil {
			return nil, fmt.Errorf("tds: TLS handshake: %w", err)
		}
		rd = tc
		if mode == encFull {
			wr = tc
		}
	}
	m, err = (&packetReader{r: rd, limit: maxPacket, want: pktLogin7}).readMessage()
	if err != nil {
		return nil, err
	}
	if mode == encLogin {
		// Only the login packet travels encrypted; the client reads the answer and sends everything after it in
		// the clear.
		rd = raw
	}
	l, err := parseLogin7(m.data)
	if err != nil {
		return nil, err
	}
	ev.User, ev.App, ev.Host, ev.Database, ev.ReadOnlyIntent = l.userName, l.appName, l.hostName, l.database, l.readOnlyIntent
	version, ok := replyVersion(l.tdsVersion)
	if !ok {
		return nil, protocolErrorf("TDS version %#08x is older than 7.2", l.tdsVersion)
	}
	packet := int(l.packetSize)
	switch {
	case packet == 0:
		packet = defaultPacket
	case packet < minPacket:
		packet = minPacket
	case packet > maxPacket:
		packet = maxPacket
	}
	out := newPacketWriter(wr, packet)
	ws, refusal := s.authenticate(l)
	if refusal != nil {
		out.begin(pktReply)
		var b []byte
		for _, msg := range refusal {
			b = appendMessage(b, tokError, msg, s.cfg.ServerName)
		}
		out.Write(appendDone(b, tokDone, doneError, 0, 0))
		out.flush(true)
		return nil, &loginFailed{msg: refusal[len(refusal)-1]}
	}
	ev.SPID = ws.SPID()
	out.spid = uint16(ws.SPID())
	out.begin(pktReply)
	out.Write(s.loginAck(ws.Database(), version, packet))
	out.flush(true)
	if out.err != nil {
		ws.Close()
		return nil, out.err
	}
	ev.TDSVersion, ev.PacketSize = version, packet
	return &loggedIn{rd: rd, wr: wr, ws: ws, packet: packet, version: version}, nil
}

// authenticate checks the login and opens the session, or returns the messages that refuse it.
func (s *Server) authenticate(l login7) (sim.WireSession, []tsql.Message) {
	failed := func(state uint8) []tsql.Message {
		return []tsql.Message{{Number: 18456, Class: 14, State: state, Text: fmt.Sprintf("Login failed for user '%s'.", l.userName)}}
	}
	if l.sspi {
		return nil, []tsql.Message{{Number: 18452, Class: 14, State: 1, Text: "Login failed. The login is from an " +
			"untrusted domain and cannot be used with Integrated authentication. (The simulator does not simulate " +
			"integrated authentication: use a SQL Server login.)"}}
	}
	if s.cfg.Users != nil {
		password, known := "", false
		for u, p := range s.cfg.Users {
			if strings.EqualFold(u, l.userName) {
				password, known = p, true
				break
			}
		}
		switch {
		case !known:
			return nil, failed(5)
		case password != l.password:
			return nil, failed(8)
		}
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.LoginTimeout)
	defer cancel()
	ws, err := s.cfg.Backend.Open(ctx, sim.WireLogin{User: l.userName, App: l.appName, Workstation: l.hostName,
		Database: l.database, ReadOnlyIntent: l.readOnlyIntent, ClientInterface: l.clientInterface,
		ClientPID: int(l.clientPID)})
	if err == nil {
		return ws, nil
	}
	var one *tsql.Error
	var many tsql.Errors
	switch {
	case errors.As(err, &many) && len(many) > 0:
		out := make([]tsql.Message, len(many))
		for i, e := range many {
			out[i] = e.Message
		}
		return nil, out
	case errors.As(err, &one):
		return nil, []tsql.Message{one.Message}
	}
	return nil, failed(1)
}

// loginAck is the answer to a successful login, in SQL Server's order: the database, its 5701, the collation,
// the language and its 5703, LOGINACK, the packet size, DONE.
func (s *Server) loginAck(database string, version uint32, packet int) []byte {
	srv := s.cfg.ServerName
	b := appendEnvChange(nil, envDatabase, database, "master")
	b = appendMessage(b, tokInfo, tsql.Message{Number: 5701, State: 2, Text: fmt.Sprintf("Changed database context to '%s'.", database)}, srv)
	b = appendCollationChange(b)
	b = appendEnvChange(b, envLanguage, "us_english", "")
	b = appendMessage(b, tokInfo, tsql.Message{Number: 5703, State: 1, Text: "Changed language setting to us_english."}, srv)
	b = appendLoginAck(b, version, s.cfg.Backend.ProductVersion())
	b = appendEnvChange(b, envPacketSize, strconv.Itoa(packet), strconv.Itoa(defaultPacket))
	return appendDone(b, tokDone, doneFinal, 0, 0)
}

// setDeadline sets raw's deadline (the login bound, or none once logged in) without undoing Close: when the
// server is closing, the read deadline goes back to now. Close cancels the context before it sets deadlines, so
// either it sees this deadline or this sees its cancel.
func (s *Server) setDeadline(raw net.Conn, t time.Time) {
	raw.SetDeadline(t)
	if s.ctx.Err() != nil {
		raw.SetReadDeadline(time.Now())
	}
}
