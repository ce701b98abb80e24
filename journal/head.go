package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// head is the sidecar's content: the last record the console wrote.
type head struct {
	Seq    int64  `json:"seq"`
	Digest string `json:"digest"`
}

// maxHead bounds what is read of a head file; a real one is about 100 bytes.
const maxHead = 4096

// readHead reads the head of the journal at path. A missing head is (nil, nil); one that cannot be decoded is
// returned as a problem, not an error, since it is part of what Verify reports.
func readHead(path string) (*head, *Problem, error) {
	f, err := os.Open(HeadPath(path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("journal head: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxHead+1))
	if err != nil {
		return nil, nil, fmt.Errorf("journal head %s: %w", HeadPath(path), err)
	}
	h, p := parseHead(b)
	return h, p, nil
}

// parseHead decodes a head file's bytes; anything but a seq and a digest is a problem.
func parseHead(b []byte) (*head, *Problem) {
	var h head
	if err := json.Unmarshal(b, &h); err != nil || len(b) > maxHead || h.Seq < 1 || len(h.Digest) != 64 {
		return nil, &Problem{Text: "the head file is damaged: it does not hold a seq and a digest", Found: Digest(b)}
	}
	return &h, nil
}

// checkHead compares the head with the chain read from the file. The head lags by one record when the console
// stopped between syncing a record and replacing the head, which loses nothing; a head ahead of the file means
// records were cut off the end.
func checkHead(c chain, h *head) *Problem {
	if h == nil {
		if c.lastSeq <= 1 {
			return nil // an empty journal, or the first record written and the head not yet
		}
		return &Problem{Text: fmt.Sprintf("the head file is missing; the journal goes to seq %d", c.lastSeq)}
	}
	switch {
	case h.Seq == c.lastSeq && h.Digest == c.lastDigest:
		return nil
	case h.Seq == c.beforeSeq && h.Digest == c.beforeDigest && c.lastSeq == h.Seq+1:
		return nil
	case h.Seq > c.lastSeq && c.lastSeq == 0:
		return &Problem{Text: fmt.Sprintf("the journal is truncated: its head names seq %d but it holds no record",
			h.Seq), Expected: h.Digest}
	case h.Seq > c.lastSeq:
		return &Problem{Text: fmt.Sprintf("the journal is truncated: its head names seq %d but the last record is "+
			"seq %d", h.Seq, c.lastSeq), Expected: h.Digest, Found: c.lastDigest}
	case h.Seq == c.lastSeq:
		return &Problem{Text: fmt.Sprintf("the last record (seq %d) is not the one the head names: it was altered "+
			"or replaced", h.Seq), Expected: h.Digest, Found: c.lastDigest}
	default:
		return &Problem{Text: fmt.Sprintf("the head names seq %d but the journal goes on to seq %d: records were "+
			"added that the head does not know of", h.Seq, c.lastSeq), Expected: h.Digest, Found: c.lastDigest}
	}
}

// writeHead replaces the head atomically: write a temporary file, sync it, rename it over the head, sync the
// directory. The caller holds the journal's file lock, so one temporary name is enough.
func writeHead(path string, h head) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	tmp := HeadPath(path) + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, HeadPath(path))
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}
