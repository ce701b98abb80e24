package sim

import (
	"testing"
	"time"
)

func TestScheduleNextAfter(t *testing.T) {
	loc := time.UTC
	at := func(h, m, sec int) time.Time { return time.Date(2024, 3, 12, h, m, sec, 0, loc) }
	every15 := &schedule{enabled: true, freqType: freqDaily, freqInterval: 1, freqSubdayType: subdayMinutes,
		freqSubdayInterval: 15, activeStartDate: 20240101, activeEndDate: 99991231, activeEndTime: 235900}
	cases := []struct {
		sc   *schedule
		from time.Time
		want time.Time
	}{
		{every15, at(9, 30, 0), at(9, 45, 0)},
		{every15, at(9, 30, 1), at(9, 45, 0)},
		{every15, at(9, 44, 59), at(9, 45, 0)},
		{every15, at(23, 45, 0), at(0, 0, 0).AddDate(0, 0, 1)},
		{&schedule{enabled: true, freqType: freqDaily, freqInterval: 1, freqSubdayType: subdayAt, activeStartTime: 20000,
			activeStartDate: 20240101, activeEndDate: 99991231}, at(9, 0, 0), at(2, 0, 0).AddDate(0, 0, 1)},
		{&schedule{enabled: true, freqType: freqDaily, freqInterval: 1, freqSubdayType: subdayHours, freqSubdayInterval: 8,
			activeStartDate: 20240101, activeEndDate: 99991231, activeEndTime: 235959}, at(9, 0, 0), at(16, 0, 0)},
		{&schedule{enabled: true, freqType: freqWeekly, freqInterval: 1 << int(time.Friday), freqRecurrence: 1,
			freqSubdayType: subdayAt, activeStartTime: 103000, activeStartDate: 20240101, activeEndDate: 99991231},
			at(9, 0, 0), time.Date(2024, 3, 15, 10, 30, 0, 0, loc)},
		{&schedule{enabled: true, freqType: freqOnce, activeStartDate: 20240313, activeStartTime: 120000, activeEndDate: 99991231},
			at(9, 0, 0), time.Date(2024, 3, 13, 12, 0, 0, 0, loc)},
		{&schedule{enabled: true, freqType: freqDaily, freqInterval: 1, freqSubdayType: subdayMinutes,
			freqSubdayInterval: 15, activeStartDate: 20240315, activeEndDate: 99991231, activeEndTime: 235900},
			at(9, 0, 0), time.Date(2024, 3, 15, 0, 0, 0, 0, loc)},
	}
	for i, c := range cases {
		got, ok := c.sc.nextAfter(c.from)
		if !ok || !got.Equal(c.want) {
			t.Errorf("case %d: next after %v = %v %v, want %v", i, c.from, got, ok, c.want)
		}
	}
	for _, sc := range []*schedule{
		{enabled: false, freqType: freqDaily, freqInterval: 1, activeStartDate: 20240101, activeEndDate: 99991231},
		{enabled: true, freqType: freqDaily, freqInterval: 1, activeStartDate: 20240101, activeEndDate: 20240301},
		{enabled: true, freqType: freqAgentStart, activeStartDate: 20240101, activeEndDate: 99991231},
		{enabled: true, freqType: freqOnce, activeStartDate: 20240101, activeStartTime: 0, activeEndDate: 99991231},
	} {
		if got, ok := sc.nextAfter(at(9, 0, 0)); ok {
			t.Errorf("%+v fires at %v", sc, got)
		}
	}
}

