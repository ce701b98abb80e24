package winrm

import (
	"context"
	"testing"
	"time"

	"pcfailback/remote"
)

// BenchmarkRun measures one short script end to end over HTTPS on loopback: Create, Command, Receive, Signal,
// Delete.
func BenchmarkRun(b *testing.B) {
	e := serve(b, funcRunner(func(_ context.Context, _ string, emit func(remote.PSLine)) (int, error) {
		emit(remote.PSLine{Stream: remote.Stdout, Text: "state\tservice:pchat.contoso.local\tNormal"})
		return 0, nil
	}))
	r, err := New(e.options())
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.Run(ctx, "Get-CsPersistentChatState", nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCancel measures how long Run takes to return once its context is cancelled while the server holds a
// Receive (OperationTimeout 30 s): the "cancellation within about a second" of the issue.
func BenchmarkCancel(b *testing.B) {
	e := serve(b, funcRunner(func(ctx context.Context, _ string, emit func(remote.PSLine)) (int, error) {
		emit(remote.PSLine{Stream: remote.Stdout, Text: "started"})
		<-ctx.Done()
		return -1, ctx.Err()
	}))
	o := e.options()
	o.OperationTimeout = 30 * time.Second
	r, err := New(o)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		var at time.Time
		_, _ = r.Run(ctx, "Start-Sleep 600", func(remote.PSLine) {
			at = time.Now()
			cancel()
		})
		total += time.Since(at)
		cancel()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/cancel")
}
