package sim

import (
	"fmt"
	"time"

	"pcfailback/tsql"
)

// jobKind says what a job's step does when it runs.
type jobKind int

// Job kinds the simulator knows how to run.
const (
	jobGeneric   jobKind = iota // a step the simulator does not model: it succeeds
	jobLSBackup                 // sqllogship.exe -Backup
	jobLSCopy                   // sqllogship.exe -Copy
	jobLSRestore                // sqllogship.exe -Restore
	jobLSAlert                  // sys.sp_check_log_shipping_monitor_alert
	jobSysPolicy                // syspolicy_purge_history
)

// Job categories of a default msdb (syscategories, category_class 1 = job).
var jobCategories = []struct {
	id   int
	name string
	typ  int
}{
	{0, "[Uncategorized (Local)]", 1}, {1, "Jobs from MSX", 2}, {2, "[Uncategorized (Multi-Server)]", 2},
	{3, "Database Maintenance", 1}, {4, "Web Assistant", 1}, {5, "Full-Text", 1}, {6, "Log Shipping", 1},
	{7, "Database Engine Tuning Advisor", 1}, {8, "Data Collector", 1},
	{10, "REPL-Distribution", 1}, {11, "REPL-Distribution Cleanup", 1}, {12, "REPL-History Cleanup", 1},
	{13, "REPL-LogReader", 1}, {14, "REPL-Merge", 1}, {15, "REPL-Snapshot", 1}, {16, "REPL-Checkup", 1},
	{17, "REPL-Subscription Cleanup", 1}, {18, "REPL-Alert Response", 1}, {19, "REPL-QueueReader", 1},
	{20, "Replication", 1}, {98, "[Uncategorized]", 1},
}

const categoryLogShipping = 6

// jobStep is a row of sysjobsteps with its last-run columns.
type jobStep struct {
	id           int
	name         string
	subsystem    string
	command      string
	database     string
	uid          tsql.GUID
	lastOutcome  int // 0 failed, 1 succeeded, 3 canceled, 5 unknown
	lastDuration int
	lastRunDate  int
	lastRunTime  int
}

// jobRun is an execution in progress.
type jobRun struct {
	start, finish time.Time
	invokedBy     string // "Schedule 9 (LSBackupSchedule_mgc)" or "User CONTOSO\dba"
	requestSource int    // 1 scheduler, 4 user
}

// job is a row of sysjobs with its steps, schedules and activity.
type job struct {
	id          tsql.GUID
	name        string
	enabled     bool
	description string
	category    int
	owner       string
	created     time.Time
	modified    time.Time
	version     int
	steps       []jobStep
	kind        jobKind
	agentID     tsql.GUID // primary_id (backup job) or secondary_id (copy and restore jobs)

	run           *jobRun
	nextRun       time.Time
	nextSchedule  *schedule
	lastStart     time.Time
	lastStop      time.Time
	lastHistoryID int
	lastRequested time.Time
	lastSource    int
	lastOutcome   int // 0 failed, 1 succeeded, 5 unknown
}

// schedule is a row of sysschedules with the jobs it is attached to.
type schedule struct {
	id                 int
	uid                tsql.GUID
	name               string
	enabled            bool
	freqType           int
	freqInterval       int
	freqSubdayType     int
	freqSubdayInterval int
	freqRelInterval    int
	freqRecurrence     int
	activeStartDate    int
	activeEndDate      int
	activeStartTime    int
	activeEndTime      int
	owner              string
	created, modified  time.Time
	version            int
	jobs               []*job
}

// historyRow is a row of sysjobhistory.
type historyRow struct {
	id          int
	jobID       tsql.GUID
	stepID      int
	stepName    string
	msgID       int
	severity    int
	message     string
	status      int
	runDate     int
	runTime     int
	runDuration int
	server      string
}

// agentSession is a row of syssessions: one per SQL Server Agent start.
type agentSession struct {
	id    int
	start time.Time
}

// Job history limits of a default SQL Server Agent (jobhistory_max_rows, jobhistory_max_rows_per_job).
const (
	maxHistoryRows       = 1000
	maxHistoryRowsPerJob = 100
)

// dateInt and timeInt are SQL Agent's int encodings of a time: yyyymmdd and hhmmss.
func dateInt(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }
func timeInt(t time.Time) int { return t.Hour()*10000 + t.Minute()*100 + t.Second() }

