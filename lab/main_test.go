package lab_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if a goroutine outlives them: a lab's servers and the runners' connections
// must all end with Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
