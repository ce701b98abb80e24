package journal

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// MaxFile is the largest journal Open, Verify and Read accept. A failback writes a few hundred records of a few
// hundred bytes; the bound keeps a wrong path (a device, a huge file) from being read into memory.
const MaxFile = 64 << 20

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("journal: closed")

// Journal is an environment's journal, open for appending. It is safe for concurrent use.
type Journal struct {
	mu   sync.Mutex
	path string
	run  string
	f    *os.File // nil once closed
	// size is the file's length after this journal's last read or write; a different length at the next append
	// means another console wrote (or someone cut the file), and the chain is read again.
	size int64
	// lastSeq, lastDigest and open describe where the next record goes (see chain).
	lastSeq    int64
	lastDigest string
	open       bool
	// rescan forces a full read before the next append, after a write failed part-way.
	rescan  bool
	records []Record
}

// Open opens (creating if needed: directory 0700, file 0600) the journal at path, reads and verifies it, and
// makes it ready to append after the last record it could read. When the chain is damaged in a way no break
// record has recorded yet, Open appends a break record naming what it found and returns the journal together
// with a *ChainError: the console shows the error and carries on. Any other error comes with a nil journal.
func Open(path string) (*Journal, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal directory: %w", err)
	}
	f, created, err := openFile(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if created {
		if err := syncDir(dir); err != nil {
			f.Close()
			return nil, fmt.Errorf("journal %s: %w", path, err)
		}
	}
	j := &Journal{path: path, f: f, run: newRunID()}
	if err := lockFile(f, true); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: lock: %w", path, err)
	}
	defer unlockFile(f)
	records, cerr, err := j.reload()
	if err != nil {
		f.Close()
		return nil, err
	}
	j.records = records
	if cerr != nil {
		return j, cerr
	}
	return j, nil
}

// openFile opens the journal for reading and appending, and says whether it created it.
func openFile(path string) (*os.File, bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f, true, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, false, err
	}
	f, err = os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0)
	if err != nil {
		return nil, false, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, false, fmt.Errorf("%s is not a regular file", path)
	}
	return f, false, nil
}

// newRunID is a random id for this console run.
func newRunID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail
	return hex.EncodeToString(b)
}

// reload reads the whole file and its head under the caller's lock, takes the chain's end as the place for the
// next record, and records a break when it finds problems no break records yet (returned as a *ChainError).
// It returns the records it read.
func (j *Journal) reload() ([]Record, *ChainError, error) {
	data, err := readAll(j.f)
	if err != nil {
		return nil, nil, fmt.Errorf("journal %s: %w", j.path, err)
	}
	c := scan(data)
	h, hp, err := readHead(j.path)
	if err != nil {
		return nil, nil, err
	}
	if hp == nil {
		hp = checkHead(c, h)
	}
	if hp == nil && c.lastSeq < j.lastSeq {
		// The file and its head were both cut back (or replaced) while this console had them open: only its
		// own memory of what it wrote shows it.
		hp = &Problem{Text: fmt.Sprintf("the journal lost records while this console had it open: the console "+
			"wrote up to seq %d, the file now ends at seq %d", j.lastSeq, c.lastSeq), Expected: j.lastDigest, Found: c.lastDigest}
	}
	if hp != nil {
		c.problems = append(c.problems, *hp)
	}
	j.size, j.lastSeq, j.lastDigest, j.open, j.rescan = int64(len(data)), c.lastSeq, c.lastDigest, c.open, false
	problems := unrecorded(c.problems)
	if len(problems) == 0 {
		return c.records, nil, nil
	}
	cerr := &ChainError{Path: j.path, Problems: problems}
	if _, err := j.write(breakRecord(cerr)); err != nil {
		return nil, nil, fmt.Errorf("journal %s: recording a break in the chain: %w", j.path, err)
	}
	return c.records, cerr, nil
}

// Bounds on what one break record lists, so that it fits in a line however damaged the file is: Lines records
// up to maxBreakLines problems, Detail describes as many as fit in maxBreakDetail bytes and counts the rest.
// Problems past maxBreakLines stay unrecorded, and the next Open records them in a break of their own.
const (
	maxBreakLines  = 2000
	maxBreakDetail = 16 << 10
)

// breakRecord names what a reload found. A head problem (Line 0) is described first: it is the one a reader
// cannot see from the lines.
func breakRecord(e *ChainError) Record {
	ps := append([]Problem(nil), e.Problems...)
	sort.SliceStable(ps, func(a, b int) bool { return ps[a].Line == 0 && ps[b].Line != 0 })
	r := Record{Kind: KindBreak}
	var b strings.Builder
	described, left := 0, 0
	for _, p := range ps {
		if p.Line > 0 {
			if len(r.Lines) == maxBreakLines {
				left++
				continue
			}
			r.Lines = append(r.Lines, p.Line)
		}
		if text := p.String(); described == 0 || b.Len()+len(text) < maxBreakDetail {
			if described > 0 {
				b.WriteString("; ")
			}
			b.WriteString(trim(text, maxBreakDetail))
			described++
		}
	}
	if more := len(ps) - left - described; more > 0 {
		fmt.Fprintf(&b, "; and %d more problem(s) on the lines listed", more)
	}
	if left > 0 {
		fmt.Fprintf(&b, "; %d further problem(s) are left for the next start to record", left)
	}
	r.Detail = b.String()
	return r
}

