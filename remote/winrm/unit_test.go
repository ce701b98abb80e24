package winrm

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"pcfailback/config"
	"pcfailback/remote"
	"pcfailback/remote/winrm/clixml"
)

func TestLinesAreWholeAndNeverEmittedConcurrently(t *testing.T) {
	var busy atomic.Bool
	var got []remote.PSLine
	l := newLines(func(p remote.PSLine) {
		if !busy.CompareAndSwap(false, true) {
			t.Error("emit called concurrently")
		}
		got = append(got, p)
		busy.Store(false)
	}, time.Now)
	var stdout, stderr strings.Builder
	var enc clixml.Encoder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&stdout, "out %d é\r\n", i)
		stderr.Write(enc.Line(fmt.Sprintf("WARNING: warn %d", i)))
	}
	stdout.WriteString("last partial")
	stderr.Write(enc.Close())
	var wg sync.WaitGroup
	for _, w := range []struct {
		w    io.Writer
		data string
	}{{stdoutWriter{l}, stdout.String()}, {stderrWriter{l}, stderr.String()}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data := w.data
			for n := 1; len(data) > 0; n = n%13 + 1 {
				k := min(n, len(data))
				_, _ = w.w.Write([]byte(data[:k]))
				data = data[k:]
			}
		}()
	}
	wg.Wait()
	l.flush()
	var outs, errs []string
	for _, p := range got {
		if p.Stream == remote.Stdout {
			outs = append(outs, p.Text)
		} else {
			errs = append(errs, p.Text)
		}
	}
	if len(outs) != 201 || outs[7] != "out 7 é" || outs[200] != "last partial" || len(errs) != 200 || errs[199] != "WARNING: warn 199" {
		t.Fatalf("%d stdout lines (%q…), %d stderr lines", len(outs), outs[:min(3, len(outs))], len(errs))
	}
	for i := 0; i < 200; i++ {
		if outs[i] != fmt.Sprintf("out %d é", i) || errs[i] != fmt.Sprintf("WARNING: warn %d", i) {
			t.Fatalf("line %d: %q %q", i, outs[i], errs[i])
		}
	}
}

