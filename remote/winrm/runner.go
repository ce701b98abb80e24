// Package winrm is the production PowerShell runner: it runs a script on the Lync host through WinRM over HTTPS
// (masterzen/winrm, pinned to the 2024-07 pseudo-version), streaming its output line by line.
//
// The library's rough edges are handled here (drivers.md §4): a transport of our own binds the long-polling
// Receive to the run's context (cancelling takes effect at once, and the terminate signal and the shell's deletion
// still go out), turns faults into errors instead of polling in a tight loop, and sets the HTTP response timeout
// well above the OperationTimeout so no output is lost; proxies from the environment are ignored; stdout and
// stderr, written concurrently by the library, are assembled into whole lines under one lock; stderr's CLIXML is
// decoded into the console's text (warnings as "WARNING: ...", so a step fails on them).
package winrm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	mw "github.com/masterzen/winrm"

	"pcfailback/remote"
)

// Runner runs PowerShell scripts on one host. It implements remote.PSRunner and is safe for concurrent use;
// each Run opens its own shell.
type Runner struct {
	opts Options
	url  string
	http *http.Client
	// idle closes the transport's idle connections (Close).
	idle func()
	now  func() time.Time
}

var _ remote.PSRunner = (*Runner)(nil)

// New checks the options, loads the CA bundle (and the Kerberos configuration) and returns a runner. It does
// not connect: the first Run does.
func New(o Options) (*Runner, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: o.TLSServerName}
	pem := o.CAPEM
	if len(pem) == 0 && o.CAFile != "" {
		if pem, err = os.ReadFile(o.CAFile); err != nil {
			return nil, fmt.Errorf("winrm: CA bundle: %w", err)
		}
	}
	if len(pem) > 0 {
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			src := o.CAFile
			if len(o.CAPEM) > 0 {
				src = "(given as PEM)"
			}
			return nil, fmt.Errorf("winrm: CA bundle %s holds no PEM certificate", src)
		}
		tc.RootCAs = roots
	}
	dial := o.Dial
	if dial == nil {
		dial = (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext
	}
	wrap, err := authLayer(o)
	if err != nil {
		return nil, err
	}
	p := &pool{wrap: wrap, newTransport: func() *http.Transport {
		return &http.Transport{
			// No Proxy: an HTTPS_PROXY in the operator's shell must not route WinRM through a proxy.
			Proxy:                 nil,
			DialContext:           dial,
			TLSClientConfig:       tc.Clone(),
			TLSHandshakeTimeout:   dialTimeout,
			ResponseHeaderTimeout: o.endpointTimeout(),
			MaxConnsPerHost:       1,
			MaxIdleConnsPerHost:   1,
			IdleConnTimeout:       90 * time.Second,
		}
	}}
	return &Runner{
		opts: o,
		url:  o.url(),
		http: &http.Client{Transport: p, CheckRedirect: noRedirects},
		idle: p.closeIdle,
		now:  time.Now,
	}, nil
}

// noRedirects keeps credentials from following a redirect to another host: WinRM never redirects.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Describe says where and how the runner connects, without the password.
func (r *Runner) Describe() string { return r.opts.Describe() }

// Close closes the runner's idle connections. Runs already under way are not affected.
func (r *Runner) Close() error {
	r.idle()
	return nil
}

// Run implements remote.PSRunner. The script goes as powershell.exe -NoProfile -NonInteractive -EncodedCommand,
// or on stdin with -Command - when the encoded form would not fit cmd.exe's command line. It returns the exit
// code; on a transport or authentication failure, or when ctx ends (the command is then terminated at the
// server), it returns -1 and the error.
func (r *Runner) Run(ctx context.Context, script string, emit func(remote.PSLine)) (int, error) {
	if emit == nil {
		emit = func(remote.PSLine) {}
	}
	if err := ctx.Err(); err != nil {
		return -1, err
	}
	inv, err := invocationFor(script)
	if err != nil {
		return -1, err
	}
	t := &transport{r: r, ctx: ctx}
	params := mw.NewParameters(isoDuration(r.opts.OperationTimeout), "en-US", 153600)
	params.TransportDecorator = func() mw.Transporter { return t }
	ep := &mw.Endpoint{Host: r.opts.Host, Port: r.opts.Port, HTTPS: true, TLSServerName: r.opts.TLSServerName,
		Timeout: r.opts.endpointTimeout()}
	client, err := mw.NewClientWithParameters(ep, r.opts.User, r.opts.Password, params)
	if err != nil {
		return -1, fmt.Errorf("winrm: %w", err)
	}
	out := newLines(emit, r.now)
	code, err := client.RunWithContextWithInput(ctx, inv.command, stdoutWriter{out}, stderrWriter{out}, inv.stdin)
	out.flush()
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			if what, since, ok := t.pending.waiting(); ok && errors.Is(ctxErr, context.DeadlineExceeded) {
				// The caller's time limit ended while the endpoint sat on a request: that is the endpoint's fault,
				// and the operator needs to hear which request and where, not "context deadline exceeded".
				return -1, r.noAnswer(what, time.Since(since), ctxErr)
			}
			return -1, ctxErr
		}
		var ce *mw.ExecuteCommandError
		if errors.As(err, &ce) {
			err = fmt.Errorf("winrm %s: the Command reply could not be read: %v", r.url, ce.Inner)
		}
		return -1, err
	}
	return code, nil
}
