package tsql

import (
	"context"
	"testing"
)

// BenchmarkHealthBatch runs the short health batch against a catalog with 400 job history rows, as the console
// does every few seconds (the text is parsed once and then reused from the compiled-batch cache).
func BenchmarkHealthBatch(b *testing.B) {
	benchBatch(b, healthBatch)
}

// BenchmarkJobsQuery runs the §3.5 jobs query (joins, a correlated OUTER APPLY with TOP and ORDER BY
// over sysjobhistory).
func BenchmarkJobsQuery(b *testing.B) {
	benchBatch(b, q35)
}

// BenchmarkProbeBatch runs the console's full health batch (18 result sets), the cost of one instance per
// refresh.
func BenchmarkProbeBatch(b *testing.B) {
	benchBatch(b, probeBatch)
}

// BenchmarkParseProbeBatch is parsing alone.
func BenchmarkParseProbeBatch(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(probeBatch); err != nil {
			b.Fatal(err)
		}
	}
}

func benchBatch(b *testing.B, batch string) {
	h := estate(400)
	sess := &Session{}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Run(ctx, h, sess, batch, discard{}); err != nil {
			b.Fatal(err)
		}
	}
}
