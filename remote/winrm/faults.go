package winrm

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"pcfailback/remote"
)

// The two endpoint faults the console must explain in one sentence each: an account the WinRM service
// authenticates but refuses, and an endpoint that takes requests and never answers them.

// accessDenied reports WinRM's refusal of an authenticated account: WSManFault code 5 (ERROR_ACCESS_DENIED, also
// seen as the HRESULT 2147942405) or the WS-Management AccessDenied subcode.
func (f soapFault) accessDenied() bool {
	switch strings.TrimSpace(f.Detail.Code) {
	case "5", "2147942405":
		return true
	}
	for _, s := range f.Subcodes {
		if strings.HasSuffix(strings.TrimSpace(s), ":AccessDenied") {
			return true
		}
	}
	return false
}

// deniedError is the run's error for an account the service refuses: who, and what to check.
func (r *Runner) deniedError(f soapFault) error {
	text := strings.Join(strings.Fields(f.Detail.Message), " ")
	if text == "" {
		text = strings.Join(strings.Fields(f.Reason), " ")
	}
	if text == "" {
		text = "Access is denied."
	}
	code := strings.TrimSpace(f.Detail.Code)
	if code == "" {
		code = "5"
	}
	user := orNone(r.opts.User)
	return fmt.Errorf("winrm %s: %w for %s: the WinRM service authenticated the account but refused it (%q, "+
		"WSManFault code %s); make %s a member of the local Administrators or Remote Management Users group on %s "+
		"(or give it access to the Microsoft.PowerShell session configuration)",
		r.url, remote.ErrAccessDenied, user, text, code, user, r.opts.Host)
}

// noAnswer is the run's error when a request got no answer: where, what was waited for and how long. cause, when
// set, is the context error that ended the wait, so errors.Is still recognises a deadline.
func (r *Runner) noAnswer(what string, waited time.Duration, cause error) error {
	const advice = "check the WinRM service on %s (Restart-Service WinRM) and anything between the console and port " +
		"%d that holds connections open"
	base := fmt.Sprintf("winrm %s: %%w: the endpoint accepted the connection but did not answer the %s request "+
		"within %v; "+advice, r.url, what, waited.Round(time.Millisecond), r.opts.Host, r.opts.port())
	if cause != nil {
		return fmt.Errorf(base+" (%w)", remote.ErrTimeout, cause)
	}
	return fmt.Errorf(base, remote.ErrTimeout)
}

// isTimeout reports an HTTP exchange that ended because the answer did not come in time (the response-header
// timeout), as opposed to a refused or broken connection.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// inflight remembers the request a run is waiting on, so a deadline that ends the run can say what was not
// answered. Receives are left out: the server may hold one for the whole OperationTimeout by design.
type inflight struct {
	mu    sync.Mutex
	what  string
	since time.Time
}

// start records a request going out; the returned function records its answer (or failure).
func (f *inflight) start(what string, now time.Time) func() {
	f.mu.Lock()
	f.what, f.since = what, now
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		f.what = ""
		f.mu.Unlock()
	}
}

// waiting returns the unanswered request and since when, if any.
func (f *inflight) waiting() (string, time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.what, f.since, f.what != ""
}
