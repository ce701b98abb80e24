package tds

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: every connection's reader and handler
// must end when the client leaves or the server closes.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
