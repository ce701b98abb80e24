package pwsh

import (
	"strings"
	"sync"
)

// console serialises everything the script prints. Host streams may write from other goroutines while a cmdlet
// runs, so every write takes the lock; Output sees complete lines, one call at a time.
type console struct {
	mu      sync.Mutex
	out     Output
	partial strings.Builder // Write-Host -NoNewline text waiting for the rest of its line
	def     formatter
}

func newConsole(out Output) *console {
	c := &console{out: out}
	c.def.emit = c.rawStdout
	return c
}

// rawStdout writes one line; the caller holds the lock. Text with line breaks (a property name, a message)
// becomes several lines, since Output takes one line at a time.
func (c *console) rawStdout(line string) {
	if c.partial.Len() > 0 {
		line = c.partial.String() + line
		c.partial.Reset()
	}
	if c.out != nil {
		for _, l := range splitLines(line) {
			c.out.Stdout(l)
		}
	}
}

// settle prints pending table rows and any partial line before other output, so lines keep their order.
func (c *console) settle() {
	c.def.flush()
}

// stdout prints text (which may hold line breaks) as output lines.
func (c *console) stdout(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settle()
	for _, l := range splitLines(text) {
		c.rawStdout(l)
	}
}

// stdoutPartial prints text without ending the line (Write-Host -NoNewline).
func (c *console) stdoutPartial(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settle()
	lines := splitLines(text)
	for _, l := range lines[:len(lines)-1] {
		c.rawStdout(l)
	}
	c.partial.WriteString(lines[len(lines)-1])
}

// stderr prints text as error-stream lines.
func (c *console) stderr(text string) { c.stderrLines(splitLines(text)) }

func (c *console) stderrLines(lines []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settle()
	if c.partial.Len() > 0 {
		c.rawStdout("")
	}
	for _, line := range lines {
		for _, l := range splitLines(line) {
			if c.out != nil {
				c.out.Stderr(l)
			}
		}
	}
}

// put sends an output object to Out-Default.
func (c *console) put(v Value) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.def.put(v)
}

// flush prints table rows waiting for a flush point.
func (c *console) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.def.flush()
}

// finish ends the output: the open table or list gets its closing blank line, a partial line its end.
func (c *console) finish() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.def.end()
	if c.partial.Len() > 0 {
		c.rawStdout("")
	}
}
