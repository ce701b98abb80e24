package winrm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/config"
	"pcfailback/remote"
	"pcfailback/sim"
)

func TestOutputArrivesInChunksAndInOrder(t *testing.T) {
	// The script writes its next line only once the console has the previous one, so the lines cannot all
	// travel in one Receive: this is what streaming means.
	ack := make(chan struct{})
	e := serve(t, funcRunner(func(ctx context.Context, _ string, emit func(remote.PSLine)) (int, error) {
		for i, l := range []remote.PSLine{
			{Stream: remote.Stdout, Text: "Processing mgc"},
			{Stream: remote.Stderr, Text: "WARNING: the pool is FailedOver"},
			{Stream: remote.Stdout, Text: "Processing mgccomp é"},
			{Stream: remote.Stderr, Text: "Set-CsX : access denied"},
			{Stream: remote.Stdout, Text: "done"},
		} {
			emit(l)
			select {
			case <-ack:
			case <-ctx.Done():
				return -1, ctx.Err()
			}
			_ = i
		}
		return 0, nil
	}))
	r := runner(t, e.options())
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var c collected
	code, err := r.Run(ctx, "Write-Output x", func(l remote.PSLine) {
		c.emit(l)
		if l.At.IsZero() {
			t.Error("a line without a time")
		}
		ack <- struct{}{}
	})
	want := []string{"stdout: Processing mgc", "stderr: WARNING: the pool is FailedOver", "stdout: Processing mgccomp é",
		"stderr: Set-CsX : access denied", "stdout: done"}
	if err != nil || code != 0 || !slices.Equal(c.texts(), want) {
		t.Fatalf("code %d err %v\n got %q\nwant %q", code, err, c.texts(), want)
	}
	if st := e.srv.Stats(); st.Receives < 5 || st.Commands != 1 || st.OpenShells != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// newSim is the simulated estate on a virtual clock.
func newSim(t *testing.T) *sim.Sim {
	t.Helper()
	s, err := sim.New(sim.Options{Seed: 7, Clock: clock.NewVirtual(time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTheWireGivesWhatTheSimulatorSays(t *testing.T) {
	scripts := []string{
		"$ErrorActionPreference = 'Stop'\nImport-Module Lync\n" +
			"Get-CsPersistentChatState | ForEach-Object { \"state`t$($_.Identity)`t$($_.PoolState)\" }\n",
		"Write-Output 'before'\nWrite-Warning 'the pool is still FailedOver'\nWrite-Verbose 'details' -Verbose\n" +
			"Write-Error 'it failed & <why>'\nWrite-Output 'after'\nexit 4\n",
		"Import-Module Lync\nSet-CsPersistentChatState -Identity 'service:nosuch.contoso.local' -PoolState Normal\n",
		"Write-Output 'x_x000D_y'; Write-Warning 'a_x0041_b'\n",
		// Too long for the command line: it goes on stdin.
		"Import-Module Lync\n" + strings.Repeat("Write-Output 'a line of a long script, long enough to need stdin'\n", 60) +
			"Get-CsPersistentChatState | ForEach-Object { $_.PoolState }\nexit 2\n",
	}
	for _, script := range scripts {
		local, wire := newSim(t), newSim(t)
		ps, err := local.PowerShell("lyncfe01.contoso.local")
		if err != nil {
			t.Fatal(err)
		}
		var want collected
		wantCode, err := ps.Run(context.Background(), script, want.emit)
		if err != nil {
			t.Fatal(err)
		}
		remotePS, _ := wire.PowerShell("lyncfe01.contoso.local")
		e := serve(t, remotePS)
		got, code, err := run(t, runner(t, e.options()), script)
		if err != nil || code != wantCode || !slices.Equal(got.texts(), want.texts()) {
			t.Errorf("%q:\nexit %d (want %d), err %v\n got %q\nwant %q", script, code, wantCode, err, got.texts(), want.texts())
		}
		if st := e.srv.Stats(); (len(script) > 3000) != (st.Sends > 0) {
			t.Errorf("a %d-byte script was sent with %d Sends", len(script), st.Sends)
		}
		if len(want.texts()) == 0 {
			t.Errorf("%q printed nothing; the comparison proves nothing", script)
		}
	}
}

func TestCancelTerminatesTheCommandPromptly(t *testing.T) {
	stopped := make(chan struct{})
	e := serve(t, funcRunner(func(ctx context.Context, _ string, emit func(remote.PSLine)) (int, error) {
		emit(remote.PSLine{Stream: remote.Stdout, Text: "10 percent processed."})
		<-ctx.Done()
		close(stopped)
		return -1, ctx.Err()
	}))
	o := e.options()
	o.OperationTimeout = 30 * time.Second // the cancel must not wait for the long poll to end
	r := runner(t, o)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelled time.Time
	done := make(chan struct{})
	var code int
	var err error
	go func() {
		defer close(done)
		code, err = r.Run(ctx, "Start-Sleep 600", func(remote.PSLine) {
			cancelled = time.Now()
			cancel()
		})
	}()
	select {
	case <-done:
	case <-time.After(hangGuard):
		t.Fatal("Run did not return after the cancel")
	}
	latency := time.Since(cancelled)
	t.Logf("Run returned %v after the cancel", latency)
	if !errors.Is(err, context.Canceled) || code != -1 {
		t.Fatalf("code %d err %v", code, err)
	}
	select {
	case <-stopped:
	case <-time.After(hangGuard):
		t.Fatal("the script was not stopped at the server")
	}
	if st := e.srv.Stats(); st.Signals < 1 || st.Deletes != 1 || st.OpenShells != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// faultingEndpoint forwards everything to a real endpoint except Receive, which gets a fault: what a client sees
// when the shell disappears under it.
func faultingEndpoint(t *testing.T, receiveFault func(n int) (int, string)) (*endpoint, *atomic.Int64) {
	t.Helper()
	inner := serve(t, funcRunner(func(ctx context.Context, _ string, _ func(remote.PSLine)) (int, error) {
		<-ctx.Done()
		return -1, ctx.Err()
	}))
	var receives atomic.Int64
	e := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte("/windows/shell/Receive<")) {
			status, reply := receiveFault(int(receives.Add(1)))
			w.Header().Set("Content-Type", "application/soap+xml;charset=UTF-8")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, reply)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		inner.srv.ServeHTTP(w, r)
	}))
	return e, &receives
}

const shellGoneFault = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code>` +
	`<s:Value>s:Sender</s:Value><s:Subcode><s:Value>w:InvalidSelectors</s:Value></s:Subcode></s:Code><s:Reason>` +
	`<s:Text xml:lang="en-US">The shell was not found.</s:Text></s:Reason><s:Detail><f:WSManFault ` +
	`xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858843" Machine="x"><f:Message>` +
	`The request for the Windows Remote Shell with ShellId X failed because the shell was not found on the server.` +
	`</f:Message></f:WSManFault></s:Detail></s:Fault></s:Body></s:Envelope>`

const timedOutFault = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code>` +
	`<s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code></s:Fault></s:Body></s:Envelope>`

func TestAServerFaultEndsTheRunWithOneError(t *testing.T) {
	e, receives := faultingEndpoint(t, func(int) (int, string) { return http.StatusInternalServerError, shellGoneFault })
	_, code, err := run(t, runner(t, e.options()), "Get-Date")
	t.Log(err)
	if err == nil || code != -1 || !strings.Contains(err.Error(), "shell was not found") ||
		!strings.Contains(err.Error(), "Receive") || !strings.Contains(err.Error(), "2150858843") {
		t.Fatalf("code %d err %v", code, err)
	}
	if n := receives.Load(); n != 1 {
		t.Fatalf("%d Receives after a fault; the client must stop at the first", n)
	}
}

func TestEarlyTimeoutFaultsAreNotABusyLoop(t *testing.T) {
	e, receives := faultingEndpoint(t, func(int) (int, string) { return http.StatusInternalServerError, timedOutFault })
	o := e.options()
	o.OperationTimeout = 400 * time.Millisecond
	r := runner(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := r.Run(ctx, "Get-Date", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	// Paced at a quarter of the OperationTimeout: about 20 in 2 s. The library alone sent thousands.
	if n := receives.Load(); n > 25 {
		t.Fatalf("%d Receives in 2 s", n)
	}
}

func TestWrongPasswordIsAuthenticationFailed(t *testing.T) {
	e := serve(t, funcRunner(func(context.Context, string, func(remote.PSLine)) (int, error) { return 0, nil }))
	for _, auth := range []config.Method{MethodBasic, config.MethodNTLM} {
		o := e.options()
		o.Auth, o.Password = auth, "wrong"
		_, code, err := run(t, runner(t, o), "Get-Date")
		t.Logf("%s: %v", auth, err)
		if !errors.Is(err, ErrAuth) || code != -1 || !strings.Contains(err.Error(), "authentication failed") ||
			strings.Contains(err.Error(), "wrong") {
			t.Errorf("%s: code %d err %v", auth, code, err)
		}
	}
	if st := e.srv.Stats(); st.AuthFailures != 2 || st.Shells != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestNTLM(t *testing.T) {
	e := serve(t, funcRunner(func(_ context.Context, _ string, emit func(remote.PSLine)) (int, error) {
		emit(remote.PSLine{Stream: remote.Stdout, Text: "hello"})
		return 0, nil
	}))
	o := e.options()
	o.Auth = config.MethodNTLM
	got, code, err := run(t, runner(t, o), "Get-Date")
	if err != nil || code != 0 || !slices.Equal(got.texts(), []string{"stdout: hello"}) {
		t.Fatalf("code %d err %v lines %q", code, err, got.texts())
	}
}

func TestNTLMNeverFallsBackToBasic(t *testing.T) {
	basicOnly := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, ok := r.BasicAuth(); ok {
			t.Error("the password was sent with Basic")
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="WSMAN"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	o := basicOnly.options()
	o.Auth = config.MethodNTLM
	_, _, err := run(t, runner(t, o), "Get-Date")
	t.Log(err)
	if !errors.Is(err, errNoNTLM) {
		t.Fatalf("err %v", err)
	}
}

func TestTLSIsVerified(t *testing.T) {
	e := serve(t, funcRunner(func(context.Context, string, func(remote.PSLine)) (int, error) { return 5, nil }))
	loopback := func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, e.addr.String())
	}
	for _, c := range []struct {
		name   string
		change func(*Options)
		want   string // "" means it must work
	}{
		{"by name through Dial", func(o *Options) { o.Host, o.Dial = testHost, loopback }, ""},
		{"address with the certificate's name", func(o *Options) { o.TLSServerName = testHost }, ""},
		{"wrong server name", func(o *Options) { o.TLSServerName = "sqlprimary.contoso.local" }, "certificate"},
		{"another host's name", func(o *Options) { o.Host, o.Dial = "lyncfe02.contoso.local", loopback }, "certificate"},
		{"system roots", func(o *Options) { o.CAPEM = nil }, "certificate"},
	} {
		o := e.options()
		c.change(&o)
		_, code, err := run(t, runner(t, o), "exit 5")
		t.Logf("%s: %v", c.name, err)
		switch {
		case c.want == "" && (err != nil || code != 5):
			t.Errorf("%s: code %d err %v", c.name, code, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err %v, want one about the %s", c.name, err, c.want)
		}
	}
	if st := e.srv.Stats(); st.Commands != 2 {
		t.Fatalf("a refused certificate still reached the server: %+v", st)
	}
}

func TestLongScriptGoesOnStdin(t *testing.T) {
	ran := make(chan string, 1)
	e := serve(t, funcRunner(func(_ context.Context, script string, emit func(remote.PSLine)) (int, error) {
		ran <- script
		emit(remote.PSLine{Stream: remote.Stdout, Text: "ran"})
		return 0, nil
	}))
	var b strings.Builder
	for i := 0; b.Len() < 40000; i++ {
		b.WriteString("Write-Output 'line with é and a fairly long text to make the script long'\n")
	}
	script := b.String()
	out, code, err := run(t, runner(t, e.options()), script)
	if err != nil || code != 0 || !slices.Equal(out.texts(), []string{"stdout: ran"}) {
		t.Fatalf("code %d err %v lines %q", code, err, out.texts())
	}
	if got := <-ran; strings.TrimRight(got, "\r\n") != strings.TrimRight(script, "\n") {
		t.Fatalf("the server ran %d bytes, not the %d-byte script", len(got), len(script))
	}
	if st := e.srv.Stats(); st.Sends < 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestKerberosNeedsItsConfiguration(t *testing.T) {
	_, err := New(Options{Host: testHost, Auth: config.MethodKerberos, User: "lyncadmin", Password: "x",
		Krb5Config: t.TempDir() + "/missing.conf"})
	if err == nil || !strings.Contains(err.Error(), "kerberos configuration") {
		t.Fatalf("err %v", err)
	}
	_, err = New(Options{Host: testHost, Auth: config.MethodKerberos, User: "lyncadmin"})
	if err == nil || !strings.Contains(err.Error(), "keytab") {
		t.Fatalf("err %v", err)
	}
}

func TestNTLMWithConcurrentRequests(t *testing.T) {
	// Long scripts go on stdin, so each run sends while it polls; with several runs at once, requests overlap all
	// the time. Every NTLM handshake must still complete on its own connection.
	e := serve(t, funcRunner(func(_ context.Context, script string, emit func(remote.PSLine)) (int, error) {
		emit(remote.PSLine{Stream: remote.Stdout, Text: fmt.Sprint(len(script))})
		return 0, nil
	}))
	o := e.options()
	o.Auth = config.MethodNTLM
	r := runner(t, o)
	script := strings.Repeat("Write-Output 'padding to push the script onto stdin'\n", 100)
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 3; j++ {
				got, code, err := run(t, r, script)
				if err == nil && (code != 0 || len(got.texts()) != 1) {
					err = fmt.Errorf("code %d lines %q", code, got.texts())
				}
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if st := e.srv.Stats(); st.AuthFailures != 0 || st.Commands != 12 || st.Sends < 12 {
		t.Fatalf("stats %+v", st)
	}
}
