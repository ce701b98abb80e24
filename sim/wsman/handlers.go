package wsman

import (
	"context"
	"errors"
	"net/http"
)

// messageID makes the MessageID of a response.
func messageID() string { return "uuid:" + newID() }

// lookup finds a shell and, when commandID is not empty, one of its commands. The caller holds s.mu.
func (s *Server) lookup(shellID, commandID string) (*shell, *command, *fault) {
	sh, ok := s.shells[shellID]
	if !ok {
		return nil, nil, shellNotFound(shellID)
	}
	if commandID == "" {
		return sh, nil, nil
	}
	c, ok := sh.commands[commandID]
	if !ok {
		return nil, nil, commandNotFound(commandID)
	}
	return sh, c, nil
}

// create opens a shell.
func (s *Server) create(r *http.Request, req *request) (string, *fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.shells) >= maxShells {
		return "", quotaExceeded("The WS-Management service cannot process the request. This user is allowed a " +
			"maximum number of shells, which has been exceeded. Close existing shells or raise the quota for this user.")
	}
	sh := &shell{id: newID(), commands: map[string]*command{}}
	s.shells[sh.id] = sh
	s.stats.Shells++
	return createResponse("https://"+r.Host+"/wsman", sh.id, req.MessageID, messageID()), nil
}

// command starts a command: the script runs now, or once stdin has been sent for "-Command -".
func (s *Server) command(req *request) (string, *fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, _, f := s.lookup(req.ShellID, "")
	if f != nil {
		return "", f
	}
	if len(sh.commands) >= maxCommandsPerShell {
		return "", quotaExceeded("The WS-Management service cannot process the request. The maximum number of " +
			"concurrent operations for this shell has been exceeded.")
	}
	c := newCommand(newID())
	sh.commands[c.id] = c
	s.stats.Commands++
	inv := parseCommandLine(req.Command)
	switch {
	case inv.problem != "":
		c.fail(inv.problem, inv.exit)
	case inv.stdin:
		c.wantInput = true
	default:
		s.start(c, inv.script)
	}
	return commandResponse(c.id, req.MessageID, messageID()), nil
}

// start runs the script in its own goroutine. The caller holds s.mu (so Close cannot be waiting yet).
func (s *Server) start(c *command, script string) {
	ctx, cancel := context.WithCancel(s.base)
	c.mu.Lock()
	if c.done || c.started {
		c.mu.Unlock()
		cancel()
		return
	}
	c.started, c.cancel = true, cancel
	c.mu.Unlock()
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		defer cancel()
		var code int
		var err error
		if s.cfg.Runner == nil {
			code, err = 1, errNoRunner
		} else {
			code, err = s.cfg.Runner.Run(ctx, script, c.line)
		}
		c.finish(code, err)
	}()
}

// errNoRunner is the error of a server configured without a runner.
var errNoRunner = errors.New("the simulated host has no PowerShell")

// send takes stdin for a "-Command -" command; with End the collected text runs as the script.
func (s *Server) send(req *request) (string, *fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Sends++
	_, c, f := s.lookup(req.ShellID, req.CommandID)
	if f != nil {
		return "", f
	}
	c.mu.Lock()
	want := c.wantInput && !c.started && !c.done
	if want {
		if len(c.input)+len(req.Input) > maxStdin {
			c.mu.Unlock()
			return "", quotaExceeded("The script sent on standard input is larger than the simulated host accepts.")
		}
		c.input = append(c.input, req.Input...)
	}
	script := string(c.input)
	c.mu.Unlock()
	if want && req.InputEnd {
		s.start(c, script)
	}
	return emptyResponse(nsShell+"/SendResponse", "SendResponse", req.MessageID, messageID()), nil
}

// receive long-polls for a command's output.
func (s *Server) receive(ctx context.Context, req *request) (string, *fault) {
	s.mu.Lock()
	s.stats.Receives++
	_, c, f := s.lookup(req.ShellID, req.CommandID)
	s.mu.Unlock()
	if f != nil {
		return "", f
	}
	stop := make(chan struct{})
	defer close(stop)
	merged := make(chan struct{})
	go func() {
		defer close(merged)
		select {
		case <-ctx.Done():
		case <-s.base.Done():
		case <-stop:
		}
	}()
	// Base64 grows output by a third; leave room for the envelope around it.
	max := req.Envelope*3/4 - 4096
	out, done, code, ok := c.receive(merged, req.Timeout, max)
	if !ok {
		return "", timedOut()
	}
	return receiveResponse(c.id, out, done, code, req.MessageID, messageID()), nil
}

// signal handles a Signal; terminate stops the script. Other signals (ctrl_c, ctrl_break) are accepted and do
// nothing, as for a process that ignores them.
func (s *Server) signal(req *request) (string, *fault) {
	s.mu.Lock()
	s.stats.Signals++
	_, c, f := s.lookup(req.ShellID, req.CommandID)
	s.mu.Unlock()
	if f != nil {
		return "", f
	}
	if req.SignalCode == signalTerminate {
		c.terminate()
	}
	return emptyResponse(nsShell+"/SignalResponse", "SignalResponse", req.MessageID, messageID()), nil
}

// delete closes a shell and stops what still runs in it.
func (s *Server) delete(req *request) (string, *fault) {
	s.mu.Lock()
	sh, _, f := s.lookup(req.ShellID, "")
	if f == nil {
		delete(s.shells, sh.id)
		s.stats.Deletes++
	}
	s.mu.Unlock()
	if f != nil {
		return "", f
	}
	for _, c := range sh.commands {
		c.terminate()
	}
	return emptyResponse(nsTransfer+"/DeleteResponse", "", req.MessageID, messageID()), nil
}
