package journal

import (
	"testing"
)

// BenchmarkAppend is the cost of one durable record: a write, a sync, and the head replaced and synced.
func BenchmarkAppend(b *testing.B) {
	j, err := Open(PathFor(b.TempDir(), "bench"))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	r := failback()[9]
	for b.Loop() {
		if _, err := j.Append(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify reads and checks a journal of 1000 records.
func BenchmarkVerify(b *testing.B) {
	path := PathFor(b.TempDir(), "bench")
	j, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		if _, err := j.Append(failback()[i%len(failback())]); err != nil {
			b.Fatal(err)
		}
	}
	j.Close()
	for b.Loop() {
		if rep, err := Verify(path); err != nil || !rep.OK() {
			b.Fatal(err, rep.Problems)
		}
	}
}
