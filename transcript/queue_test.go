package transcript

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestQueueMatchesModel drives the ring with random pushes and pops and compares it with a plain slice that keeps
// the newest limit lines.
func TestQueueMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, limit := range []int{1, 3, 64, 65, 200} {
		q := queue{limit: limit}
		var model []Line
		modelDropped, dropped := 0, 0
		next := 0
		for op := 0; op < 5000; op++ {
			if rng.IntN(3) > 0 {
				batch := make([]Line, rng.IntN(2*limit+2))
				for i := range batch {
					batch[i] = Line{Text: strconv.Itoa(next)}
					next++
				}
				dropped += q.push(batch)
				model = append(model, batch...)
				if over := len(model) - limit; over > 0 {
					modelDropped += over
					model = model[over:]
				}
				continue
			}
			n := rng.IntN(limit + 2)
			got := q.pop(n)
			want := model
			if n > 0 && n < len(model) {
				want = model[:n]
			}
			if len(got) != len(want) {
				t.Fatalf("limit %d op %d: pop(%d) returned %d lines, want %d", limit, op, n, len(got), len(want))
			}
			for i := range got {
				if got[i].Text != want[i].Text {
					t.Fatalf("limit %d op %d: line %d is %q, want %q", limit, op, i, got[i].Text, want[i].Text)
				}
			}
			model = model[len(want):]
			if dropped != modelDropped {
				t.Fatalf("limit %d: dropped %d, want %d", limit, dropped, modelDropped)
			}
			if q.n != len(model) || len(q.buf) > limit {
				t.Fatalf("limit %d: queue holds %d (buffer %d), model %d", limit, q.n, len(q.buf), len(model))
			}
		}
	}
}

func TestQueueReleasesPoppedLines(t *testing.T) {
	q := queue{limit: 8}
	q.push([]Line{{Text: "a"}, {Text: "b"}, {Text: "c"}})
	q.pop(2)
	kept := 0
	for _, l := range q.buf {
		if l.Text != "" {
			kept++
		}
	}
	if kept != 1 {
		t.Fatalf("queue buffer still references %d lines, want 1", kept)
	}
}
