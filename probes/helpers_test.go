package probes_test

import (
	"context"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/sim"
)

var simStart = time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC)

var defaultNames = probes.Names{ChatDB: "mgc", ComplianceDB: "mgccomp", Share: `\\fs01.contoso.local\pchatls`}

// newSim builds the default estate on a virtual clock.
func newSim(t testing.TB, scenario string) (*sim.Sim, *clock.Virtual) {
	t.Helper()
	clk := clock.NewVirtual(simStart)
	s, err := sim.New(sim.Options{Seed: 1, Clock: clk, Scenario: scenario, ChatDBSizeMB: 1024})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

// healthSets runs the health batch on one instance of the simulator and collects the reply as the prober does.
func healthSets(t testing.TB, s *sim.Sim, server string, watch ...string) []probes.ResultSet {
	t.Helper()
	conn, err := s.SQL(server, sim.Login{User: `CONTOSO\dba`, App: "pcfailback"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := conn.Connect(context.Background(), "master")
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var sets []probes.ResultSet
	err = sess.Run(context.Background(), probes.HealthBatch(defaultNames, watch), func(ev remote.SQLEvent) {
		switch ev.Kind {
		case remote.SQLResultStart:
			var cols []string
			for _, c := range ev.Columns {
				cols = append(cols, c.Name)
			}
			sets = append(sets, probes.ResultSet{Columns: cols})
		case remote.SQLRow:
			sets[len(sets)-1].Rows = append(sets[len(sets)-1].Rows, ev.Values)
		}
	})
	if err != nil {
		t.Fatalf("health batch on %s: %v", server, err)
	}
	return sets
}

// poolLines runs the Lync probe script on the simulator and returns its standard output.
func poolLines(t testing.TB, s *sim.Sim) []string {
	t.Helper()
	ps, err := s.PowerShell("lyncfe01.contoso.local")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	code, err := ps.Run(context.Background(), probes.PoolScript(defaultNames.Share), func(l remote.PSLine) {
		if l.Stream == remote.Stdout {
			out = append(out, l.Text)
		}
	})
	if err != nil || code != 0 {
		t.Fatalf("pool script: exit %d, %v", code, err)
	}
	return out
}

// parse runs ParseHealth on a fresh instance.
func parse(sets ...probes.ResultSet) (*probes.Instance, error) {
	in := &probes.Instance{}
	err := probes.ParseHealth(in, defaultNames, sets)
	return in, err
}

// set builds a result set from columns and rows.
func set(cols []string, rows ...[]any) probes.ResultSet {
	return probes.ResultSet{Columns: cols, Rows: rows}
}
