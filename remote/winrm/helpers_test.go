package winrm

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"pcfailback/remote"
	"pcfailback/sim/certs"
	"pcfailback/sim/wsman"
)

// TestMain fails the package's tests if a goroutine outlives them (the poll loop, the copy goroutines, a
// transport's connections once the runner is closed).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	testUser     = `CONTOSO\lyncadmin`
	testPassword = "s3cret;pa55\"word"
	testHost     = "lyncfe01.contoso.local"
)

// hangGuard bounds how long a test waits for something that should be quick; it is a guard against hangs, not a
// timing assertion.
const hangGuard = 20 * time.Second

// endpoint is a WinRM endpoint on loopback and how to reach it.
type endpoint struct {
	srv  *wsman.Server
	ca   *certs.CA
	cert tls.Certificate
	addr *net.TCPAddr
}

// serve starts a sim/wsman server for runner, with a certificate for lyncfe01.contoso.local and 127.0.0.1.
func serve(t testing.TB, runner remote.PSRunner) *endpoint {
	t.Helper()
	ca, cert := testCA(t)
	srv := wsman.NewServer(wsman.Config{Runner: runner, TLS: &tls.Config{Certificates: []tls.Certificate{cert}},
		User: testUser, Password: testPassword, Machine: "LYNCFE01"})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("server Close: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &endpoint{srv: srv, ca: ca, cert: cert, addr: l.Addr().(*net.TCPAddr)}
}

// serveHandler serves h over HTTPS with the same kind of certificate (for endpoints that misbehave).
func serveHandler(t testing.TB, h http.Handler) *endpoint {
	t.Helper()
	ca, cert := testCA(t)
	s := httptest.NewUnstartedServer(h)
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.StartTLS()
	t.Cleanup(s.Close)
	return &endpoint{ca: ca, cert: cert, addr: s.Listener.Addr().(*net.TCPAddr)}
}

func testCA(t testing.TB) (*certs.CA, tls.Certificate) {
	t.Helper()
	ca, err := certs.NewCA("test CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue(testHost, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return ca, cert
}

// options are runner options for the endpoint with Basic authentication.
func (e *endpoint) options() Options {
	return Options{Host: "127.0.0.1", Port: e.addr.Port, Auth: MethodBasic, User: testUser, Password: testPassword,
		CAPEM: e.ca.PEM, OperationTimeout: 5 * time.Second}
}

// runner builds a runner and closes it with the test.
func runner(t *testing.T, o Options) *Runner {
	t.Helper()
	r, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// collected is what a Run emitted.
type collected struct {
	mu    sync.Mutex
	lines []remote.PSLine
}

func (c *collected) emit(l remote.PSLine) {
	c.mu.Lock()
	c.lines = append(c.lines, l)
	c.mu.Unlock()
}

// texts renders the lines as "stream: text" for comparisons.
func (c *collected) texts() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, len(c.lines))
	for i, l := range c.lines {
		out[i] = l.Stream.String() + ": " + l.Text
	}
	return out
}

// run runs script with a hang guard.
func run(t *testing.T, r *Runner, script string) (*collected, int, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var c collected
	code, err := r.Run(ctx, script, c.emit)
	return &c, code, err
}

// funcRunner is a PSRunner made of a function, for scripted server-side behaviour.
type funcRunner func(ctx context.Context, script string, emit func(remote.PSLine)) (int, error)

func (f funcRunner) Run(ctx context.Context, script string, emit func(remote.PSLine)) (int, error) {
	return f(ctx, script, emit)
}
