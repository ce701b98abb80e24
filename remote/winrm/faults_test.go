package winrm

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/remote"
	"pcfailback/sim"
	"pcfailback/sim/wsman"
)

// serveFaulty starts a sim/wsman endpoint with a fault switched on.
func serveFaulty(t *testing.T, denied, stall bool) *endpoint {
	t.Helper()
	ca, cert := testCA(t)
	srv := wsman.NewServer(wsman.Config{Runner: funcRunner(func(ctx context.Context, script string, emit func(remote.PSLine)) (int, error) {
		emit(remote.PSLine{Text: "ran"})
		return 0, nil
	}), TLS: &tls.Config{Certificates: []tls.Certificate{cert}}, User: testUser, Password: testPassword,
		Machine: "LYNCFE01", AccessDenied: denied, Stall: stall})
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

// An account the endpoint authenticates but refuses: one error that names the account and what to check, and
// nothing runs.
func TestRunAccessDenied(t *testing.T) {
	e := serveFaulty(t, true, false)
	out, code, err := run(t, runner(t, e.options()), "Get-CsPersistentChatState")
	t.Logf("the runner says: %v", err)
	if code != -1 || !errors.Is(err, remote.ErrAccessDenied) || errors.Is(err, ErrAuth) {
		t.Fatalf("run: %d %v", code, err)
	}
	for _, want := range []string{`access denied for CONTOSO\lyncadmin`, `"Access is denied."`, "WSManFault code 5",
		"Remote Management Users group on 127.0.0.1", "https://127.0.0.1:" + strconv.Itoa(e.addr.Port) + "/wsman"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if len(out.texts()) != 0 {
		t.Errorf("output from a refused run: %v", out.texts())
	}
	if st := e.srv.Stats(); st.Denied == 0 || st.Commands != 0 || st.Shells != 0 {
		t.Errorf("server stats %+v", st)
	}
}

// A wrong password stays an authentication failure (HTTP 401), not access denied.
func TestRunAccessDeniedNeedsTheRightPassword(t *testing.T) {
	e := serveFaulty(t, true, false)
	o := e.options()
	o.Password = "wrong"
	if _, _, err := run(t, runner(t, o), "Get-CsPersistentChatState"); !errors.Is(err, ErrAuth) || errors.Is(err, remote.ErrAccessDenied) {
		t.Fatalf("run with a wrong password: %v", err)
	}
}

// An endpoint that never answers: the run ends after the runner's response timeout with one error naming the
// endpoint and the request that went unanswered.
func TestRunEndpointStalls(t *testing.T) {
	e := serveFaulty(t, false, true)
	o := e.options()
	o.OperationTimeout, o.ResponseTimeout = 200*time.Millisecond, 400*time.Millisecond
	_, code, err := run(t, runner(t, o), "Get-CsPersistentChatState")
	t.Logf("the runner says: %v", err)
	if code != -1 || !errors.Is(err, remote.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("run: %d %v", code, err)
	}
	for _, want := range []string{"did not answer the Create request within", "WinRM service on 127.0.0.1",
		"port " + strconv.Itoa(e.addr.Port)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "OperationTimeout") {
		t.Errorf("the text would make the library poll again: %v", err)
	}
	if st := e.srv.Stats(); st.Stalled == 0 || st.Shells != 0 {
		t.Errorf("server stats %+v", st)
	}
}

// When the caller's own time limit ends first (the probe's), the error still says what was not answered, and
// remains a deadline for errors.Is.
func TestRunEndpointStallsPastTheCallersDeadline(t *testing.T) {
	e := serveFaulty(t, false, true)
	r := runner(t, e.options())
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := r.Run(ctx, "Get-CsPersistentChatState", nil)
	if !errors.Is(err, remote.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "did not answer the Create request") {
		t.Fatalf("run: %v", err)
	}
}

// An operator's cancellation while the endpoint sits on a request is a cancellation, not the endpoint's fault.
func TestRunEndpointStallsCancelled(t *testing.T) {
	e := serveFaulty(t, false, true)
	o := e.options()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o.Dial = func(dctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(dctx, network, addr)
		cancel() // the operator presses x once the request is on its way
		return c, err
	}
	if _, err := runner(t, o).Run(ctx, "Get-CsPersistentChatState", nil); !errors.Is(err, context.Canceled) || errors.Is(err, remote.ErrTimeout) {
		t.Fatalf("cancelled run: %v", err)
	}
}

func TestResponseTimeoutMustExceedTheOperationTimeout(t *testing.T) {
	o := Options{Host: "h", User: "u", OperationTimeout: time.Second, ResponseTimeout: time.Second}
	if _, err := New(o); err == nil || !strings.Contains(err.Error(), "ResponseTimeout") {
		t.Fatalf("New: %v", err)
	}
	o.ResponseTimeout = 2 * time.Second
	if o.endpointTimeout() != 2*time.Second {
		t.Errorf("endpoint timeout %v", o.endpointTimeout())
	}
}

// The simulator's WinRM scenarios served as the training lab serves them: the endpoint takes its fault from
// sim.Scenario().WinRM and serves the host's own shell; the runner reports the fault.
func TestSimulatorWinRMScenarios(t *testing.T) {
	for _, c := range []struct {
		scenario string
		want     error
	}{{"winrm-denied", remote.ErrAccessDenied}, {"winrm-timeout", remote.ErrTimeout}, {"", nil}} {
		t.Run("scenario="+c.scenario, func(t *testing.T) {
			s, err := sim.New(sim.Options{Clock: clock.NewVirtual(time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC)), Scenario: c.scenario})
			if err != nil {
				t.Fatal(err)
			}
			host, err := s.PowerShellHost(testHost)
			if err != nil {
				t.Fatal(err)
			}
			ca, cert := testCA(t)
			fault := s.Scenario().WinRM
			srv := wsman.NewServer(wsman.Config{Runner: host, TLS: &tls.Config{Certificates: []tls.Certificate{cert}},
				User: testUser, Password: testPassword, AccessDenied: fault == sim.WinRMDenied, Stall: fault == sim.WinRMTimeout})
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			served := make(chan error, 1)
			go func() { served <- srv.Serve(l) }()
			defer func() {
				srv.Close()
				<-served
			}()
			e := &endpoint{srv: srv, ca: ca, cert: cert, addr: l.Addr().(*net.TCPAddr)}
			o := e.options()
			o.OperationTimeout, o.ResponseTimeout = 200*time.Millisecond, 400*time.Millisecond
			out, code, err := run(t, runner(t, o), "Get-CsPersistentChatState | ForEach-Object { $_.PoolState }")
			if c.want == nil {
				if err != nil || code != 0 || len(out.texts()) != 1 || out.texts()[0] != "stdout: FailedOver" {
					t.Fatalf("normal estate: %d %v %v", code, err, out.texts())
				}
				return
			}
			if !errors.Is(err, c.want) || code != -1 {
				t.Fatalf("run: %d %v", code, err)
			}
		})
	}
}

// accessDeniedFault is the fault WinRM sends an authenticated account it refuses.
const accessDeniedFault = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>w:AccessDenied</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">Access is denied. </s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="5" Machine="LYNCFE01"><f:Message>Access is denied. </f:Message></f:WSManFault></s:Detail></s:Fault></s:Body></s:Envelope>`

// The fault is recognised by its WinRM code, the HRESULT form of it, or the subcode alone.
func TestAccessDeniedFaultForms(t *testing.T) {
	for _, body := range []string{accessDeniedFault,
		strings.Replace(accessDeniedFault, `Code="5"`, `Code="2147942405"`, 1),
		strings.Replace(accessDeniedFault, `Code="5"`, ``, 1)} {
		if !parseFault([]byte(body)).accessDenied() {
			t.Errorf("not recognised: %s", body)
		}
	}
	if parseFault([]byte(strings.Replace(strings.Replace(accessDeniedFault, `Code="5"`, `Code="2150858793"`, 1), "w:AccessDenied", "w:TimedOut", 1))).accessDenied() {
		t.Error("a timeout taken for access denied")
	}
}
