package winrm

import (
	"io"
	"net/http"
	"sync"
)

// maxIdleTransports is how many idle connections a runner keeps for later requests.
const maxIdleTransports = 4

// pool gives each request a connection of its own for the whole exchange. NTLM authenticates a connection in
// three legs (anonymous, NEGOTIATE, AUTHENTICATE); with one shared connection pool, a concurrent request (the
// Send of a script on stdin while a Receive polls) can take the connection between two legs and the handshake
// fails. Here each request checks out a transport that holds at most one connection, runs its legs on it, and
// gives it back when the response body is closed, still authenticated for the next request.
type pool struct {
	mu   sync.Mutex
	idle []*http.Transport
	// all lists every transport made, to close their connections on Close.
	all []*http.Transport
	// newTransport makes a transport limited to one connection.
	newTransport func() *http.Transport
	// wrap adds the authentication layer (the NTLM negotiator) on top of a checked-out transport.
	wrap func(http.RoundTripper) http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (p *pool) RoundTrip(r *http.Request) (*http.Response, error) {
	t := p.get()
	resp, err := p.wrap(t).RoundTrip(r)
	if err != nil {
		p.put(t)
		return nil, err
	}
	resp.Body = &release{ReadCloser: resp.Body, done: func() { p.put(t) }}
	return resp, nil
}

// get checks out an idle transport or makes one.
func (p *pool) get() *http.Transport {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		t := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return t
	}
	t := p.newTransport()
	p.all = append(p.all, t)
	return t
}

// put returns a transport; beyond the idle limit its connection is closed and it is dropped.
func (p *pool) put(t *http.Transport) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) < maxIdleTransports {
		p.idle = append(p.idle, t)
		return
	}
	t.CloseIdleConnections()
	for i, x := range p.all {
		if x == t {
			p.all = append(p.all[:i], p.all[i+1:]...)
			break
		}
	}
}

// closeIdle closes every idle connection.
func (p *pool) closeIdle() {
	p.mu.Lock()
	all := append([]*http.Transport(nil), p.all...)
	p.mu.Unlock()
	for _, t := range all {
		t.CloseIdleConnections()
	}
}

// release gives the transport back once, when the body is closed.
type release struct {
	io.ReadCloser
	once sync.Once
	done func()
}

// Close implements io.Closer.
func (r *release) Close() error {
	err := r.ReadCloser.Close()
	r.once.Do(r.done)
	return err
}
