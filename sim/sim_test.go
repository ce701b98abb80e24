package sim

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/remote"
)

func TestNewValidates(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("nil clock accepted")
	}
	clk := clock.NewVirtual(epoch)
	if _, err := New(Options{Clock: clk, Scenario: "no-such-fault"}); err == nil {
		t.Error("unknown scenario accepted")
	}
	topo := DefaultTopology()
	topo.Backup.Server = topo.Primary.Server
	if _, err := New(Options{Clock: clk, Topology: topo}); err == nil {
		t.Error("duplicate server names accepted")
	}
	topo = DefaultTopology()
	topo.Share = "not-unc"
	if _, err := New(Options{Clock: clk, Topology: topo}); err == nil {
		t.Error("non-UNC share accepted")
	}
	s, err := New(Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Topology(); got.Primary.Server != "SQLPRIMARY" || got.ChatDB != "mgc" || got.Primary.Version != DefaultVersion {
		t.Errorf("defaults: %+v", got)
	}
}

func TestCustomTopology(t *testing.T) {
	topo := DefaultTopology()
	topo.Domain = "FABRIKAM"
	topo.Primary = InstanceSpec{Server: "PCSQL1", FQDN: "pcsql1.fabrikam.com", EngineAccount: `FABRIKAM\sql1`, AgentAccount: `FABRIKAM\agt1`}
	topo.PrimaryServers = []string{"chat1.fabrikam.com"}
	topo.Share = `\\files.fabrikam.com\ls`
	s, err := New(Options{Clock: clock.NewVirtual(epoch), Topology: topo, ChatDBSizeMB: 100, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	sess := connect(t, s, "pcsql1.fabrikam.com", "master")
	res := mustRun(t, sess, strings.ReplaceAll(healthBatch, `\\fs01.contoso.local\pchatls`, `\\files.fabrikam.com\ls`))
	if res.sets[0].get(0, "server_name") != "PCSQL1" || res.sets[4].get(0, "parent_dir_exists") != int64(1) {
		t.Fatalf("%v %v", res.sets[0].rows, res.sets[4].rows)
	}
}

func TestScenariosBuild(t *testing.T) {
	list := Scenarios()
	if len(list) < 4 {
		t.Fatalf("%d scenarios", len(list))
	}
	seen := map[string]bool{}
	for _, sc := range list {
		if sc.Name == "" || sc.Description == "" || seen[sc.Name] {
			t.Fatalf("scenario %+v", sc)
		}
		seen[sc.Name] = true
		s, _ := newTestSim(t, sc.Name)
		for _, server := range []string{"SQLPRIMARY", "SQLPRIMARY-MIR", "SQLBACKUP", "SQLBACKUP-MIR"} {
			c, _ := s.SQL(server, Login{User: "sa"})
			sess, err := c.Connect(context.Background(), "master")
			if err != nil {
				t.Fatalf("%s %s: %v", sc.Name, server, err)
			}
			if res := runBatch(context.Background(), sess, healthBatch); res.err != nil {
				t.Fatalf("%s %s: %v", sc.Name, server, res.err)
			}
			sess.Close()
		}
	}
	for _, name := range []string{"share-engine-denied", "sessions-on-primary", "primary-still-mirrored", "share-full"} {
		if !seen[name] {
			t.Errorf("missing scenario %s", name)
		}
	}
}

// Probes keep answering while a backup runs on another session, from several goroutines at once.
func TestConcurrentProbesDuringBackup(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		if res := runBatch(context.Background(), b, f3Script); res.err != nil {
			t.Errorf("backup: %v", res.err)
		}
	}()
	for _, server := range []string{"SQLPRIMARY", "SQLBACKUP", "SQLBACKUP-MIR"} {
		c, _ := s.SQL(server, Login{User: "sa"})
		sess, err := c.Connect(context.Background(), "master")
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func(sess remote.SQLSession) {
			defer wg.Done()
			defer sess.Close()
			for i := 0; ; i++ {
				if res := runBatch(context.Background(), sess, healthBatch); res.err != nil {
					t.Errorf("probe: %v", res.err)
					return
				}
				select {
				case <-done:
					return
				default:
				}
				if i > 10000 {
					return
				}
			}
		}(sess)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			mustCmd(t, s, "Get-CsPersistentChatState")
		}
	}()
	wg.Wait()
}

// A batch on a Scaled clock paces itself in real time and is cancelled promptly.
func TestScaledClockCancellation(t *testing.T) {
	clk := clock.NewScaled(epoch, 1000)
	s, err := New(Options{Clock: clk, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	b := connect(t, s, "SQLBACKUP", "master")
	ctx, cancel := context.WithCancel(context.Background())
	var first time.Time
	err = b.Run(ctx, "BACKUP DATABASE [mgc] TO DISK = N'\\\\fs01.contoso.local\\pchatls\\x.bak' WITH INIT, STATS = 5",
		func(ev remote.SQLEvent) {
			if ev.Number == 3211 && first.IsZero() {
				first = ev.At
				cancel()
			}
		})
	if err != context.Canceled || first.IsZero() {
		t.Fatalf("Run: %v", err)
	}
	if _, ok := s.Files("", `\\fs01.contoso.local\pchatls`)["x.bak"]; ok {
		t.Fatal("partial file left")
	}
}
