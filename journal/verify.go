package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// Report is what Verify found.
type Report struct {
	// Path is the journal file.
	Path string
	// Records counts the lines that are records.
	Records int
	// First and Last are the times of the first and last records (zero when there are none).
	First, Last time.Time
	// Problems are every problem in file order (a head problem, with Line 0, last): the ones a break record
	// has recorded, and the break records themselves, are marked Recorded.
	Problems []Problem
}

// OK reports whether the journal is intact from its first line to its head: no problem at all, recorded or not.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Load reads the journal at path without changing it (a reader's lock only) and verifies its chain and head.
// A missing journal is an error wrapping fs.ErrNotExist, unless its head exists (then the journal was deleted,
// which is a problem in the report).
func Load(path string) ([]Record, Report, error) {
	rep := Report{Path: path}
	var data []byte
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, statErr := os.Stat(HeadPath(path)); statErr != nil {
			return nil, rep, fmt.Errorf("no journal at %s: %w", path, err)
		}
	case err != nil:
		return nil, rep, fmt.Errorf("journal: %w", err)
	default:
		defer f.Close()
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
			return nil, rep, fmt.Errorf("journal %s: not a regular file", path)
		}
		if err := lockFile(f, false); err != nil {
			return nil, rep, fmt.Errorf("journal %s: lock: %w", path, err)
		}
		data, err = readAll(f)
		unlockFile(f)
		if err != nil {
			return nil, rep, fmt.Errorf("journal %s: %w", path, err)
		}
	}
	c := scan(data)
	h, hp, err := readHead(path)
	if err != nil {
		return nil, rep, err
	}
	if hp == nil {
		hp = checkHead(c, h)
	}
	rep.Problems = append(rep.Problems, c.problems...)
	if hp != nil {
		rep.Problems = append(rep.Problems, *hp)
	}
	rep.Records = len(c.records)
	if n := len(c.records); n > 0 {
		rep.First, rep.Last = c.records[0].At, c.records[n-1].At
	}
	return c.records, rep, nil
}

// Verify checks the whole chain and the head of the journal at path. A damaged journal is not an error: the
// damage is in the report. The error is for a journal that cannot be read at all.
func Verify(path string) (Report, error) {
	_, rep, err := Load(path)
	return rep, err
}

// Read returns the records of the journal at path, in file order, for resume. When the chain has problems no
// break record records yet, the records come with a *ChainError (the same problems Open would record).
func Read(path string) ([]Record, error) {
	records, rep, err := Load(path)
	if err != nil {
		return nil, err
	}
	if p := unrecorded(rep.Problems); len(p) > 0 {
		return records, &ChainError{Path: path, Problems: p}
	}
	return records, nil
}