func TestInvocation(t *testing.T) {
	inv, err := invocationFor("Get-CsPool | Select Identity # é 😀")
	if err != nil || inv.stdin != nil {
		t.Fatal(inv, err)
	}
	rest, ok := strings.CutPrefix(inv.command, "powershell.exe -NoProfile -NonInteractive -EncodedCommand ")
	raw, _ := base64.StdEncoding.DecodeString(rest)
	u := make([]uint16, len(raw)/2)
	for i := range u {
		u[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
	}
	if !ok || string(utf16.Decode(u)) != "Get-CsPool | Select Identity # é 😀" {
		t.Fatalf("%q", inv.command)
	}
	// The encoded form grows by 8/3: a script of 2,950 characters is about the limit.
	short, _ := invocationFor(strings.Repeat("a", 2900))
	long, _ := invocationFor(strings.Repeat("a", 3100))
	if short.stdin != nil || len(short.command) > maxCommandLine || long.stdin == nil ||
		long.command != "powershell.exe -NoProfile -NonInteractive -Command -" {
		t.Fatalf("short %d bytes stdin=%v, long %q", len(short.command), short.stdin != nil, long.command)
	}
	var sizes []int
	buf := make([]byte, 1<<20)
	for {
		n, err := long.stdin.Read(buf)
		if err == io.EOF {
			break
		}
		sizes = append(sizes, n)
	}
	if len(sizes) != 1 || sizes[0] != 3104 {
		t.Fatalf("stdin pieces %v", sizes)
	}
	if _, err := invocationFor(strings.Repeat("a", maxScript+1)); err == nil {
		t.Fatal("an oversized script was accepted")
	}
}

func TestOptions(t *testing.T) {
	l := config.Lync{Host: "lyncfe01.contoso.local", Port: 5986, CAFile: "/etc/pcfailback/ca.pem", OperationTimeout: 20 * time.Second,
		Auth: config.Auth{Method: config.MethodNTLM, User: `CONTOSO\lyncadmin`}}
	o := FromConfig(l, "hunter2")
	if o.Host != l.Host || o.Port != 5986 || o.Auth != config.MethodNTLM || o.User != `CONTOSO\lyncadmin` || o.Password != "hunter2" ||
		o.CAFile != l.CAFile || o.OperationTimeout != 20*time.Second {
		t.Fatalf("%+v", o)
	}
	if o.TLSServerName != "" {
		t.Errorf("TLS name %q when the host is the FQDN", o.TLSServerName)
	}
	l2 := l
	l2.Host, l2.FQDN = "127.0.0.1", "lyncfe01.contoso.local"
	if o2 := FromConfig(l2, ""); o2.TLSServerName != "lyncfe01.contoso.local" || o2.Host != "127.0.0.1" {
		t.Errorf("reached by address: host %q TLS name %q", o2.Host, o2.TLSServerName)
	}
	d := o.Describe()
	if strings.Contains(d, "hunter2") || !strings.Contains(d, "https://lyncfe01.contoso.local:5986/wsman") ||
		!strings.Contains(d, "ntlm") || !strings.Contains(d, "/etc/pcfailback/ca.pem") {
		t.Fatalf("Describe: %s", d)
	}
	for _, bad := range []Options{
		{}, {Host: "h", Port: 70000, User: "u"}, {Host: "h", Auth: "digest", User: "u"}, {Host: "h"},
		{Host: "h", User: "u", OperationTimeout: time.Millisecond}, {Host: "h", User: "u", CAFile: "/nonexistent/ca.pem"},
		{Host: "h", User: "u", CAPEM: []byte("not a certificate")},
	} {
		if _, err := New(bad); err == nil {
			t.Errorf("New(%+v) accepted", bad)
		}
	}
	r, err := New(Options{Host: "h", User: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.opts.Port != 5986 || r.opts.Auth != config.MethodNTLM || r.opts.OperationTimeout != 20*time.Second ||
		r.opts.endpointTimeout() <= r.opts.OperationTimeout {
		t.Fatalf("defaults %+v", r.opts)
	}
	if isoDuration(20*time.Second) != "PT20S" || isoDuration(1250*time.Millisecond) != "PT1.250S" {
		t.Fatal(isoDuration(20*time.Second), isoDuration(1250*time.Millisecond))
	}
}

func TestEnvironmentProxiesAreNotUsed(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
	r, err := New(Options{Host: "lyncfe01.contoso.local", Auth: MethodBasic, User: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if tr := r.http.Transport.(*pool).newTransport(); tr.Proxy != nil {
		t.Fatal("the transport takes proxies from the environment")
	}
}

func TestKerberosPrincipal(t *testing.T) {
	for _, c := range []struct{ account, realm, def, user, want string }{
		{"lyncadmin@contoso.local", "", "DEF.REALM", "lyncadmin", "CONTOSO.LOCAL"},
		{"lyncadmin@CONTOSO.LOCAL", "OTHER.REALM", "", "lyncadmin", "CONTOSO.LOCAL"},
		{`CONTOSO\lyncadmin`, "contoso.local", "DEF.REALM", "lyncadmin", "CONTOSO.LOCAL"},
		{"lyncadmin", "", "DEF.REALM", "lyncadmin", "DEF.REALM"},
	} {
		if u, r := kerberosPrincipal(c.account, c.realm, c.def); u != c.user || r != c.want {
			t.Errorf("%s: %s %s", c.account, u, r)
		}
	}
}

func TestKerberosAsksTheKDC(t *testing.T) {
	// A KDC that is not there: the run fails with an error that names Kerberos, and nothing reaches the server
	// without a ticket.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	kdc := l.Addr().String()
	l.Close()
	conf := filepath.Join(t.TempDir(), "krb5.conf")
	text := "[libdefaults]\n default_realm = CONTOSO.LOCAL\n dns_lookup_kdc = false\n dns_lookup_realm = false\n udp_preference_limit = 1\n" +
		"[realms]\n CONTOSO.LOCAL = {\n  kdc = " + kdc + "\n }\n"
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	e := serve(t, funcRunner(func(context.Context, string, func(remote.PSLine)) (int, error) { return 0, nil }))
	o := e.options()
	o.Auth, o.User, o.Krb5Config = config.MethodKerberos, "lyncadmin", conf
	r := runner(t, o)
	if d := r.Describe(); !strings.Contains(d, "kerberos") || strings.Contains(d, testPassword) {
		t.Fatalf("Describe: %s", d)
	}
	_, _, err = run(t, r, "Get-Date")
	t.Log(err)
	if err == nil || !strings.Contains(err.Error(), "kerberos ticket for HTTP/127.0.0.1") {
		t.Fatalf("err %v", err)
	}
	if st := e.srv.Stats(); st.Shells != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFaultParsing(t *testing.T) {
	f := parseFault([]byte(timedOutFault))
	if !f.timedOut() {
		t.Fatal("w:TimedOut not recognised")
	}
	f = parseFault([]byte(shellGoneFault))
	if f.timedOut() || !strings.Contains(f.describe(nil), "shell was not found on the server. (WinRM error 2150858843)") {
		t.Fatalf("%q", f.describe(nil))
	}
	html := []byte("<html>" + strings.Repeat("é", 400))
	if d := parseFault(html).describe(html); !strings.HasPrefix(d, "<html>") || len(d) > 310 ||
		!strings.HasSuffix(d, "…") || !utf8.ValidString(d) {
		t.Fatalf("%q", d)
	}
	if parseFault(nil).describe(nil) != "(no body)" {
		t.Fatal("empty body")
	}
}

func FuzzFault(f *testing.F) {
	f.Add([]byte(timedOutFault))
	f.Add([]byte(shellGoneFault))
	f.Add([]byte("<html><body>Service Unavailable</body></html>"))
	f.Add([]byte(accessDeniedFault))
	f.Fuzz(func(t *testing.T, body []byte) {
		fault := parseFault(body)
		_ = fault.timedOut()
		if fault.accessDenied() {
			r := &Runner{opts: Options{Host: "h", User: "u"}, url: "https://h:5986/wsman"}
			if err := r.deniedError(fault); err == nil || !strings.Contains(err.Error(), "access denied for u") {
				t.Fatalf("denied error %v", err)
			}
		}
		if d := fault.describe(body); d == "" {
			t.Fatal("an empty description")
		}
	})
}
