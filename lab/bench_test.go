package lab_test

import (
	"testing"

	"pcfailback/lab"
	"pcfailback/probes"
)

// BenchmarkRefreshFourInstances is one refresh of the console's health probe against the simulator over the wire:
// the four SQL Server instances over TDS with TLS (one round trip each, concurrently) and the Lync pool over WinRM.
func BenchmarkRefreshFourInstances(b *testing.B) {
	c := connect(b, lab.Options{Seed: 1})
	refresh(b, c.prober)
	for b.Loop() {
		snap := refresh(b, c.prober)
		if !snap.Instance(probes.Backup).Reachable {
			b.Fatal(snap.Instance(probes.Backup).Err)
		}
	}
}
