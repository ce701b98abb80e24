package runbook_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if a goroutine outlives them: the executor's runs and the probes between
// them must all have ended.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
