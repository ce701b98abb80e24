package mssql

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: sessions, the login guard, the message loop's
// watcher and the driver's readers must all end with the sessions that started them.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
