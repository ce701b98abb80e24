package ui

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// teatest waits for SIGINT in a goroutine that outlives each test model by design.
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/charmbracelet/x/exp/teatest/v2.NewTestModel.func2"))
}
