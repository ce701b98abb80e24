package probes_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if a goroutine outlives them: Refresh probes every instance concurrently and
// must wait for all of its probes before it returns.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
