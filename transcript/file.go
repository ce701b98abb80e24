package transcript

import (
	"errors"
	"os"
	"sync"
)

// ErrNoFile is returned by the methods of a nil *File.
var ErrNoFile = errors.New("transcript: no log file")

// maxKeptBuffer bounds the formatting buffer a File keeps between writes, so one huge batch does not pin its memory.
const maxKeptBuffer = 1 << 20

// File appends lines to a log file, one record per physical line of text:
//
//	2026-11-27T18:21:03.412+01:00  SQLBACKUP      F3     info     3211  10 percent processed.
//
// The columns are the time (RFC 3339 with milliseconds), source, step, kind, message number or "-", and the text.
// Texts with line breaks become several records that repeat the prefix. Control characters other than tab are
// escaped (see Escape), so printing the file cannot inject terminal escapes; empty sources and steps are written
// as "-" and spaces inside them as \x20, so the first five columns split on whitespace. File is safe for
// concurrent use.
type File struct {
	mu     sync.Mutex
	f      *os.File
	path   string
	buf    []byte
	closed bool
}

// OpenFile opens path for appending, creating it with mode 0600 (the log holds server names, paths and the
// statements that were run, which are for the operator's eyes only). An existing file is appended to, never
// truncated, and keeps its permissions.
func OpenFile(path string) (*File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	return &File{f: f, path: path}, nil
}

// Write appends the batch with a single write to the operating system, so nothing is left in a buffer of this
// process when Write returns: a crash right afterwards loses nothing that Write reported as written. It does not
// fsync; the operating system's cache survives the console dying, which is the failure that matters here.
func (f *File) Write(lines []Line) error {
	if f == nil {
		return ErrNoFile
	}
	if len(lines) == 0 {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return &os.PathError{Op: "write", Path: f.path, Err: os.ErrClosed}
	}
	b := f.buf[:0]
	for _, l := range lines {
		b = appendRecords(b, l)
	}
	_, err := f.f.Write(b)
	if cap(b) <= maxKeptBuffer {
		f.buf = b
	} else {
		f.buf = nil
	}
	return err
}

// Path is the file's path as given to OpenFile, for the log pane's title.
func (f *File) Path() string {
	if f == nil {
		return ""
	}
	return f.path
}

// Close closes the file. Later writes fail; closing twice is harmless.
func (f *File) Close() error {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	return f.f.Close()
}
