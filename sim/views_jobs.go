package sim

import (
	"strconv"

	"pcfailback/tsql"
)

func init() {
	register("msdb.sysjobs", scopeMSDB, `job_id uniqueidentifier, originating_server_id int, name sysname,
		enabled tinyint, description nvarchar(512), start_step_id int, category_id int, owner_sid varbinary(85),
		notify_level_eventlog int, notify_level_email int, notify_level_netsend int, notify_level_page int,
		notify_email_operator_id int, notify_netsend_operator_id int, notify_page_operator_id int, delete_level int,
		date_created datetime, date_modified datetime, version_number int`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, j := range ss.inst.msdb.jobs {
				rows = append(rows, []tsql.Value{j.id, int64(0), j.name, boolInt(j.enabled), nstr(j.description),
					int64(1), i64(j.category), loginSID(ss.inst, j.owner), int64(2), int64(0), int64(0), int64(0),
					int64(0), int64(0), int64(0), int64(0), j.created, j.modified, i64(j.version)})
			}
			return rows
		})

	register("msdb.sysjobsteps", scopeMSDB, `job_id uniqueidentifier, step_id int, step_name sysname,
		subsystem nvarchar(40), command nvarchar(max), flags int, additional_parameters nvarchar(max),
		cmdexec_success_code int, on_success_action tinyint, on_success_step_id int, on_fail_action tinyint,
		on_fail_step_id int, server sysname, database_name sysname, database_user_name sysname,
		retry_attempts int, retry_interval int, os_run_priority int, output_file_name nvarchar(200),
		last_run_outcome int, last_run_duration int, last_run_retries int, last_run_date int, last_run_time int,
		proxy_id int, step_uid uniqueidentifier`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, j := range ss.inst.msdb.jobs {
				for _, st := range j.steps {
					rows = append(rows, []tsql.Value{j.id, i64(st.id), st.name, st.subsystem, st.command, int64(0),
						nil, int64(0), int64(1), int64(0), int64(2), int64(0), nil, nstr(st.database), nil, int64(0),
						int64(0), int64(0), nil, i64(st.lastOutcome), i64(st.lastDuration), int64(0),
						i64(st.lastRunDate), i64(st.lastRunTime), nil, st.uid})
				}
			}
			return rows
		})

	register("msdb.syscategories", scopeMSDB, `category_id int, category_class int, category_type tinyint, name sysname`,
		func(ss *session, _ *database) [][]tsql.Value {
			rows := make([][]tsql.Value, 0, len(jobCategories))
			for _, c := range jobCategories {
				rows = append(rows, []tsql.Value{i64(c.id), int64(1), i64(c.typ), c.name})
			}
			return rows
		})

	register("msdb.sysschedules", scopeMSDB, `schedule_id int, schedule_uid uniqueidentifier,
		originating_server_id int, name sysname, owner_sid varbinary(85), enabled int, freq_type int,
		freq_interval int, freq_subday_type int, freq_subday_interval int, freq_relative_interval int,
		freq_recurrence_factor int, active_start_date int, active_end_date int, active_start_time int,
		active_end_time int, date_created datetime, date_modified datetime, version_number int`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, sc := range ss.inst.msdb.schedules {
				rows = append(rows, []tsql.Value{i64(sc.id), sc.uid, int64(0), sc.name, loginSID(ss.inst, sc.owner),
					boolInt(sc.enabled), i64(sc.freqType), i64(sc.freqInterval), i64(sc.freqSubdayType),
					i64(sc.freqSubdayInterval), i64(sc.freqRelInterval), i64(sc.freqRecurrence),
					i64(sc.activeStartDate), i64(sc.activeEndDate), i64(sc.activeStartTime), i64(sc.activeEndTime),
					sc.created, sc.modified, i64(sc.version)})
			}
			return rows
		})

	register("msdb.sysjobschedules", scopeMSDB, `schedule_id int, job_id uniqueidentifier, next_run_date int,
		next_run_time int`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, sc := range ss.inst.msdb.schedules {
				for _, j := range sc.jobs {
					date, tod := int64(0), int64(0)
					if at, ok := sc.nextAfter(ss.sim.now); ok && j.enabled && ss.inst.agentRunning {
						date, tod = int64(dateInt(at)), int64(timeInt(at))
					}
					rows = append(rows, []tsql.Value{i64(sc.id), j.id, date, tod})
				}
			}
			return rows
		})

	register("msdb.sysjobactivity", scopeMSDB, `session_id int, job_id uniqueidentifier, run_requested_date datetime,
		run_requested_source sysname, queued_date datetime, start_execution_date datetime,
		last_executed_step_id int, last_executed_step_date datetime, stop_execution_date datetime,
		job_history_id int, next_scheduled_run_date datetime`,
		func(ss *session, _ *database) [][]tsql.Value {
			in := ss.inst
			if in.agentSession == 0 {
				return nil
			}
			var rows [][]tsql.Value
			for _, j := range in.msdb.jobs {
				var source, lastStep, lastStepDate, histID tsql.Value
				if !j.lastRequested.IsZero() {
					source = strconv.Itoa(j.lastSource)
				}
				if !j.lastStop.IsZero() {
					lastStep, lastStepDate, histID = int64(1), j.lastStart, i64(j.lastHistoryID)
				}
				rows = append(rows, []tsql.Value{i64(in.agentSession), j.id, tm(j.lastRequested), source, nil,
					tm(j.lastStart), lastStep, lastStepDate, tm(j.lastStop), histID, tm(j.nextRun)})
			}
			return rows
		})

	register("msdb.syssessions", scopeMSDB, `session_id int, agent_start_date datetime`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, a := range ss.inst.msdb.agentSessions {
				rows = append(rows, []tsql.Value{i64(a.id), a.start})
			}
			return rows
		})

	register("msdb.sysjobhistory", scopeMSDB, `instance_id int, job_id uniqueidentifier, step_id int,
		step_name sysname, sql_message_id int, sql_severity int, message nvarchar(4000), run_status int,
		run_date int, run_time int, run_duration int, operator_id_emailed int, operator_id_netsent int,
		operator_id_paged int, retries_attempted int, server sysname`,
		func(ss *session, _ *database) [][]tsql.Value {
			m := ss.inst.msdb
			rows := make([][]tsql.Value, 0, len(m.history))
			for _, h := range m.history {
				rows = append(rows, []tsql.Value{i64(h.id), h.jobID, i64(h.stepID), h.stepName, i64(h.msgID),
					i64(h.severity), h.message, i64(h.status), i64(h.runDate), i64(h.runTime), i64(h.runDuration),
					int64(0), int64(0), int64(0), int64(0), h.server})
			}
			return rows
		})
}

// loginSID is the SID of a login name as msdb stores owners.
func loginSID(in *instance, name string) tsql.Value {
	if name == "" || nameEq(name, "sa") {
		return "0x01"
	}
	if l := in.login(name); l != nil {
		return l.sid
	}
	return sidOf(name)
}
