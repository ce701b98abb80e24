package mssql

import (
	"context"
	"net"
	"strconv"
	"sync"
	"testing"
)

// Host names reach the dialer unresolved (with the context), and a named instance without a port is found through
// SQL Browser over the same dialer, under the same login guard.
func TestDialerResolvesNamesAndFindsNamedInstances(t *testing.T) {
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) { w.Info(0, "ok") })
	browser, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = browser.Close() })
	go func() {
		buf := make([]byte, 64)
		for {
			n, from, err := browser.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 1 || buf[0] != 3 { // CLNT_UCAST_EX: list the instances
				continue
			}
			body := "ServerName;SQLBACKUP;InstanceName;PCHAT;IsClustered;No;Version;11.0.7001.0;tcp;" +
				strconv.Itoa(srv.port()) + ";;"
			reply := append([]byte{5, byte(len(body)), byte(len(body) >> 8)}, body...)
			_, _ = browser.WriteTo(reply, from)
		}
	}()
	var mu sync.Mutex
	var dialled []string
	o := fakeOptions(0)
	o.Host, o.Port, o.Instance = "sqlbackup.contoso.invalid", 0, "PCHAT"
	o.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		dialled = append(dialled, network+" "+addr)
		mu.Unlock()
		var d net.Dialer
		if network == "udp" {
			return d.DialContext(ctx, network, browser.LocalAddr().String())
		}
		return d.DialContext(ctx, network, "127.0.0.1:"+strconv.Itoa(srv.port()))
	}
	s := connect(t, open(t, o), "master")
	if evs, err := collect(t, s, "PRINT 'ok'"); err != nil || len(evs) != 1 {
		t.Fatalf("Run = %v %+v", err, evs)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"udp sqlbackup.contoso.invalid:1434", "tcp sqlbackup.contoso.invalid:" + strconv.Itoa(srv.port())}
	if len(dialled) != 2 || dialled[0] != want[0] || dialled[1] != want[1] {
		t.Fatalf("dialled %q, want %q", dialled, want)
	}
}
