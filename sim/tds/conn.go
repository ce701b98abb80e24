package tds

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"pcfailback/sim"
	"pcfailback/tsql"
)

// request is one batch, RPC or transaction-manager request being answered. The reader goroutine creates it
// when the request arrives, so an attention that follows at once already finds something to cancel.
type request struct {
	ctx    context.Context
	cancel context.CancelFunc
	attn   bool // an attention arrived while the request ran
	done   bool // the answer is being finished; a later attention gets its own reply
}

// conn is one logged-in connection.
type conn struct {
	srv    *Server
	raw    net.Conn
	ws     sim.WireSession
	pw     *packetWriter
	ctx    context.Context
	cancel context.CancelFunc

	mu  sync.Mutex
	cur *request
	// dropped is set when the backend reports that the client's link dropped: the connection closes without
	// another byte (serve's goroutine only).
	dropped bool
}

// serveConn runs one connection: login, then requests until the client leaves, sends garbage or the server
// closes.
func (s *Server) serveConn(c net.Conn) {
	defer s.untrack(c)
	defer c.Close()
	raw := countingConn{Conn: c, in: &s.bytesIn, out: &s.bytesOut}
	ev := ConnEvent{Remote: c.RemoteAddr()}
	s.setDeadline(raw, time.Now().Add(s.cfg.LoginTimeout))
	li, err := s.login(raw, &ev)
	if err != nil {
		s.loginFailures.Add(1)
		ev.Err = err
		s.report(ev)
		return
	}
	s.setDeadline(raw, time.Time{})
	s.logins.Add(1)
	s.report(ev)
	ctx, cancel := context.WithCancel(s.ctx)
	cn := &conn{srv: s, raw: raw, ws: li.ws, ctx: ctx, cancel: cancel, pw: newPacketWriter(li.wr, li.packet)}
	cn.pw.spid = uint16(li.ws.SPID())
	msgs := make(chan message)
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		cn.readLoop(&packetReader{r: li.rd, limit: li.packet}, msgs)
	}()
	cn.serve(msgs)
	cancel()
	c.Close()
	<-readerDone
	li.ws.Close()
}

// readLoop reads client messages and hands requests to serve. It handles attention itself, because an
// attention must reach a request that is still running: it cancels the request's context. When the client
// leaves or breaks the protocol, the connection's context is cancelled, which also cancels a running request.
func (c *conn) readLoop(pr *packetReader, out chan<- message) {
	defer close(out)
	defer c.cancel()
	for {
		m, err := pr.readMessage()
		if err != nil {
			return
		}
		switch m.typ {
		case pktAttention:
			c.srv.attentions.Add(1)
			c.mu.Lock()
			running := c.cur != nil && !c.cur.done
			if running {
				c.cur.attn = true
				c.cur.cancel()
			}
			c.mu.Unlock()
			if running {
				continue
			}
			// The request was already answered: the attention gets a reply of its own.
		case pktBatch, pktRPC, pktTransMgr:
			c.mu.Lock()
			if c.cur != nil && !c.cur.done {
				// A second request before the first was answered: not TDS without MARS.
				c.mu.Unlock()
				return
			}
			ctx, cancel := context.WithCancel(c.ctx)
			c.cur = &request{ctx: ctx, cancel: cancel}
			m.req = c.cur
			c.mu.Unlock()
		default:
			return
		}
		select {
		case out <- m:
		case <-c.ctx.Done():
			if m.req != nil {
				m.req.cancel()
			}
			return
		}
	}
}

// serve answers messages in order until the reader stops or a write fails.
func (c *conn) serve(msgs <-chan message) {
	for m := range msgs {
		c.pw.begin(pktReply)
		if m.req == nil {
			(&responder{pw: c.pw}).attention()
		} else if !c.answer(m) {
			return
		}
		if c.pw.err != nil {
			return
		}
	}
}

// answer runs one request and writes its response. It returns false when the connection must be dropped (the
// session was killed, or its simulated link broke).
func (c *conn) answer(m message) bool {
	req := m.req
	defer req.cancel()
	r := &responder{pw: c.pw, server: c.srv.cfg.ServerName, rpc: m.typ == pktRPC}
	keep := true
	var extra []byte
	switch m.typ {
	case pktTransMgr:
		r.Error(tsql.Message{Number: 50000, Class: 16, State: 1,
			Text: "Transaction manager requests are not supported by the simulated server; use BEGIN TRANSACTION in a batch."})
	default:
		keep, extra = c.run(req.ctx, m, r)
	}
	if !keep && c.dropped {
		// The simulated network link broke: the client finds its socket closed, with no message.
		return false
	}
	if !keep {
		severe(r, tsql.Message{Number: 596, Class: 21, State: 1, Text: "Cannot continue the execution because the session is in the kill state."})
		return false
	}
	if c.srv.ctx.Err() != nil {
		severe(r, tsql.Message{Number: 6005, Class: 14, State: 2, Text: "SHUTDOWN is in progress."})
		return false
	}
	c.mu.Lock()
	req.done = true
	attn := req.attn
	c.mu.Unlock()
	if attn {
		r.attention()
	} else {
		r.finish(extra)
	}
	return true
}

// run executes a batch or an RPC. It returns false when the session was killed, and the tokens to send before
// the final DONE (an ENVCHANGE when the batch changed database).
func (c *conn) run(ctx context.Context, m message, r *responder) (bool, []byte) {
	if m.status&(statusResetConn|statusResetSkipTran) != 0 {
		if err := c.ws.Reset(ctx); err != nil {
			if errors.Is(err, sim.ErrSessionKilled) {
				return false, nil
			}
			sendErrors(r, err)
		}
	}
	before := c.ws.Database()
	var err error
	if m.typ == pktBatch {
		c.srv.batches.Add(1)
		var text string
		if text, err = parseBatch(m.data); err == nil {
			err = c.ws.Run(ctx, text, r)
		}
	} else {
		c.srv.rpcs.Add(1)
		var call rpcCall
		if call, err = parseRPC(m.data); err == nil {
			err = c.ws.Call(ctx, call.proc, call.args, r)
		}
	}
	var se *streamError
	switch {
	case errors.Is(err, sim.ErrConnectionDropped):
		c.dropped = true
		return false, nil
	case errors.Is(err, sim.ErrSessionKilled):
		return false, nil
	case errors.As(err, &se):
		r.Error(se.message())
	}
	if after := c.ws.Database(); after != before {
		return true, appendEnvChange(nil, envDatabase, after, before)
	}
	return true, nil
}

// severe ends the response of a request the server will not finish, before it drops the connection: why
// (596 for a killed session, 6005 for a shutdown), then the severe error that tells the client to discard the
// results, then a DONE marking a server error. A client waiting for messages learns the request is over
// instead of waiting on a socket that just closed.
func severe(r *responder, why tsql.Message) {
	r.Error(why)
	r.Error(tsql.Message{Number: 0, Class: 20, State: 0, Text: "A severe error occurred on the current command.  The results, if any, should be discarded."})
	r.emit(appendDone(r.scratch[:0], tokDone, doneError|doneSrvError, 0, 0))
	r.pw.flush(true)
}

// sendErrors reports SQL errors that did not come through the interpreter (a failed reset).
func sendErrors(r *responder, err error) {
	var one *tsql.Error
	var many tsql.Errors
	switch {
	case errors.As(err, &many):
		for _, e := range many {
			r.Error(e.Message)
		}
	case errors.As(err, &one):
		r.Error(one.Message)
	default:
		r.Error(tsql.Message{Number: 50000, Class: 16, State: 1, Text: err.Error()})
	}
}
