package sim

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: the simulator starts none of its own.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