// Jobs run at their scheduled times however seldom the estate is looked at, and only while Agent runs and the
// job is enabled.
func TestJobsFireLazilyOnSchedule(t *testing.T) {
	s, clk := newTestSim(t, "")
	p := connect(t, s, "SQLPRIMARY", "master")
	mustRun(t, p, `BACKUP DATABASE mgc TO DISK = N'\\fs01.contoso.local\pchatls\p_full.bak' WITH INIT, FORMAT`)
	mustRun(t, p, f5cScript)
	// One look, six hours later: every quarter-hour run happened, in order, at its time (the last one, started
	// at 15:30, has had a minute to finish).
	clk.Advance(6*time.Hour + time.Minute)
	hist := query(t, s, "SQLPRIMARY", "msdb", `SELECT h.run_date, h.run_time, h.run_status FROM sysjobhistory h
		JOIN sysjobs j ON j.job_id = h.job_id WHERE j.name = N'LSBackup_mgc' AND h.step_id = 0 ORDER BY h.instance_id`)
	if len(hist.rows) != 24 {
		t.Fatalf("%d runs in six hours", len(hist.rows))
	}
	prev := 0
	for i := range hist.rows {
		tod := int(hist.get(i, "run_time").(int64))
		if tod%100 != 0 || (tod/100%100)%15 != 0 || hist.get(i, "run_status") != int64(1) {
			t.Fatalf("run %d at %06d status %v", i, tod, hist.get(i, "run_status"))
		}
		if i > 0 && hist.get(i, "run_date") == hist.get(i-1, "run_date") && tod <= prev {
			t.Fatalf("runs out of order: %v", hist.rows)
		}
		prev = tod
	}
	files := 0
	for name := range s.Files("", s.topo.Share) {
		if isLogFileOf(name, "mgc") && name >= "mgc_20240312" {
			files++
		}
	}
	if files != 24 {
		t.Fatalf("%d log backups on the share", files)
	}
	// The old primary's files from before the disaster are past the 4320-minute retention and were deleted.
	for name := range s.Files("", s.topo.Share) {
		if isLogFileOf(name, "mgc") && name < "mgc_20240309" {
			t.Fatalf("retention left %s", name)
		}
	}
	// Disable the job: nothing more runs.
	mustRun(t, p, "EXEC msdb.dbo.sp_update_job @job_name = N'LSBackup_mgc', @enabled = 0")
	clk.Advance(time.Hour)
	if n := query(t, s, "SQLPRIMARY", "msdb", "SELECT COUNT(*) AS n FROM sysjobhistory h JOIN sysjobs j ON j.job_id = h.job_id WHERE j.name = N'LSBackup_mgc' AND h.step_id = 0").get(0, "n"); n != int64(24) {
		t.Fatalf("disabled job ran: %v runs", n)
	}
	// sp_start_job runs it now, once.
	start := mustRun(t, p, "EXEC msdb.dbo.sp_start_job @job_name = N'LSBackup_mgc'")
	if start.infos()[0] != "Job 'LSBackup_mgc' started successfully." {
		t.Fatalf("%q", start.infos())
	}
	expectErrors(t, p, "EXEC msdb.dbo.sp_start_job @job_name = N'LSBackup_mgc'", 22022)
	clk.Advance(time.Minute)
	last := query(t, s, "SQLPRIMARY", "msdb", `SELECT TOP (1) h.message FROM sysjobhistory h JOIN sysjobs j ON j.job_id = h.job_id
		WHERE j.name = N'LSBackup_mgc' AND h.step_id = 0 ORDER BY h.instance_id DESC`)
	if last.get(0, "message") != `The job succeeded.  The Job was invoked by User CONTOSO\dba.  The last step to run was step 1 (Log shipping backup log job step.).` {
		t.Fatalf("%v", last.rows)
	}
}

// The alert job raises 14420 and 14421 when backups and restores stop.
func TestLogShippingAlerts(t *testing.T) {
	s, clk := newTestSim(t, "")
	failback(t, s, clk)
	p := connect(t, s, "SQLPRIMARY", "master")
	mustRun(t, p, "EXEC msdb.dbo.sp_update_job @job_name = N'LSBackup_mgc', @enabled = 0")
	clk.Advance(2 * time.Hour)
	for server, num := range map[string]int64{"SQLPRIMARY": 14420, "SQLBACKUP": 14421} {
		h := query(t, s, server, "msdb", `SELECT TOP (1) h.run_status, h.sql_message_id, h.message FROM sysjobhistory h
			JOIN sysjobs j ON j.job_id = h.job_id WHERE j.name LIKE N'LSAlert%' AND h.step_id = 1 ORDER BY h.instance_id DESC`)
		if h.get(0, "run_status") != int64(0) || h.get(0, "sql_message_id") != num {
			t.Fatalf("%s alert: %v", server, h.rows)
		}
		mon := query(t, s, server, "master", "EXEC sp_help_log_shipping_monitor")
		if mon.get(0, "status") != true {
			t.Fatalf("%s monitor: %v", server, mon.rows)
		}
	}
}
