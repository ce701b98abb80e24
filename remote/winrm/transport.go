package winrm

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	mw "github.com/masterzen/winrm"
	"github.com/masterzen/winrm/soap"
)

// maxResponse bounds a response body; the client asks for envelopes of 150 KiB.
const maxResponse = 4 << 20

// errNoOutputYet is what a Receive returns when the server answered w:TimedOut. Its text contains
// "OperationTimeout", which is how masterzen/winrm's poll loop recognises "no output yet, ask again".
var errNoOutputYet = errors.New("winrm: no output within the OperationTimeout")

// request kinds the transport treats differently.
type requestKind int

const (
	kindOther requestKind = iota
	kindReceive
	kindCleanup // Signal and Delete
)

// transport is the masterzen/winrm Transporter for one run (drivers.md §4.4): Receive requests are bound to the
// run's context, so a cancel interrupts the long poll at once; Signal and Delete are sent even after the context
// ended, with their own short timeout, so the command is terminated and the shell removed; any non-200 reply is
// an error (the library's own transport returns fault bodies as if they were output, and then polls in a tight
// loop); a w:TimedOut fault is "no output yet".
type transport struct {
	r   *Runner
	ctx context.Context
	// pending is the request other than a Receive that has been sent and not answered yet.
	pending inflight
}

// Transport implements mw.Transporter; the runner's HTTP client is already configured.
func (t *transport) Transport(*mw.Endpoint) error { return nil }

// Post implements mw.Transporter.
func (t *transport) Post(_ *mw.Client, m *soap.SoapMessage) (string, error) {
	body := m.String()
	kind := kindOf(body)
	ctx := t.ctx
	if kind == kindCleanup {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(t.ctx), cleanupTimeout)
		defer cancel()
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.r.url, strings.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("winrm: %w", err)
	}
	req.Header.Set("Content-Type", "application/soap+xml;charset=UTF-8")
	if sendsBasicCredentials(t.r.opts.Auth) {
		req.SetBasicAuth(t.r.opts.User, t.r.opts.Password)
	}
	started := time.Now()
	answered := func() {}
	if kind != kindReceive {
		answered = t.pending.start(kindName(body), started)
	}
	resp, err := t.r.http.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			// Not a *url.Error: the library retries those that say Timeout, and a cancel must end the run. The
			// request stays pending, so Run can say which one the deadline caught.
			return "", ctxErr
		}
		answered()
		if isTimeout(err) {
			// Not wrapping the *url.Error either, for the same reason.
			return "", t.r.noAnswer(kindName(body), time.Since(started), nil)
		}
		return "", t.r.transportError(err)
	}
	answered()
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return "", ctxErr
		}
		return "", t.r.transportError(err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return "", fmt.Errorf("winrm %s: %w for %s with %s (HTTP 401): check the user name, the password and that "+
			"the listener accepts %s", t.r.url, ErrAuth, t.r.opts.User, t.r.opts.Auth, t.r.opts.Auth)
	case resp.StatusCode == http.StatusOK:
		if !strings.Contains(resp.Header.Get("Content-Type"), "application/soap+xml") {
			return "", fmt.Errorf("winrm %s: the reply is %q, not a SOAP envelope", t.r.url, resp.Header.Get("Content-Type"))
		}
		return string(data), nil
	}
	f := parseFault(data)
	if f.accessDenied() {
		return "", t.r.deniedError(f)
	}
	if kind == kindReceive && f.timedOut() {
		// A server that answers "timed out" long before the OperationTimeout would make the poll loop spin;
		// pace it to a quarter of the timeout.
		if wait := t.r.opts.OperationTimeout/4 - time.Since(started); wait > 0 {
			timer := time.NewTimer(wait)
			defer timer.Stop()
			select {
			case <-timer.C:
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}
		return "", errNoOutputYet
	}
	return "", fmt.Errorf("winrm %s: %s failed: HTTP %d: %s", t.r.url, kindName(body), resp.StatusCode, f.describe(data))
}

// kindOf tells a Receive and the cleanup requests from the others by their WS-Addressing action.
func kindOf(body string) requestKind {
	const shell = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
	switch {
	case strings.Contains(body, shell+"/Receive<"):
		return kindReceive
	case strings.Contains(body, shell+"/Signal<"), strings.Contains(body, "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete<"):
		return kindCleanup
	}
	return kindOther
}

// kindName names a request for error messages.
func kindName(body string) string {
	for _, a := range []string{"/Create<", "/Command<", "/Receive<", "/Send<", "/Signal<", "/Delete<"} {
		if strings.Contains(body, a) {
			return strings.Trim(a, "/<")
		}
	}
	return "the request"
}

// transportError makes an error from a failed HTTP exchange readable: the URL once, then what went wrong (a
// refused connection, an untrusted or misnamed certificate), without the library's wrapping.
func (r *Runner) transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, errNoNTLM) {
		return fmt.Errorf("winrm %s: %w", r.url, err)
	}
	// Wrapped with %v, not %w: the library treats errors that unwrap to a timeout as "poll again".
	return fmt.Errorf("winrm %s: %v", r.url, err)
}

// soapFault is the part of a SOAP 1.2 fault that says what went wrong.
type soapFault struct {
	Subcodes []string `xml:"Body>Fault>Code>Subcode>Value"`
	Reason   string   `xml:"Body>Fault>Reason>Text"`
	Detail   struct {
		Code    string `xml:"Code,attr"`
		Message string `xml:"Message"`
	} `xml:"Body>Fault>Detail>WSManFault"`
}

// parseFault reads a fault body; a body that is not one gives an empty fault.
func parseFault(data []byte) soapFault {
	var f soapFault
	_ = xml.Unmarshal(data, &f)
	return f
}

// timedOut reports the OperationTimeout fault (w:TimedOut, WinRM error 2150858793).
func (f soapFault) timedOut() bool {
	for _, s := range f.Subcodes {
		if strings.HasSuffix(strings.TrimSpace(s), ":TimedOut") || strings.TrimSpace(s) == "TimedOut" {
			return true
		}
	}
	return strings.TrimSpace(f.Detail.Code) == "2150858793"
}

// describe is the fault's text for an error message, or the start of the body when it is not a fault.
func (f soapFault) describe(body []byte) string {
	text := strings.TrimSpace(f.Detail.Message)
	if text == "" {
		text = strings.TrimSpace(f.Reason)
	}
	if text == "" {
		text = strings.TrimSpace(string(body))
		if len(text) > 300 {
			text = strings.ToValidUTF8(text[:300], "") + "…"
		}
		if text == "" {
			text = "(no body)"
		}
		return text
	}
	if f.Detail.Code != "" {
		text += " (WinRM error " + strings.TrimSpace(f.Detail.Code) + ")"
	}
	return strings.Join(strings.Fields(text), " ")
}