// durationInt encodes a duration as SQL Agent's run_duration: hhmmss.
func durationInt(d time.Duration) int {
	secs := int(d / time.Second)
	if secs < 0 {
		secs = 0
	}
	return (secs/3600)*10000 + (secs/60%60)*100 + secs%60
}

// job finds a job by id or name.
func (m *msdb) jobByID(id tsql.GUID) *job {
	for _, j := range m.jobs {
		if j.id == id {
			return j
		}
	}
	return nil
}

func (m *msdb) jobByName(name string) *job {
	for _, j := range m.jobs {
		if nameEq(j.name, name) {
			return j
		}
	}
	return nil
}

// scheduleByID finds a schedule.
func (m *msdb) scheduleByID(id int) *schedule {
	for _, sc := range m.schedules {
		if sc.id == id {
			return sc
		}
	}
	return nil
}

// schedulesOf lists the schedules attached to a job.
func (m *msdb) schedulesOf(j *job) []*schedule {
	var out []*schedule
	for _, sc := range m.schedules {
		for _, x := range sc.jobs {
			if x == j {
				out = append(out, sc)
				break
			}
		}
	}
	return out
}

// deleteJob removes a job, its schedules' attachments and its history (sp_delete_job does the same).
func (m *msdb) deleteJob(j *job) {
	for i, x := range m.jobs {
		if x == j {
			m.jobs = append(m.jobs[:i], m.jobs[i+1:]...)
			break
		}
	}
	for _, sc := range m.schedules {
		for i, x := range sc.jobs {
			if x == j {
				sc.jobs = append(sc.jobs[:i], sc.jobs[i+1:]...)
				break
			}
		}
	}
	kept := m.history[:0]
	for _, h := range m.history {
		if h.jobID != j.id {
			kept = append(kept, h)
		}
	}
	m.history = kept
}

// addHistory appends job history rows and prunes like SQL Server Agent: at most 100 rows per job and 1000 rows
// in all, oldest first.
func (m *msdb) addHistory(rows ...*historyRow) {
	for _, r := range rows {
		r.id = m.nextHistory
		m.nextHistory++
		m.history = append(m.history, r)
	}
	if len(rows) == 0 {
		return
	}
	jobID := rows[0].jobID
	n := 0
	for _, h := range m.history {
		if h.jobID == jobID {
			n++
		}
	}
	if n > maxHistoryRowsPerJob || len(m.history) > maxHistoryRows {
		drop := n - maxHistoryRowsPerJob
		kept := m.history[:0]
		for _, h := range m.history {
			if h.jobID == jobID && drop > 0 {
				drop--
				continue
			}
			kept = append(kept, h)
		}
		m.history = kept
		if extra := len(m.history) - maxHistoryRows; extra > 0 {
			m.history = append([]*historyRow(nil), m.history[extra:]...)
		}
	}
}

// newJob creates a job (callers add it to msdb.jobs).
func (s *Sim) newJob(name, description string, category int, owner string, kind jobKind, enabled bool) *job {
	return &job{
		id: s.newGUID(), name: name, description: description, category: category, owner: owner,
		created: s.now, modified: s.now, version: 1, kind: kind, enabled: enabled, lastOutcome: 5,
	}
}

// addStep appends a step to a job.
func (s *Sim) addStep(j *job, name, subsystem, command, database string) {
	j.steps = append(j.steps, jobStep{
		id: len(j.steps) + 1, name: name, subsystem: subsystem, command: command, database: database,
		uid: s.newGUID(), lastOutcome: 5,
	})
}

// newSchedule creates a schedule in m.
func (s *Sim) newSchedule(m *msdb, name string, owner string) *schedule {
	sc := &schedule{
		id: m.nextSchedule, uid: s.newGUID(), name: name, enabled: true, freqType: 4, freqInterval: 1,
		activeStartDate: dateInt(s.now), activeEndDate: 99991231, activeEndTime: 235959,
		owner: owner, created: s.now, modified: s.now, version: 1,
	}
	m.nextSchedule++
	m.schedules = append(m.schedules, sc)
	return sc
}

// invokedBySchedule is how history messages name a schedule.
func invokedBySchedule(sc *schedule) string { return fmt.Sprintf("Schedule %d (%s)", sc.id, sc.name) }
