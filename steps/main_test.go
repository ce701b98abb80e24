package steps_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if a goroutine outlives them (the simulator tests probe concurrently).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
