// Package wsman is a WinRM (WS-Management) endpoint in front of a PowerShell runner: the simulated Lync
// Management Shell served over HTTPS the way a Lync Front End's WinRM listener serves powershell.exe, so that the
// console's production WinRM runner is what training exercises.
//
// It implements the remote shell protocol as masterzen/winrm and other clients use it (MS-WSMV): Create shell,
// Command (powershell.exe -EncodedCommand, or -Command - with the script sent on stdin), Send, Receive (a long
// poll bounded by the request's OperationTimeout, then the w:TimedOut fault; output in as many chunks as the
// script produces it, stderr as CLIXML), Signal terminate and Delete. Authentication is Basic or NTLMv2 for one
// configured account; anything else gets 401. Faults are SOAP faults with HTTP 500.
package wsman

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"pcfailback/remote"
)

// Config configures a Server.
type Config struct {
	// Runner runs the scripts (sim.PowerShell gives the simulated Lync host's).
	Runner remote.PSRunner
	// TLS is the listener's TLS configuration, with its certificate (sim/certs). It is required: WinRM over HTTP
	// would train the console on a transport production must not use.
	TLS *tls.Config
	// User and Password are the one account accepted, as DOMAIN\user or a local user name.
	User, Password string
	// Machine is the host name put in faults and NTLM challenges; "" means the first label of the request's host.
	Machine string
	// AccessDenied makes the endpoint refuse the account once it has authenticated it, as WinRM refuses an account
	// that is neither a local administrator nor in Remote Management Users: every request gets the
	// "Access is denied." fault (WSManFault code 5) and nothing runs (the winrm-denied scenario).
	AccessDenied bool
	// Stall makes the endpoint take requests and never answer them (the winrm-timeout scenario): each request is
	// held until the client gives up or Close ends it.
	Stall bool
}

// Stats counts what the server has done since it started, for tests and the training console.
type Stats struct {
	// Shells is the number of shells created; OpenShells those not deleted yet.
	Shells, OpenShells int
	// Commands started, Receive, Send and Signal requests answered, shells deleted.
	Commands, Receives, Sends, Signals, Deletes int
	// Faults is the number of SOAP faults sent, TimedOut ones included; TimedOut counts those alone.
	Faults, TimedOut int
	// AuthFailures counts requests refused for wrong credentials (not the 401 that starts a handshake).
	AuthFailures int
	// Denied counts requests refused with "Access is denied." (Config.AccessDenied); Stalled those held without
	// an answer (Config.Stall).
	Denied, Stalled int
}

// Limits on what one client can make the server hold (WinRM's own defaults are of the same order).
const (
	maxShells           = 64
	maxCommandsPerShell = 32
	// maxStdin bounds the script a "-Command -" command collects from stdin.
	maxStdin = 4 << 20
)

// Server is a WinRM endpoint. Its methods are safe for concurrent use.
type Server struct {
	cfg  Config
	http *http.Server

	// base is cancelled by Close; every script runs under it.
	base    context.Context
	stopAll context.CancelFunc

	mu     sync.Mutex
	shells map[string]*shell
	stats  Stats
	closed bool
	// work counts running scripts and handlers, so Close returns only when all have ended.
	work      sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// shell is one remote shell and its commands.
type shell struct {
	id       string
	commands map[string]*command
}

// NewServer makes a server; Serve starts it.
func NewServer(cfg Config) *Server {
	base, stop := context.WithCancel(context.Background())
	s := &Server{cfg: cfg, base: base, stopAll: stop, shells: map[string]*shell{}}
	mux := http.NewServeMux()
	mux.Handle("/wsman", s)
	s.http = &http.Server{
		Handler:           mux,
		ConnContext:       withConnState,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		// A client that refuses the certificate makes net/http log a handshake error; in training that would
		// be written over the console's screen. The client reports it instead.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	return s
}

// Serve accepts HTTPS connections on l until Close. It returns nil after Close, and an error if TLS is not
// configured or the listener fails.
func (s *Server) Serve(l net.Listener) error {
	if s.cfg.TLS == nil {
		_ = l.Close()
		return errors.New("wsman: no TLS configuration; the endpoint serves HTTPS only")
	}
	tc := s.cfg.TLS.Clone()
	if tc.MinVersion < tls.VersionTLS12 {
		tc.MinVersion = tls.VersionTLS12
	}
	err := s.http.Serve(tls.NewListener(l, tc))
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops the server: listeners and connections close, running scripts are cancelled, and Close returns once
// they and the request handlers have ended.
// Closing twice is harmless.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.stopAll()
		s.closeErr = s.http.Close()
		s.work.Wait()
	})
	return s.closeErr
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.OpenShells = len(s.shells)
	return st
}

// count changes the counters under the lock.
func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// machine is the host name the server gives itself.
func (s *Server) machine() string {
	if s.cfg.Machine != "" {
		return s.cfg.Machine
	}
	return "LYNC"
}

// ServeHTTP handles one WS-Management request at /wsman.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "the server is stopping", http.StatusServiceUnavailable)
		return
	}
	s.work.Add(1)
	s.mu.Unlock()
	defer s.work.Done()

	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "WS-Management takes POST", http.StatusMethodNotAllowed)
		return
	}
	if !s.authenticate(w, r) {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxRequest))
		return
	}
	if s.cfg.Stall {
		s.stall(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequest))
	if err != nil {
		s.fault(w, r, nil, badRequest(fmt.Sprintf("The request could not be read: %v", err)))
		return
	}
	req, err := parseRequest(body)
	if err != nil {
		s.fault(w, r, nil, badRequest(err.Error()))
		return
	}
	if s.cfg.AccessDenied {
		s.count(func(st *Stats) { st.Denied++ })
		s.fault(w, r, req, accessDenied())
		return
	}
	var reply string
	var f *fault
	switch req.Action {
	case actionCreate:
		reply, f = s.create(r, req)
	case actionCommand:
		reply, f = s.command(req)
	case actionReceive:
		reply, f = s.receive(r.Context(), req)
	case actionSend:
		reply, f = s.send(req)
	case actionSignal:
		reply, f = s.signal(req)
	case actionDelete:
		reply, f = s.delete(req)
	default:
		f = unsupportedAction(req.Action)
	}
	if f != nil {
		s.fault(w, r, req, f)
		return
	}
	write(w, http.StatusOK, reply)
}

// fault sends f with HTTP 500.
func (s *Server) fault(w http.ResponseWriter, r *http.Request, req *request, f *fault) {
	s.count(func(st *Stats) {
		st.Faults++
		if f.subcode == "w:TimedOut" {
			st.TimedOut++
		}
	})
	relates := ""
	if req != nil {
		relates = req.MessageID
	}
	machine := s.cfg.Machine
	if machine == "" {
		machine, _, _ = strings.Cut(r.Host, ":")
	}
	write(w, http.StatusInternalServerError, f.body(machine, relates, newID()))
}

// newID makes a WinRM-style identifier: an upper-case GUID.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0F | 0x40
	b[8] = b[8]&0x3F | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}
