package wsman

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/Azure/go-ntlmssp"
	mw "github.com/masterzen/winrm"

	"pcfailback/remote"
)

// encodeUTF16 is base64 of UTF-16LE, as -EncodedCommand takes it.
func encodeUTF16(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, v := range u {
		b[2*i], b[2*i+1] = byte(v), byte(v>>8)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func TestCommandRunsTheEncodedScript(t *testing.T) {
	f := start(t, echoRunner)
	shell := f.openShell(t)
	cmd := f.execute(t, shell, encoded("first\nsecond é\nerr:WARNING: careful\nerr:Stop-It : failed & <done>"))
	stdout, stderr, exit, _ := f.output(t, shell, cmd)
	if stdout != "first\r\nsecond é\r\n" || exit != 3 {
		t.Fatalf("stdout %q exit %d", stdout, exit)
	}
	want := "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">" +
		`<S S="warning">careful_x000D__x000A_</S><S S="Error">Stop-It : failed &amp; &lt;done&gt;_x000D__x000A_</S></Objs>`
	if stderr != want {
		t.Fatalf("stderr\n got %q\nwant %q", stderr, want)
	}
	if code, body := f.post(t, mw.NewDeleteShellRequest(f.url, shell, f.params)); code != http.StatusOK {
		t.Fatalf("Delete: %d %s", code, body)
	}
	st := f.srv.Stats()
	if st.Shells != 1 || st.OpenShells != 0 || st.Commands != 1 || st.Deletes != 1 || st.Receives < 1 {
		t.Fatalf("stats %+v", st)
	}
}

// stepRunner emits one stdout line each time the test sends on next, then exits 0 when next is closed.
type stepRunner struct {
	next     chan string
	canceled chan struct{}
}

func newStepRunner() *stepRunner {
	return &stepRunner{next: make(chan string), canceled: make(chan struct{})}
}

func (s *stepRunner) Run(ctx context.Context, _ string, emit func(remote.PSLine)) (int, error) {
	for {
		select {
		case l, ok := <-s.next:
			if !ok {
				return 0, nil
			}
			emit(remote.PSLine{Stream: remote.Stdout, Text: l})
		case <-ctx.Done():
			close(s.canceled)
			return -1, ctx.Err()
		}
	}
}

func TestReceiveReturnsOutputAsTheScriptWritesIt(t *testing.T) {
	r := newStepRunner()
	f := start(t, r)
	shell := f.openShell(t)
	cmd := f.execute(t, shell, encoded("anything"))
	for _, line := range []string{"one", "two", "three"} {
		r.next <- line
		var out, errb strings.Builder
		code, body := f.post(t, mw.NewGetOutputRequest(f.url, shell, cmd, "stdout stderr", f.params))
		done, _, err := mw.ParseSlurpOutputErrResponse(body, &out, &errb)
		if code != http.StatusOK || err != nil || done || out.String() != line+"\r\n" {
			t.Fatalf("%s: %d done=%v out=%q %v", line, code, done, out.String(), err)
		}
	}
	close(r.next)
	if _, _, exit, _ := f.output(t, shell, cmd); exit != 0 {
		t.Fatalf("exit %d", exit)
	}
	if st := f.srv.Stats(); st.Receives < 4 {
		t.Fatalf("output came in %d Receives", st.Receives)
	}
}

func TestReceiveTimesOutThenSignalTerminates(t *testing.T) {
	r := newStepRunner()
	f := start(t, r)
	f.params.Timeout = "PT0.2S"
	shell := f.openShell(t)
	cmd := f.execute(t, shell, encoded("wait"))
	code, body := f.post(t, mw.NewGetOutputRequest(f.url, shell, cmd, "stdout stderr", f.params))
	if code != http.StatusInternalServerError || !strings.Contains(body, "<s:Value>w:TimedOut</s:Value>") ||
		!strings.Contains(body, `Code="2150858793"`) {
		t.Fatalf("Receive with nothing to say: %d %s", code, body)
	}
	if code, body := f.post(t, mw.NewSignalRequest(f.url, shell, cmd, f.params)); code != http.StatusOK ||
		!strings.Contains(body, "SignalResponse") {
		t.Fatalf("Signal: %d %s", code, body)
	}
	<-r.canceled
	if _, _, exit, _ := f.output(t, shell, cmd); exit != exitTerminated {
		t.Fatalf("exit after terminate %d", exit)
	}
	// Signal again after the end (the client signals once more when it closes the command): accepted.
	if code, _ := f.post(t, mw.NewSignalRequest(f.url, shell, cmd, f.params)); code != http.StatusOK {
		t.Fatalf("second Signal: %d", code)
	}
	f.post(t, mw.NewDeleteShellRequest(f.url, shell, f.params))
	code, body = f.post(t, mw.NewGetOutputRequest(f.url, shell, cmd, "stdout stderr", f.params))
	if code != http.StatusInternalServerError || !strings.Contains(body, "w:InvalidSelectors") ||
		!strings.Contains(body, "shell was not found") {
		t.Fatalf("Receive on a deleted shell: %d %s", code, body)
	}
	if st := f.srv.Stats(); st.TimedOut != 1 || st.Signals != 2 || st.Faults != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestAuthentication(t *testing.T) {
	f := start(t, echoRunner)
	body := mw.NewOpenShellRequest(f.url, f.params).String()
	for _, c := range []struct{ user, password string }{{"", ""}, {testUser, "wrong"}, {`CONTOSO\other`, testPassword}} {
		code, _ := f.postRaw(t, body, c.user, c.password)
		if code != http.StatusUnauthorized {
			t.Errorf("%q/%q: %d", c.user, c.password, code)
		}
	}
	if code, _ := f.postRaw(t, body, strings.ToUpper(testUser), testPassword); code != http.StatusOK {
		t.Errorf("user names are not case-sensitive on Windows: %d", code)
	}
	if st := f.srv.Stats(); st.AuthFailures != 2 || st.Shells != 1 {
		t.Errorf("stats %+v", st)
	}
	resp, err := f.client.Get(f.url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}
}

func TestNTLMHandshake(t *testing.T) {
	f := start(t, echoRunner)
	ntlm := &http.Client{Transport: ntlmssp.Negotiator{RoundTripper: f.client.Transport}}
	body := mw.NewOpenShellRequest(f.url, f.params).String()
	post := func(user, password string) int {
		req, _ := http.NewRequest(http.MethodPost, f.url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/soap+xml;charset=UTF-8")
		req.SetBasicAuth(user, password)
		resp, err := ntlm.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(testUser, testPassword); code != http.StatusOK {
		t.Fatalf("NTLM with the right password: %d", code)
	}
	f.client.Transport.(*http.Transport).CloseIdleConnections() // a new connection must authenticate again
	if code := post(testUser, "wrong"); code != http.StatusUnauthorized {
		t.Fatalf("NTLM with a wrong password: %d", code)
	}
	// go-ntlmssp answers in the domain the challenge names, whatever domain the user name gives, so only the
	// account name can be told apart here.
	if code := post(`CONTOSO\other`, testPassword); code != http.StatusUnauthorized {
		t.Fatalf("NTLM for another account: %d", code)
	}
	if st := f.srv.Stats(); st.Shells != 1 || st.AuthFailures != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestCommandFromStdin(t *testing.T) {
	f := start(t, echoRunner)
	shell := f.openShell(t)
	cmd := f.execute(t, shell, "powershell.exe -NoProfile -NonInteractive -Command -")
	for i, piece := range []string{"from ", "stdin\nerr:bad", "\r\n"} {
		m := mw.NewSendInputRequest(f.url, shell, cmd, []byte(piece), i == 2, f.params)
		if code, body := f.post(t, m); code != http.StatusOK || !strings.Contains(body, "SendResponse") {
			t.Fatalf("Send: %d %s", code, body)
		}
	}
	stdout, stderr, exit, _ := f.output(t, shell, cmd)
	if stdout != "from stdin\r\n" || !strings.Contains(stderr, `<S S="Error">bad_x000D__x000A_</S>`) || exit != 3 {
		t.Fatalf("%q %q %d", stdout, stderr, exit)
	}
	if st := f.srv.Stats(); st.Sends != 3 {
		t.Fatalf("stats %+v", st)
	}
}

func TestCommandLinesThatDoNotRun(t *testing.T) {
	f := start(t, echoRunner)
	shell := f.openShell(t)
	for _, c := range []struct {
		line, stderr string
		exit         int
	}{
		{encoded(strings.Repeat("x", 3100)), "The command line is too long.\r\n", 1},
		{"ipconfig /all", "'ipconfig' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n", 9009},
		{"powershell.exe -EncodedCommand not*base64", "not properly encoded", 1},
	} {
		cmd := f.execute(t, shell, c.line)
		stdout, stderr, exit, _ := f.output(t, shell, cmd)
		if stdout != "" || !strings.Contains(stderr, c.stderr) || exit != c.exit {
			t.Errorf("%.40s: %q %q %d", c.line, stdout, stderr, exit)
		}
	}
}

func TestFaults(t *testing.T) {
	f := start(t, echoRunner)
	for _, c := range []struct{ body, want string }{
		{"not xml", "w:SchemaValidationError"},
		{`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header/><s:Body/></s:Envelope>`, "no WS-Addressing Action"},
		{strings.Replace(mw.NewOpenShellRequest(f.url, f.params).String(), "transfer/Create", "transfer/Get", 1), "a:ActionNotSupported"},
		{mw.NewExecuteCommandRequest(f.url, "NO-SUCH-SHELL", "powershell.exe -c 1", nil, f.params).String(), "shell was not found"},
	} {
		code, body := f.postRaw(t, c.body, testUser, testPassword)
		if code != http.StatusInternalServerError || !strings.Contains(body, c.want) || !strings.Contains(body, "<s:Fault>") {
			t.Errorf("%.40q: %d %s", c.body, code, body)
		}
	}
	shell := f.openShell(t)
	code, body := f.post(t, mw.NewGetOutputRequest(f.url, shell, "NO-SUCH-COMMAND", "stdout stderr", f.params))
	if code != http.StatusInternalServerError || !strings.Contains(body, "NO-SUCH-COMMAND") {
		t.Errorf("Receive for an unknown command: %d %s", code, body)
	}
}

func TestSeveralShellsAtOnce(t *testing.T) {
	f := start(t, funcRunner(func(ctx context.Context, script string, emit func(remote.PSLine)) (int, error) {
		emit(remote.PSLine{Stream: remote.Stdout, Text: "ran " + script})
		return len(script), nil
	}))
	var wg sync.WaitGroup
	results := make([]string, 5)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shell := f.openShell(t)
			script := strings.Repeat("s", i+1)
			cmd := f.execute(t, shell, encoded(script))
			out, _, exit, _ := f.output(t, shell, cmd)
			if exit != i+1 {
				out += " wrong exit"
			}
			results[i] = out
		}()
	}
	wg.Wait()
	for i, r := range results {
		if want := "ran " + strings.Repeat("s", i+1) + "\r\n"; r != want {
			t.Errorf("shell %d: %q", i, r)
		}
	}
	if st := f.srv.Stats(); st.Shells != 5 || st.OpenShells != 5 || st.Commands != 5 {
		t.Errorf("stats %+v", st)
	}
}

func TestCloseEndsScriptsAndLongPolls(t *testing.T) {
	r := newStepRunner()
	f := start(t, r)
	f.params.Timeout = "PT120S"
	shell := f.openShell(t)
	cmd := f.execute(t, shell, encoded("wait"))
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		req, _ := http.NewRequest(http.MethodPost, f.url, strings.NewReader(mw.NewGetOutputRequest(f.url, shell, cmd, "stdout stderr", f.params).String()))
		req.SetBasicAuth(testUser, testPassword)
		if resp, err := f.client.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	// The Receive is counted once the server holds it.
	for f.srv.Stats().Receives == 0 {
		select {
		case <-polled:
			t.Fatal("the Receive ended before Close")
		default:
		}
		waitBriefly()
	}
	if err := f.srv.Close(); err != nil {
		t.Fatal(err)
	}
	<-r.canceled
	<-polled
}
