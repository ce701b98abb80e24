// Package clock is the time source shared by the simulator and the console.
//
// In training mode the estate runs in simulated time (faster than the wall clock, so a 15-minute log-shipping
// schedule takes seconds); ages on screen and message timestamps must use that same time, or the console would
// show a backup finished "in the future". Live mode uses the wall clock.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time and waits in its own time base.
type Clock interface {
	// Now is the current time in this clock's time base.
	Now() time.Time
	// Sleep waits d in this clock's time base, or until ctx is done (then it returns ctx.Err()).
	Sleep(ctx context.Context, d time.Duration) error
}

// Wall is the real clock.
type Wall struct{}

// Now implements Clock.
func (Wall) Now() time.Time { return time.Now() }

// Sleep implements Clock.
func (Wall) Sleep(ctx context.Context, d time.Duration) error { return sleepReal(ctx, d) }

// Scaled runs Scale times faster than the wall clock, starting at Start when it is created.
type Scaled struct {
	start  time.Time
	origin time.Time
	scale  float64
}

// NewScaled returns a clock that reads start now and advances scale simulated seconds per wall second.
// A scale below 1 is treated as 1.
func NewScaled(start time.Time, scale float64) *Scaled {
	if scale < 1 {
		scale = 1
	}
	return &Scaled{start: start, origin: time.Now(), scale: scale}
}

// Scale is the number of simulated seconds per wall second.
func (c *Scaled) Scale() float64 { return c.scale }

// Now implements Clock.
func (c *Scaled) Now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.origin)) * c.scale))
}

// Sleep implements Clock: it waits d/scale of wall time.
func (c *Scaled) Sleep(ctx context.Context, d time.Duration) error {
	return sleepReal(ctx, time.Duration(float64(d)/c.scale))
}

// Virtual is a deterministic clock for tests: time only moves when Advance or Sleep is called, and Sleep
// returns at once after moving time forward. Two goroutines sleeping at once both move it.
type Virtual struct {
	mu  sync.Mutex
	now time.Time
}

// NewVirtual returns a virtual clock reading start.
func NewVirtual(start time.Time) *Virtual { return &Virtual{now: start} }

// Now implements Clock.
func (c *Virtual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Virtual) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Sleep implements Clock: it advances the clock by d and returns, unless ctx is already done.
func (c *Virtual) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

func sleepReal(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