// readAll reads the file from its start, refusing one larger than MaxFile.
func readAll(f *os.File) ([]byte, error) {
	data, err := io.ReadAll(io.NewSectionReader(f, 0, MaxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFile {
		return nil, fmt.Errorf("the file is larger than %d bytes; is this a journal?", MaxFile)
	}
	return data, nil
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Run is this console run's id, stamped on every record it appends.
func (j *Journal) Run() string { return j.run }

// Records are the records Open read (before its break record, if it wrote one), for resume.
func (j *Journal) Records() []Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]Record(nil), j.records...)
}

// Append writes r as the next record and returns it as written: Seq, Run and Prev filled, At set to now when
// zero. The line goes out in a single write and is synced to disk (with the head after it) before Append
// returns. A break record cannot be appended: the journal writes those itself.
//
// Errors: a record that was written and synced but whose head could not be replaced comes back with its Seq
// set and the error; anything earlier comes back with a zero Record. When another process damaged the file
// since the last append, Append records a break first and returns the record with a *ChainError.
func (j *Journal) Append(r Record) (Record, error) {
	if !r.Kind.known() || r.Kind == KindBreak {
		return Record{}, fmt.Errorf("journal: cannot append a record of kind %q", trim(string(r.Kind), 40))
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return Record{}, ErrClosed
	}
	if err := j.follow(); err != nil {
		return Record{}, err
	}
	if err := lockFile(j.f, true); err != nil {
		return Record{}, fmt.Errorf("journal %s: lock: %w", j.path, err)
	}
	defer unlockFile(j.f)
	st, err := j.f.Stat()
	if err != nil {
		return Record{}, fmt.Errorf("journal %s: %w", j.path, err)
	}
	var cerr *ChainError
	if st.Size() != j.size || j.rescan {
		if _, cerr, err = j.reload(); err != nil {
			return Record{}, err
		}
	}
	w, err := j.write(r)
	if err != nil {
		return w, err
	}
	if cerr != nil {
		return w, cerr
	}
	return w, nil
}

// follow reopens the path when it no longer names the open file (removed, or replaced by a rename): appending
// to an unlinked file would lose every record. The reload that follows records what went missing.
func (j *Journal) follow() error {
	cur, err := j.f.Stat()
	if err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if st, err := os.Stat(j.path); err == nil && os.SameFile(cur, st) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return fmt.Errorf("journal directory: %w", err)
	}
	f, created, err := openFile(j.path)
	if err != nil {
		return fmt.Errorf("journal: reopening after the file was removed or replaced: %w", err)
	}
	if created {
		if err := syncDir(filepath.Dir(j.path)); err != nil {
			f.Close()
			return fmt.Errorf("journal %s: %w", j.path, err)
		}
	}
	j.f.Close()
	j.f, j.rescan = f, true
	return nil
}

// write appends r after the chain's end; the caller holds the mutex and the file lock.
func (j *Journal) write(r Record) (Record, error) {
	if j.lastSeq == math.MaxInt64 {
		return Record{}, fmt.Errorf("journal %s: seq exhausted", j.path)
	}
	r.Seq, r.Prev, r.Run = j.lastSeq+1, j.lastDigest, j.run
	if r.At.IsZero() {
		r.At = time.Now()
	}
	r.At = r.At.Round(0) // no monotonic reading: the record compares equal to itself read back
	line, err := encode(r)
	if err != nil {
		return Record{}, fmt.Errorf("journal %s: %w", j.path, err)
	}
	buf := make([]byte, 0, len(line)+2)
	if j.open {
		buf = append(buf, '\n') // end a torn line; it stays in the file as evidence
	}
	buf = append(append(buf, line...), '\n')
	n, err := j.f.Write(buf)
	j.size += int64(n)
	if err != nil {
		// A part-written line may be in the file: read it all again before the next record.
		j.rescan = true
		return Record{}, fmt.Errorf("journal %s: writing seq %d: %w", j.path, r.Seq, err)
	}
	// The line is in the file from here on: the chain continues from it even if the sync fails.
	j.lastSeq, j.lastDigest, j.open = r.Seq, Digest(line), false
	if err := j.f.Sync(); err != nil {
		return r, fmt.Errorf("journal %s: seq %d written but not synced to disk: %w", j.path, r.Seq, err)
	}
	if err := writeHead(j.path, head{Seq: r.Seq, Digest: j.lastDigest}); err != nil {
		return r, fmt.Errorf("journal %s: seq %d written and synced, but its head was not replaced: %w", j.path, r.Seq, err)
	}
	return r, nil
}

// Close closes the file. Append after Close returns ErrClosed; Close twice is a no-op.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}
