package journal

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// t0 is the time test records are written at: fixed, so files and exports are reproducible.
var t0 = time.Date(2026, 3, 14, 9, 30, 0, 0, time.FixedZone("CET", 3600))

// at is t0 plus s seconds.
func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

// tempJournal is a journal path in a fresh directory that does not exist yet.
func tempJournal(t *testing.T) string {
	t.Helper()
	return PathFor(t.TempDir(), "Contoso production")
}

// failback is a short run of the procedure, one record of most kinds.
func failback() []Record {
	start := Record{Kind: KindStart, At: at(0), Environment: "Contoso production", User: "alice", Host: "jump01",
		SSHClient: "10.1.2.3", Mode: ModeLive, ConfigDigest: Digest([]byte("config")), Version: "v1.4.0", PID: 4242,
		LogFile: "/var/log/pcfailback/console-1.log"}
	return []Record{
		start,
		{Kind: KindControl, At: at(1), Control: ControlTaken},
		{Kind: KindPreview, At: at(10), Step: "F2", Target: "SQLBACKUP", ScriptDigest: Digest([]byte("F2 script")), Stamp: at(10)},
		{Kind: KindConfirm, At: at(20), Step: "F2", Typed: "mgc@SQLBACKUP"},
		{Kind: KindStepStart, At: at(21), Step: "F2", Target: "SQLBACKUP", ScriptDigest: Digest([]byte("F2 script"))},
		{Kind: KindStepEnd, At: at(23), Step: "F2", Outcome: OutcomeDone, LogFile: "/var/log/pcfailback/console-1.log",
			OutputDigest: Digest([]byte("F2 output")), Duration: Duration(2 * time.Second)},
		{Kind: KindCheck, At: at(24), Step: "F2", Check: "mgc on SQLBACKUP is not mirrored", Outcome: OutcomePass, Detail: "mirroring_guid NULL"},
		{Kind: KindNote, At: at(30), Text: "bridge: DBA on call confirms the share"},
		{Kind: KindStepStart, At: at(40), Step: "F3", Target: "SQLBACKUP", ScriptDigest: Digest([]byte("F3 script")),
			Params: map[string]string{"backup_file": `\\fs01\pchat\mgc_failback_20260314_093040.bak`}},
		{Kind: KindStepEnd, At: at(45), Step: "F3", Outcome: OutcomeFailed, ErrorNumber: 3201,
			ErrorText: `Cannot open backup device '\\fs01\pchat\mgc_failback_20260314_093040.bak'. Operating system error 5(Access is denied.).`,
			LogFile:   "/var/log/pcfailback/console-1.log", OutputDigest: Digest([]byte("F3 output")), Duration: Duration(5 * time.Second)},
		{Kind: KindSkip, At: at(50), Step: "F5e", Reason: "no mirror in the primary data center"},
		{Kind: KindExit, At: at(60), Reason: ExitQuit},
	}
}

// write appends records to a journal at path and closes it.
func write(t *testing.T, path string, records ...Record) []Record {
	t.Helper()
	j, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer j.Close()
	var out []Record
	for _, r := range records {
		w, err := j.Append(r)
		if err != nil {
			t.Fatalf("Append %s: %v", r.Kind, err)
		}
		out = append(out, w)
	}
	return out
}

// lines are the journal's lines, without line ends.
func lines(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
}

// rewrite replaces the journal's content with ls joined by line ends (and a final one when end is set).
func rewrite(t *testing.T, path string, ls [][]byte, end bool) {
	t.Helper()
	b := bytes.Join(ls, []byte("\n"))
	if end {
		b = append(b, '\n')
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// mustVerify verifies path and fails the test on an I/O error.
func mustVerify(t *testing.T, path string) Report {
	t.Helper()
	rep, err := Verify(path)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return rep
}

// problemTexts joins a report's problems for failure messages.
func problemTexts(ps []Problem) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return strings.Join(s, "\n")
}

// dirOf is the journal directory of path.
func dirOf(path string) string { return filepath.Dir(path) }
