package sim

import (
	"strconv"
	"strings"

	"pcfailback/tsql"
)

// SQL Server Agent procedures of msdb.

func init() {
	defineProc(&procDef{name: "sp_add_schedule", msdb: true, writes: true, run: runAddSchedule, params: []procParam{
		req("@schedule_name"), opt("@enabled", int64(1)), opt("@freq_type", int64(0)), opt("@freq_interval", int64(1)),
		opt("@freq_subday_type", int64(0)), opt("@freq_subday_interval", int64(0)),
		opt("@freq_relative_interval", int64(0)), opt("@freq_recurrence_factor", int64(0)),
		opt("@active_start_date", nil), opt("@active_end_date", int64(99991231)), opt("@active_start_time", int64(0)),
		opt("@active_end_time", int64(235959)), opt("@owner_login_name", nil), outp("@schedule_uid"),
		outp("@schedule_id"), opt("@originating_server", nil),
	}})
	defineProc(&procDef{name: "sp_attach_schedule", msdb: true, writes: true, run: runAttachSchedule, params: []procParam{
		opt("@job_id", nil), opt("@job_name", nil), opt("@schedule_id", nil), opt("@schedule_name", nil),
		opt("@automatic_post", int64(1)),
	}})
	defineProc(&procDef{name: "sp_update_job", msdb: true, writes: true, run: runUpdateJob, params: []procParam{
		opt("@job_id", nil), opt("@job_name", nil), opt("@new_name", nil), opt("@enabled", nil),
		opt("@description", nil), opt("@start_step_id", nil), opt("@category_name", nil),
		opt("@owner_login_name", nil), opt("@notify_level_eventlog", nil), opt("@notify_level_email", nil),
		opt("@notify_level_netsend", nil), opt("@notify_level_page", nil), opt("@notify_email_operator_name", nil),
		opt("@notify_netsend_operator_name", nil), opt("@notify_page_operator_name", nil),
		opt("@delete_level", nil), opt("@automatic_post", int64(1)),
	}})
	defineProc(&procDef{name: "sp_start_job", msdb: true, writes: true, run: runStartJob, params: []procParam{
		opt("@job_name", nil), opt("@job_id", nil), opt("@error_flag", int64(1)), opt("@server_name", nil),
		opt("@step_name", nil), opt("@output_flag", int64(1)),
	}})
	defineProc(&procDef{name: "sp_stop_job", msdb: true, writes: true, run: runStopJob, params: []procParam{
		opt("@job_name", nil), opt("@job_id", nil), opt("@originating_server", nil), opt("@server_name", nil),
	}})
	defineProc(&procDef{name: "sp_delete_job", msdb: true, writes: true, run: runDeleteJob, params: []procParam{
		opt("@job_id", nil), opt("@job_name", nil), opt("@originating_server", nil), opt("@delete_history", int64(1)),
		opt("@delete_unused_schedule", int64(1)),
	}})
	defineProc(&procDef{name: "sp_help_job", msdb: true, run: runHelpJob, params: []procParam{
		opt("@job_id", nil), opt("@job_name", nil), opt("@job_aspect", nil), opt("@job_type", nil),
		opt("@owner_login_name", nil), opt("@subsystem", nil), opt("@category_name", nil), opt("@enabled", nil),
		opt("@execution_status", nil), opt("@date_comparator", nil), opt("@date_created", nil),
		opt("@date_last_modified", nil), opt("@description", nil),
	}})
}

// findJob resolves @job_id / @job_name with SQL Agent's errors.
func (c *procCall) findJob() (*job, error) {
	m := c.ss.inst.msdb
	switch {
	case !c.isNull("@job_id"):
		id, ok := toGUID(c.vals["@job_id"])
		var j *job
		if ok {
			j = m.jobByID(id)
		}
		if j == nil {
			return nil, c.fail(14262, 16, 1, "The specified @job_id ('%s') does not exist.", c.text("@job_id"))
		}
		return j, nil
	case !c.isNull("@job_name"):
		j := m.jobByName(c.text("@job_name"))
		if j == nil {
			return nil, c.fail(14262, 16, 1, "The specified @job_name ('%s') does not exist.", c.text("@job_name"))
		}
		return j, nil
	}
	return nil, c.fail(14294, 16, 1, "Supply either @job_id or @job_name to identify the job.")
}

