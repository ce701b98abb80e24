package pwsh

import (
	"context"
	"testing"
)

const probeScript = "$ErrorActionPreference = 'Stop'\n" +
	"Import-Module Lync\n" +
	"Get-CsPersistentChatState | ForEach-Object { \"state`t$($_.Identity)`t$($_.PoolState)\" }\n" +
	"Get-CsService -PersistentChatServer | ForEach-Object { \"service`t$($_.Identity)`t$($_.PoolFqdn)`t$($_.ActiveServers -join ',')`t$($_.InactiveServers -join ',')\" }\n"

type discard struct{}

func (discard) Stdout(string) {}
func (discard) Stderr(string) {}

func BenchmarkParseProbeScript(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(probeScript); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRunProbeScript(b *testing.B) {
	h := lyncHost()
	for b.Loop() {
		h.calls = h.calls[:0]
		if code, err := Run(context.Background(), h, probeScript, discard{}); err != nil || code != 0 {
			b.Fatal(code, err)
		}
	}
}

func BenchmarkRunLoop(b *testing.B) {
	for b.Loop() {
		if code, err := Run(context.Background(), newFakeHost(), "$s = 0; foreach ($i in 1..10000) { $s += $i * 2 }; $s", discard{}); err != nil || code != 0 {
			b.Fatal(code, err)
		}
	}
}
