package sim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"pcfailback/remote"
)

// parsePercent returns n from "n percent processed.".
func parsePercent(text string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSuffix(text, " percent processed."))
	return n, err == nil && strings.HasSuffix(text, " percent processed.")
}

func TestBackupProgressOrderAndTexts(t *testing.T) {
	s, clk := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	start := clk.Now()
	res := mustRun(t, b, f3Script)
	var events []remote.SQLEvent
	for _, e := range res.events {
		if e.Number != 5701 {
			events = append(events, e)
		}
	}
	last, reports := 0, 0
	i := 0
	for ; i < len(events); i++ {
		n, ok := parsePercent(events[i].Text)
		if !ok {
			break
		}
		if events[i].Number != 3211 || events[i].Class != 0 || n <= last || n-last > 13 {
			t.Fatalf("progress %d after %d: %+v", n, last, events[i])
		}
		if i > 0 && !events[i].At.After(events[i-1].At) {
			t.Fatalf("progress messages not spread over the backup: %v then %v", events[i-1].At, events[i].At)
		}
		last = n
		reports++
	}
	if last != 100 || reports < 9 {
		t.Fatalf("progress ended at %d after %d reports", last, reports)
	}
	rest := events[i:]
	if len(rest) != 3 || rest[0].Number != 4035 || rest[1].Number != 4035 || rest[2].Number != 3014 {
		t.Fatalf("closing messages: %+v", rest)
	}
	dataPages := s.opts.ChatDBSizeMB * 128
	if rest[0].Text != fmt.Sprintf("Processed %d pages for database 'mgc', file 'mgc' on file 1.", dataPages) ||
		!strings.HasPrefix(rest[1].Text, "Processed ") || !strings.HasSuffix(rest[1].Text, " pages for database 'mgc', file 'mgc_log' on file 1.") {
		t.Fatalf("4035: %q / %q", rest[0].Text, rest[1].Text)
	}
	var logPages, total int64
	var secs, millis, rate, rateFrac int64
	fmt.Sscanf(rest[1].Text, "Processed %d pages", &logPages)
	if _, err := fmt.Sscanf(rest[2].Text, "BACKUP DATABASE successfully processed %d pages in %d.%d seconds (%d.%d MB/sec).", &total, &secs, &millis, &rate, &rateFrac); err != nil {
		t.Fatalf("3014 %q: %v", rest[2].Text, err)
	}
	elapsed := clk.Now().Sub(start)
	if total != dataPages+logPages || time.Duration(secs)*time.Second+time.Duration(millis)*time.Millisecond != elapsed.Truncate(time.Millisecond) {
		t.Fatalf("3014 %q for %d pages in %v", rest[2].Text, dataPages+logPages, elapsed)
	}
	wantRate := float64(total) * 8 / 1024 / (float64(secs) + float64(millis)/1000)
	if got := float64(rate) + float64(rateFrac)/1000; got < wantRate-0.002 || got > wantRate+0.002 {
		t.Fatalf("MB/sec %v, want %.3f", got, wantRate)
	}
	// Paced at the estate's throughput: 20 GB at 120 MB/s is close to three minutes.
	if elapsed < 160*time.Second || elapsed > 180*time.Second {
		t.Fatalf("backup took %v of simulated time", elapsed)
	}
	// msdb and the share agree with what was said.
	bs := query(t, s, "SQLBACKUP", "master", `SELECT TOP (1) bs.name, bs.description, bs.type, bs.has_backup_checksums, bs.position,
		bs.backup_size, bmf.physical_device_name, bmf.device_type FROM msdb.dbo.backupset bs
		JOIN msdb.dbo.backupmediafamily bmf ON bmf.media_set_id = bs.media_set_id ORDER BY bs.backup_set_id DESC`)
	if bs.get(0, "name") != "mgc-Full Failback" || bs.get(0, "description") != "Persistent Chat failback" ||
		bs.get(0, "has_backup_checksums") != true || bs.get(0, "physical_device_name") != failbackBak || bs.get(0, "position") != int64(1) {
		t.Fatalf("backupset: %v", bs.rows)
	}
	if size := s.Files("", s.topo.Share)["mgc_failback_20240312_093500.bak"]; size != (total*bytesPerPage + mediaHeaderSize) {
		t.Fatalf("file size %d", size)
	}
}