func runAddSchedule(c *procCall) (int, error) {
	s, in, m := c.ss.sim, c.ss.inst, c.ss.inst.msdb
	freq := c.intOr("@freq_type", 0)
	switch freq {
	case freqOnce, freqDaily, freqWeekly, freqMonthly, freqMonthlyRel, freqAgentStart, freqIdle:
	default:
		return 1, c.fail(14266, 16, 1, "The specified '@freq_type' is invalid (valid values are: 1, 4, 8, 16, 32, 64, 128).")
	}
	sub := c.intOr("@freq_subday_type", 0)
	if freq == freqDaily || freq == freqWeekly || freq == freqMonthly || freq == freqMonthlyRel {
		if sub != subdayAt && sub != subdaySeconds && sub != subdayMinutes && sub != subdayHours {
			return 1, c.fail(14266, 16, 1, "The specified '@freq_subday_type' is invalid (valid values are: 0x1, 0x2, 0x4, 0x8).")
		}
		if c.intOr("@freq_interval", 0) < 1 {
			return 1, c.fail(14266, 16, 1, "The specified '@freq_interval' is invalid (valid values are: 1..n).")
		}
	}
	name := c.text("@schedule_name")
	owner := c.ss.login
	if !c.isNull("@owner_login_name") {
		owner = c.text("@owner_login_name")
	}
	sc := s.newSchedule(m, name, owner)
	sc.enabled = c.bool("@enabled")
	sc.freqType, sc.freqInterval = freq, c.intOr("@freq_interval", 1)
	sc.freqSubdayType, sc.freqSubdayInterval = sub, c.intOr("@freq_subday_interval", 0)
	sc.freqRelInterval, sc.freqRecurrence = c.intOr("@freq_relative_interval", 0), c.intOr("@freq_recurrence_factor", 0)
	if !c.isNull("@active_start_date") {
		sc.activeStartDate = c.intOr("@active_start_date", dateInt(s.now))
	}
	sc.activeEndDate = c.intOr("@active_end_date", 99991231)
	sc.activeStartTime = c.intOr("@active_start_time", 0)
	sc.activeEndTime = c.intOr("@active_end_time", 235959)
	c.set("@schedule_uid", sc.uid)
	c.set("@schedule_id", int64(sc.id))
	in.rescheduleAll(s.now)
	return 0, nil
}

func runAttachSchedule(c *procCall) (int, error) {
	s, in, m := c.ss.sim, c.ss.inst, c.ss.inst.msdb
	j, err := c.findJob()
	if err != nil {
		return 1, err
	}
	var sc *schedule
	switch {
	case !c.isNull("@schedule_id"):
		id, err := c.int("@schedule_id")
		if err != nil {
			return 1, err
		}
		if sc = m.scheduleByID(id); sc == nil {
			return 1, c.fail(14262, 16, 1, "The specified @schedule_id ('%d') does not exist.", id)
		}
	case !c.isNull("@schedule_name"):
		name := c.text("@schedule_name")
		for _, x := range m.schedules {
			if nameEq(x.name, name) {
				if sc != nil {
					return 1, c.fail(14371, 16, 1, "There are two or more schedules named \"%s\". Specify @schedule_id instead of @schedule_name to uniquely identify the schedule.", name)
				}
				sc = x
			}
		}
		if sc == nil {
			return 1, c.fail(14262, 16, 1, "The specified @schedule_name ('%s') does not exist.", name)
		}
	default:
		return 1, c.fail(14373, 16, 1, "Supply either @schedule_id or @schedule_name to identify the schedule.")
	}
	for _, x := range sc.jobs {
		if x == j {
			return 0, nil
		}
	}
	sc.jobs = append(sc.jobs, j)
	in.scheduleJob(j, s.now)
	return 0, nil
}

func runUpdateJob(c *procCall) (int, error) {
	s, in := c.ss.sim, c.ss.inst
	j, err := c.findJob()
	if err != nil {
		return 1, err
	}
	if !c.isNull("@new_name") {
		name := c.text("@new_name")
		if other := in.msdb.jobByName(name); other != nil && other != j {
			return 1, c.fail(14261, 16, 1, "The specified @new_name ('%s') already exists.", name)
		}
		j.name = name
	}
	if !c.isNull("@enabled") {
		j.enabled = c.bool("@enabled")
	}
	if !c.isNull("@description") {
		j.description = c.text("@description")
	}
	if !c.isNull("@owner_login_name") {
		j.owner = c.text("@owner_login_name")
	}
	if !c.isNull("@category_name") {
		found := false
		for _, cat := range jobCategories {
			if nameEq(cat.name, c.text("@category_name")) {
				j.category, found = cat.id, true
			}
		}
		if !found {
			return 1, c.fail(14262, 16, 1, "The specified @category_name ('%s') does not exist.", c.text("@category_name"))
		}
	}
	j.modified = s.now
	j.version++
	in.scheduleJob(j, s.now)
	return 0, nil
}

