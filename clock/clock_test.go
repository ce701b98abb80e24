package clock

import (
	"context"
	"testing"
	"time"
)

var start = time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC)

func TestVirtualSleepAdvances(t *testing.T) {
	c := NewVirtual(start)
	if err := c.Sleep(context.Background(), 90*time.Second); err != nil {
		t.Fatal(err)
	}
	c.Advance(30 * time.Second)
	if got := c.Now(); !got.Equal(start.Add(2 * time.Minute)) {
		t.Fatalf("Now = %v, want %v", got, start.Add(2*time.Minute))
	}
}

func TestVirtualSleepRefusesDoneContext(t *testing.T) {
	c := NewVirtual(start)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err != context.Canceled {
		t.Fatalf("Sleep = %v, want context.Canceled", err)
	}
	if !c.Now().Equal(start) {
		t.Fatal("a cancelled sleep moved the clock")
	}
}

func TestScaledNeverRunsBackwardsAndClampsScale(t *testing.T) {
	c := NewScaled(start, 0.5)
	if c.Scale() != 1 {
		t.Fatalf("scale %v, want 1 (scales below 1 are clamped)", c.Scale())
	}
	a := c.Now()
	if a.Before(start) {
		t.Fatalf("Now %v before start %v", a, start)
	}
	if b := c.Now(); b.Before(a) {
		t.Fatalf("clock went backwards: %v then %v", a, b)
	}
}

func TestScaledSleepHonoursCancel(t *testing.T) {
	c := NewScaled(start, 10)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, 24*time.Hour); err != context.Canceled {
		t.Fatalf("Sleep = %v, want context.Canceled", err)
	}
}