func TestBackupAppendsWithoutInit(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "master")
	disk := `\\fs01.contoso.local\pchatls\msdb.bak`
	mustRun(t, b, "BACKUP DATABASE msdb TO DISK = N'"+disk+"' WITH FORMAT")
	second := mustRun(t, b, "BACKUP DATABASE msdb TO DISK = N'"+disk+"' WITH NOINIT, STATS")
	if !containsText(second.infos(), "Processed ") || !strings.Contains(strings.Join(second.infos(), "\n"), "on file 2.") {
		t.Fatalf("second set: %q", second.infos())
	}
	h := mustRun(t, b, "RESTORE HEADERONLY FROM DISK = N'"+disk+"'").sets[0]
	if len(h.rows) != 2 || h.get(1, "Position") != int64(2) {
		t.Fatalf("HEADERONLY: %v", h.rows)
	}
	mustRun(t, b, "BACKUP DATABASE msdb TO DISK = N'"+disk+"' WITH INIT")
	if h := mustRun(t, b, "RESTORE HEADERONLY FROM DISK = N'"+disk+"'").sets[0]; len(h.rows) != 1 {
		t.Fatalf("INIT kept %d sets", len(h.rows))
	}
	lbl := mustRun(t, b, "RESTORE LABELONLY FROM DISK = N'"+disk+"'").sets[0]
	if lbl.get(0, "FamilyCount") != int64(1) {
		t.Fatalf("LABELONLY: %v", lbl.rows)
	}
}

// cancelAt runs a batch and cancels it when a message satisfies stop.
func cancelAt(sess remote.SQLSession, batch string, stop func(remote.SQLEvent) bool) (batchResult, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var res batchResult
	err := sess.Run(ctx, batch, func(ev remote.SQLEvent) {
		res.events = append(res.events, ev)
		if stop(ev) {
			cancel()
		}
	})
	return res, err
}

func TestBackupCancelled(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	root := s.fs.folderAt("", s.topo.Share)
	free := root.vol.free
	sets := query(t, s, "SQLBACKUP", "msdb", "SELECT COUNT(*) AS n FROM backupset").get(0, "n")
	res, err := cancelAt(b, f3Script, func(ev remote.SQLEvent) bool {
		return ev.Text == "30 percent processed." || ev.Text == "31 percent processed." || ev.Text == "32 percent processed."
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	for _, ev := range res.events {
		if n, ok := parsePercent(ev.Text); ok && n > 45 {
			t.Fatalf("progress went on after cancellation: %q", ev.Text)
		}
		if ev.Number == 3014 || ev.Kind == remote.SQLErrorMsg {
			t.Fatalf("cancellation produced %+v", ev)
		}
	}
	if root.vol.free != free {
		t.Fatal("space not given back")
	}
	if _, ok := s.Files("", s.topo.Share)["mgc_failback_20240312_093500.bak"]; ok {
		t.Fatal("partial file left")
	}
	if n := query(t, s, "SQLBACKUP", "msdb", "SELECT COUNT(*) AS n FROM backupset").get(0, "n"); n != sets {
		t.Fatalf("backupset rows %v -> %v", sets, n)
	}
	// The session is usable again and a new backup works.
	mustRun(t, b, f3Script)
}

func TestRestoreCancelled(t *testing.T) {
	s, _ := preparedBackup(t, "")
	p := connect(t, s, "SQLPRIMARY", "master")
	_, err := cancelAt(p, f4Script, func(ev remote.SQLEvent) bool {
		return strings.HasPrefix(ev.Text, "2") && strings.HasSuffix(ev.Text, "percent processed.")
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	info := mustInfo(t, s, "SQLPRIMARY", "mgc")
	if info.State != "RESTORING" {
		t.Fatalf("after a cancelled restore: %+v", info)
	}
	expectErrors(t, p, "RESTORE DATABASE [mgc] WITH RECOVERY", 4333, 3013)
	expectErrors(t, p, "RESTORE LOG [mgc] FROM DISK = N'"+failbackBak+"'", 3135, 3013)
	// Restarting the restore from the full backup works.
	mustRun(t, p, "RESTORE DATABASE [mgc] FROM DISK = N'"+failbackBak+"' WITH REPLACE, RECOVERY")
	if info := mustInfo(t, s, "SQLPRIMARY", "mgc"); info.State != "ONLINE" {
		t.Fatalf("after restarting: %+v", info)
	}
}

// While a backup runs, other sessions see it in sys.dm_exec_requests with its progress.
func TestRequestsDuringBackup(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	watcher := connect(t, s, "SQLBACKUP", "master")
	var seen []string
	err := b.Run(context.Background(), f3Script, func(ev remote.SQLEvent) {
		if ev.Number != 3211 {
			return
		}
		r := mustRun(t, watcher, `SELECT r.command, r.percent_complete, s.status FROM sys.dm_exec_requests r
			JOIN sys.dm_exec_sessions s ON s.session_id = r.session_id WHERE r.command = N'BACKUP DATABASE'`)
		if len(r.sets[0].rows) == 1 {
			set := r.sets[0]
			seen = append(seen, fmt.Sprintf("%v %.0f %v", set.get(0, "command"), set.get(0, "percent_complete"), set.get(0, "status")))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 9 || !strings.HasPrefix(seen[0], "BACKUP DATABASE") || !strings.HasSuffix(seen[0], "running") {
		t.Fatalf("requests seen: %q", seen)
	}
	if idle := query(t, s, "SQLBACKUP", "master", "SELECT COUNT(*) AS n FROM sys.dm_exec_requests WHERE command = N'BACKUP DATABASE'"); idle.get(0, "n") != int64(0) {
		t.Fatalf("backup still listed after it finished")
	}
}