func runStartJob(c *procCall) (int, error) {
	s, in := c.ss.sim, c.ss.inst
	j, err := c.findJob()
	if err != nil {
		return 1, err
	}
	if !in.agentRunning {
		return 1, c.fail(22022, 16, 1, "SQLServerAgent is not currently running so it cannot be notified of this action.")
	}
	if j.run != nil {
		return 1, c.fail(22022, 16, 1, "SQLServerAgent Error: Request to run job %s (from User %s) refused because "+
			"the job is already running from a request by %s.", j.name, c.ss.login, j.run.invokedBy)
	}
	s.startJob(in, j, s.now, "User "+c.ss.login, 4)
	c.info(infoMsg(14243, "Job '%s' started successfully.", j.name))
	return 0, nil
}

func runStopJob(c *procCall) (int, error) {
	s, in := c.ss.sim, c.ss.inst
	j, err := c.findJob()
	if err != nil {
		return 1, err
	}
	if j.run == nil {
		return 1, c.fail(22022, 16, 1, "SQLServerAgent Error: Request to stop job %s (from User %s) refused because "+
			"the job is not currently running.", j.name, c.ss.login)
	}
	run := j.run
	j.run = nil
	dur := s.now.Sub(run.start)
	in.msdb.addHistory(&historyRow{
		jobID: j.id, stepID: 0, stepName: "(Job outcome)", status: 3, server: in.spec.Server,
		message: "The job was stopped prior to completion by User " + c.ss.login + ".  The Job was invoked by " +
			run.invokedBy + ".  The last step to run was step 1 (" + j.steps[0].name + ").",
		runDate: dateInt(run.start), runTime: timeInt(run.start), runDuration: durationInt(dur),
	})
	j.lastStop, j.lastOutcome = s.now, 3
	in.scheduleJob(j, s.now)
	c.info(infoMsg(14254, "Job '%s' stopped successfully.", j.name))
	return 0, nil
}

func runDeleteJob(c *procCall) (int, error) {
	j, err := c.findJob()
	if err != nil {
		return 1, err
	}
	m := c.ss.inst.msdb
	scheds := m.schedulesOf(j)
	m.deleteJob(j)
	if c.bool("@delete_unused_schedule") {
		for _, sc := range scheds {
			if len(sc.jobs) == 0 {
				for i, x := range m.schedules {
					if x == sc {
						m.schedules = append(m.schedules[:i], m.schedules[i+1:]...)
						break
					}
				}
			}
		}
	}
	return 0, nil
}

// runHelpJob is sp_help_job: all jobs in one result set, or one job's details, steps and schedules.
func runHelpJob(c *procCall) (int, error) {
	in := c.ss.inst
	jobs := in.msdb.jobs
	single := !c.isNull("@job_id") || !c.isNull("@job_name")
	if single {
		j, err := c.findJob()
		if err != nil {
			return 1, err
		}
		jobs = []*job{j}
	}
	t := &tsql.Table{Columns: columns(`job_id uniqueidentifier, originating_server nvarchar(30), name sysname,
		enabled tinyint, description nvarchar(512), start_step_id int, category sysname, owner sysname,
		notify_level_eventlog int, notify_level_email int, notify_level_netsend int, notify_level_page int,
		notify_email_operator sysname, notify_netsend_operator sysname, notify_page_operator sysname,
		delete_level int, date_created datetime, date_modified datetime, version_number int, last_run_date int,
		last_run_time int, last_run_outcome int, next_run_date int, next_run_time int, next_run_schedule_id int,
		current_execution_status int, current_execution_step sysname, current_retry_attempt int, has_step int,
		has_schedule int, has_target int, type int`)}
	for _, j := range jobs {
		lastDate, lastTime := 0, 0
		if !j.lastStart.IsZero() {
			lastDate, lastTime = dateInt(j.lastStart), timeInt(j.lastStart)
		}
		nextDate, nextTime, nextSched := 0, 0, 0
		if j.nextSchedule != nil && !j.nextRun.IsZero() {
			nextDate, nextTime, nextSched = dateInt(j.nextRun), timeInt(j.nextRun), j.nextSchedule.id
		}
		status, step := int64(4), "0 (unknown)"
		if j.run != nil {
			status, step = 1, "1 ("+j.steps[0].name+")"
		}
		t.Rows = append(t.Rows, []tsql.Value{j.id, "(local)", j.name, boolInt(j.enabled), nstr(j.description),
			int64(1), categoryName(j.category), j.owner, int64(2), int64(0), int64(0), int64(0), "(unknown)",
			"(unknown)", "(unknown)", int64(0), j.created, j.modified, i64(j.version), i64(lastDate), i64(lastTime),
			i64(j.lastOutcome), i64(nextDate), i64(nextTime), i64(nextSched), status, step, int64(0),
			i64(len(j.steps)), i64(len(in.msdb.schedulesOf(j))), int64(1), int64(1)})
	}
	c.result(t)
	if single {
		c.helpJobDetails(jobs[0])
	}
	return 0, nil
}

