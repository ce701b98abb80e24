package wsman

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"pcfailback/remote"
	"pcfailback/remote/winrm/clixml"
)

// chunk is output of one stream, as it will go into one rsp:Stream element.
type chunk struct {
	stream string // "stdout" or "stderr"
	data   []byte
}

// exitTerminated is the exit code reported for a command stopped by a terminate signal. Windows reports the
// code the process was killed with; clients must not read meaning into it.
const exitTerminated = 1

// command is one command of a shell: the script's "process", its pending output and its state.
type command struct {
	id string

	mu      sync.Mutex
	pending []chunk
	// changed is closed (and replaced) whenever output or state changes, to wake long-polling Receives.
	changed  chan struct{}
	started  bool
	done     bool
	exitCode int
	cancel   context.CancelFunc
	stderr   clixml.Encoder

	// Standard input of a "-Command -" command, collected until the client sends End.
	wantInput bool
	input     []byte
}

// newCommand makes a command that has not started.
func newCommand(id string) *command {
	return &command{id: id, changed: make(chan struct{})}
}

// notify wakes the Receives waiting on the command; the caller holds mu.
func (c *command) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// add appends output; adjacent output of one stream joins one chunk. The caller holds mu.
func (c *command) add(stream string, data []byte) {
	if len(data) == 0 {
		return
	}
	if n := len(c.pending); n > 0 && c.pending[n-1].stream == stream {
		c.pending[n-1].data = append(c.pending[n-1].data, data...)
	} else {
		c.pending = append(c.pending, chunk{stream: stream, data: append([]byte(nil), data...)})
	}
	c.notify()
}

// line takes one line of the script's output: stdout as UTF-8 text with CRLF (the shell's code page is 65001),
// stderr as powershell.exe writes it when redirected, CLIXML.
func (c *command) line(l remote.PSLine) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	if l.Stream == remote.Stderr {
		c.add("stderr", c.stderr.Line(l.Text))
		return
	}
	c.add("stdout", []byte(l.Text+"\r\n"))
}

// finish records the end of the script.
func (c *command) finish(code int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		code = exitTerminated
	case err != nil:
		// The runner failed (not the script): say so the way a crashed process would, on stderr.
		for _, l := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
			c.add("stderr", c.stderr.Record(clixml.Error, l))
		}
		code = 1
	}
	c.add("stderr", c.stderr.Close())
	c.done, c.exitCode = true, code
	c.notify()
}

// fail ends a command that never started (a command line cmd.exe or powershell.exe refuses).
func (c *command) fail(problem string, code int) {
	c.mu.Lock()
	c.started = true
	c.add("stderr", []byte(strings.ReplaceAll(problem, "\n", "\r\n")+"\r\n"))
	c.mu.Unlock()
	c.finish(code, nil)
}

// take removes pending output for one Receive: the first run of one stream, so that stdout and stderr keep their
// order across responses, at most max bytes of it. done is true when nothing is left and the script has ended.
func (c *command) take(max int) (out []chunk, done bool, exitCode int) {
	if len(c.pending) > 0 {
		first := &c.pending[0]
		if len(first.data) <= max {
			out = []chunk{*first}
			c.pending = c.pending[1:]
		} else {
			out = []chunk{{stream: first.stream, data: first.data[:max:max]}}
			first.data = first.data[max:]
		}
	}
	return out, c.done && len(c.pending) == 0, c.exitCode
}

// receive waits until the command has output or has ended, at most timeout, and takes what there is. ok is false
// on timeout; stop ends the wait early (the client went away or the server is closing).
func (c *command) receive(stop <-chan struct{}, timeout time.Duration, max int) (out []chunk, done bool, exitCode int, ok bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		c.mu.Lock()
		if len(c.pending) > 0 || c.done {
			out, done, exitCode = c.take(max)
			c.mu.Unlock()
			return out, done, exitCode, true
		}
		wake := c.changed
		c.mu.Unlock()
		select {
		case <-wake:
		case <-timer.C:
			return nil, false, 0, false
		case <-stop:
			return nil, false, 0, false
		}
	}
}

// terminate stops the script (a terminate signal, a deleted shell or a closing server).
func (c *command) terminate() {
	c.mu.Lock()
	cancel, started := c.cancel, c.started
	c.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	if !started {
		c.finish(exitTerminated, context.Canceled)
	}
}
