package remote

import "errors"

// Kinds of transport failure a runner wraps into its error, so the console can explain a failure the same way
// whichever runner (the simulator's, go-mssqldb, WinRM) produced it. Test with errors.Is; the error's own text
// says where and what.
var (
	// ErrConnectionLost: the connection to the server went away while a batch ran (a network drop, a killed
	// socket). The server ends such a session and rolls back or aborts what it was running.
	ErrConnectionLost = errors.New("connection lost")
	// ErrAccessDenied: the server authenticated the account but does not let it use the service (WinRM answers
	// "Access is denied." to an account that is neither an administrator nor in Remote Management Users).
	ErrAccessDenied = errors.New("access denied")
	// ErrTimeout: the server accepted the request but did not answer within the runner's time limit.
	ErrTimeout = errors.New("no answer in time")
)