// helpJobDetails adds sp_help_job's step and schedule result sets for one job.
func (c *procCall) helpJobDetails(j *job) {
	steps := &tsql.Table{Columns: columns(`step_id int, step_name sysname, subsystem nvarchar(40),
		command nvarchar(3200), flags int, cmdexec_success_code int, on_success_action nvarchar(4000),
		on_fail_action nvarchar(4000), server sysname, database_name sysname, database_user_name sysname,
		retry_attempts int, retry_interval int, os_run_priority nvarchar(4000), output_file_name nvarchar(200),
		last_run_outcome int, last_run_duration int, last_run_retries int, last_run_date int, last_run_time int,
		proxy_id int`)}
	for _, st := range j.steps {
		steps.Rows = append(steps.Rows, []tsql.Value{i64(st.id), st.name, st.subsystem, st.command, int64(0),
			int64(0), "(1) QUIT WITH SUCCESS", "(2) QUIT WITH FAILURE", nil, nstr(st.database), nil, int64(0),
			int64(0), "0 (normal)", nil, i64(st.lastOutcome), i64(st.lastDuration), int64(0), i64(st.lastRunDate),
			i64(st.lastRunTime), nil})
	}
	c.result(steps)
	scheds := &tsql.Table{Columns: columns(`schedule_id int, schedule_name sysname, enabled int, freq_type int,
		freq_interval int, freq_subday_type int, freq_subday_interval int, freq_relative_interval int,
		freq_recurrence_factor int, active_start_date int, active_end_date int, active_start_time int,
		active_end_time int, date_created datetime, schedule_description nvarchar(4000), next_run_date int,
		next_run_time int, schedule_uid uniqueidentifier, job_count int`)}
	for _, sc := range c.ss.inst.msdb.schedulesOf(j) {
		nextDate, nextTime := 0, 0
		if at, ok := sc.nextAfter(c.ss.sim.now); ok {
			nextDate, nextTime = dateInt(at), timeInt(at)
		}
		scheds.Rows = append(scheds.Rows, []tsql.Value{i64(sc.id), sc.name, boolInt(sc.enabled), i64(sc.freqType),
			i64(sc.freqInterval), i64(sc.freqSubdayType), i64(sc.freqSubdayInterval), i64(sc.freqRelInterval),
			i64(sc.freqRecurrence), i64(sc.activeStartDate), i64(sc.activeEndDate), i64(sc.activeStartTime),
			i64(sc.activeEndTime), sc.created, scheduleDescription(sc), i64(nextDate), i64(nextTime), sc.uid,
			i64(len(sc.jobs))})
	}
	c.result(scheds)
}

func categoryName(id int) string {
	for _, c := range jobCategories {
		if c.id == id {
			return c.name
		}
	}
	return "[Uncategorized (Local)]"
}

// scheduleDescription is the English description sp_help_job shows for a schedule.
func scheduleDescription(sc *schedule) string {
	var b strings.Builder
	switch sc.freqType {
	case freqOnce:
		return "Once"
	case freqDaily:
		b.WriteString("Occurs every day")
		if sc.freqInterval > 1 {
			b.Reset()
			b.WriteString("Occurs every " + strconv.Itoa(sc.freqInterval) + " day(s)")
		}
	case freqWeekly:
		b.WriteString("Occurs every week")
	case freqAgentStart:
		return "Start automatically when SQL Server Agent starts"
	default:
		b.WriteString("Occurs every month")
	}
	unit := map[int]string{subdaySeconds: "second(s)", subdayMinutes: "minute(s)", subdayHours: "hour(s)"}[sc.freqSubdayType]
	if unit != "" {
		b.WriteString(" every " + strconv.Itoa(sc.freqSubdayInterval) + " " + unit + ".")
	} else {
		b.WriteString(" at " + strconv.Itoa(sc.activeStartTime) + ".")
	}
	return b.String()
}
