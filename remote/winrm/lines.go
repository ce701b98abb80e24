package winrm

import (
	"bytes"
	"strings"
	"sync"
	"time"

	"pcfailback/remote"
	"pcfailback/remote/winrm/clixml"
)

// lines turns the byte chunks of stdout and stderr into PSLines. masterzen/winrm copies the two streams from two
// goroutines, and a chunk can hold several lines or half of one, so both writers share one lock, keep the
// partial tail, and emit whole lines only, one at a time and in the order they were completed.
type lines struct {
	mu   sync.Mutex
	emit func(remote.PSLine)
	now  func() time.Time
	tail []byte
	err  *clixml.Decoder
}

// newLines returns the line assembler for one run.
func newLines(emit func(remote.PSLine), now func() time.Time) *lines {
	l := &lines{emit: emit, now: now}
	l.err = clixml.NewDecoder(func(text string) {
		l.emit(remote.PSLine{Stream: remote.Stderr, At: l.now(), Text: text})
	})
	return l
}

// stdoutWriter and stderrWriter are the two io.Writers given to the client.
type stdoutWriter struct{ *lines }
type stderrWriter struct{ *lines }

// Write implements io.Writer for stdout: text in the shell's code page 65001 (UTF-8), lines ended by CRLF.
func (w stdoutWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tail = append(w.tail, p...)
	for {
		i := bytes.IndexByte(w.tail, '\n')
		if i < 0 {
			break
		}
		w.stdout(w.tail[:i])
		w.tail = w.tail[i+1:]
	}
	if len(w.tail) == 0 {
		w.tail = nil
	}
	return len(p), nil
}

// Write implements io.Writer for stderr: CLIXML, decoded to text lines as records complete.
func (w stderrWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err.Write(p)
}

// stdout emits one stdout line; the caller holds the lock.
func (l *lines) stdout(b []byte) {
	text := strings.ToValidUTF8(string(bytes.TrimSuffix(b, []byte("\r"))), "\uFFFD")
	l.emit(remote.PSLine{Stream: remote.Stdout, At: l.now(), Text: text})
}

// flush emits the last partial line of each stream, once the client has stopped writing.
func (l *lines) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.tail) > 0 {
		l.stdout(l.tail)
		l.tail = nil
	}
	l.err.Flush()
}
