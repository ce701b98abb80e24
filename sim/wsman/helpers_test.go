package wsman

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	mw "github.com/masterzen/winrm"
	"github.com/masterzen/winrm/soap"
	"go.uber.org/goleak"

	"pcfailback/remote"
	"pcfailback/sim/certs"
)

// TestMain fails the package's tests if a goroutine outlives them: scripts and long polls must end with Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	testUser     = `CONTOSO\lyncadmin`
	testPassword = "Pa55;w@rd'\"é"
)

// fixture is a server on loopback and an HTTPS client that trusts its CA.
type fixture struct {
	srv    *Server
	url    string
	client *http.Client
	params *mw.Parameters
}

// start serves runner on 127.0.0.1 with a certificate from a fresh CA.
func start(t *testing.T, runner remote.PSRunner) *fixture {
	t.Helper()
	return startWith(t, runner, nil)
}

// startWith is start with a change to the server's configuration (a fault switched on).
func startWith(t *testing.T, runner remote.PSRunner, change func(*Config)) *fixture {
	t.Helper()
	ca, err := certs.NewCA("test CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue("lyncfe01.contoso.local", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Runner: runner, TLS: &tls.Config{Certificates: []tls.Certificate{cert}}, User: testUser,
		Password: testPassword, Machine: "LYNCFE01"}
	if change != nil {
		change(&cfg)
	}
	srv := NewServer(cfg)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool()}}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &fixture{srv: srv, url: "https://" + l.Addr().String() + "/wsman", client: &http.Client{Transport: tr},
		params: mw.NewParameters("PT5S", "en-US", 153600)}
}

// post sends a SOAP message with Basic credentials and returns the status and body.
func (f *fixture) post(t *testing.T, m *soap.SoapMessage) (int, string) {
	t.Helper()
	return f.postRaw(t, m.String(), testUser, testPassword)
}

// postRaw sends body with the given Basic credentials ("" user: none).
func (f *fixture) postRaw(t *testing.T, body, user, password string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/soap+xml;charset=UTF-8")
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusUnauthorized && !strings.Contains(resp.Header.Get("Content-Type"), "application/soap+xml") {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	return resp.StatusCode, string(data)
}

// openShell creates a shell and returns its id.
func (f *fixture) openShell(t *testing.T) string {
	t.Helper()
	code, body := f.post(t, mw.NewOpenShellRequest(f.url, f.params))
	id, err := mw.ParseOpenShellResponse(body)
	if code != http.StatusOK || err != nil || id == "" {
		t.Fatalf("Create: %d %v %s", code, err, body)
	}
	return id
}

// execute starts a command line in a shell and returns the command id.
func (f *fixture) execute(t *testing.T, shell, command string) string {
	t.Helper()
	code, body := f.post(t, mw.NewExecuteCommandRequest(f.url, shell, command, nil, f.params))
	id, err := mw.ParseExecuteCommandResponse(body)
	if code != http.StatusOK || err != nil || id == "" {
		t.Fatalf("Command: %d %v %s", code, err, body)
	}
	return id
}

// output receives until Done and returns stdout, stderr, the exit code and how many Receives it took.
func (f *fixture) output(t *testing.T, shell, cmd string) (stdout, stderr string, exit, receives int) {
	t.Helper()
	var out, errb strings.Builder
	for receives = 1; receives < 1000; receives++ {
		code, body := f.post(t, mw.NewGetOutputRequest(f.url, shell, cmd, "stdout stderr", f.params))
		if code == http.StatusInternalServerError && strings.Contains(body, "w:TimedOut") {
			continue
		}
		if code != http.StatusOK {
			t.Fatalf("Receive: %d %s", code, body)
		}
		done, exit, err := mw.ParseSlurpOutputErrResponse(body, &out, &errb)
		if err != nil {
			t.Fatal(err)
		}
		if done {
			return out.String(), errb.String(), exit, receives
		}
	}
	t.Fatal("the command never finished")
	return
}

// encoded is the command line the runner sends for script.
func encoded(script string) string {
	return "powershell.exe -NoProfile -NonInteractive -EncodedCommand " + encodeUTF16(script)
}

// funcRunner is a PSRunner made of a function.
type funcRunner func(ctx context.Context, script string, emit func(remote.PSLine)) (int, error)

func (f funcRunner) Run(ctx context.Context, script string, emit func(remote.PSLine)) (int, error) {
	return f(ctx, script, emit)
}

// echoRunner prints the script's lines on stdout, lines starting with "err:" on stderr, and exits with 3.
var echoRunner = funcRunner(func(_ context.Context, script string, emit func(remote.PSLine)) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(script, "\r\n"), "\n") {
		l = strings.TrimSuffix(l, "\r")
		if rest, ok := strings.CutPrefix(l, "err:"); ok {
			emit(remote.PSLine{Stream: remote.Stderr, Text: rest})
		} else {
			emit(remote.PSLine{Stream: remote.Stdout, Text: l})
		}
	}
	return 3, nil
})

// waitBriefly yields to the other goroutines while a test polls the server's counters.
func waitBriefly() { runtime.Gosched() }
