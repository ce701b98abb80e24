//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package journal

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// crashEnv names the journal a re-executed test binary appends to until it is killed.
const crashEnv = "PCFAILBACK_JOURNAL_CRASH_CHILD"

// TestCrashChild is the child of TestKill9LosesNothingReported: it appends records as fast as it can and reports
// each seq on stdout only after Append returned. It does nothing in a normal test run.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("runs only as the child of TestKill9LosesNothingReported")
	}
	j, err := Open(path)
	if err != nil {
		fmt.Printf("open error %v\n", err)
		os.Exit(3)
	}
	for i := 0; ; i++ {
		r, err := j.Append(Record{Kind: KindNote, Text: strings.Repeat("note ", i%50)})
		if err != nil {
			fmt.Printf("append error %v\n", err)
			os.Exit(3)
		}
		fmt.Printf("seq %d\n", r.Seq) // one write(2) per line: the parent sees it only once Append returned
	}
}

func TestKill9LosesNothingReported(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	path := tempJournal(t)
	reported := map[int64]bool{}
	// Kill at several points; each round appends to the journal the previous rounds left.
	for round, after := range []int{1, 17, 60, 3} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		seen := 0
		for sc.Scan() {
			line := sc.Text()
			if seq, ok := strings.CutPrefix(line, "seq "); ok {
				n, err := strconv.ParseInt(seq, 10, 64)
				if err != nil {
					t.Fatalf("child said %q", line)
				}
				reported[n] = true
				if seen++; seen == after {
					if err := cmd.Process.Kill(); err != nil { // SIGKILL
						t.Fatal(err)
					}
				}
			} else if strings.Contains(line, "error") {
				t.Fatalf("round %d: child: %s", round, line)
			}
		}
		// Lines the child wrote before it died are still in the pipe: the loop above read them all (EOF).
		if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("round %d: child ended with %v, want killed", round, err)
		}

		rep := mustVerify(t, path)
		for _, p := range rep.Problems {
			// A kill cannot tear a single write(2) on a local file system, but a torn last line is the
			// only damage a crash may leave; breaks that recorded one are allowed as well.
			if !strings.Contains(p.Text, "incomplete") && !p.Recorded {
				t.Fatalf("round %d: %s", round, p)
			}
		}
		records, _ := Read(path)
		inFile := map[int64]bool{}
		for _, r := range records {
			inFile[r.Seq] = true
		}
		for seq := range reported {
			if !inFile[seq] {
				t.Fatalf("round %d: seq %d was reported appended but is not in the journal", round, seq)
			}
		}
		if len(reported) < after {
			t.Fatalf("round %d: only %d seqs reported", round, len(reported))
		}
	}
}
