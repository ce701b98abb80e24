package sim

import (
	"fmt"
	"strings"
	"time"

	"pcfailback/tsql"
)

func init() {
	register("sys.dm_exec_sessions", scopeServer, `session_id smallint, login_time datetime, host_name nvarchar(128),
		program_name nvarchar(128), host_process_id int, client_version int, client_interface_name nvarchar(32),
		security_id varbinary(85), login_name nvarchar(128), nt_domain nvarchar(128), nt_user_name nvarchar(128),
		status nvarchar(30), context_info varbinary(128), cpu_time int, memory_usage int, total_scheduled_time int,
		total_elapsed_time int, endpoint_id int, last_request_start_time datetime, last_request_end_time datetime,
		reads bigint, writes bigint, logical_reads bigint, is_user_process bit, text_size int, language nvarchar(128),
		date_format nvarchar(3), date_first smallint, quoted_identifier bit, arithabort bit, ansi_null_dflt_on bit,
		ansi_defaults bit, ansi_warnings bit, ansi_padding bit, ansi_nulls bit, concat_null_yields_null bit,
		transaction_isolation_level smallint, lock_timeout int, deadlock_priority int, row_count bigint,
		prev_error int, original_security_id varbinary(85), original_login_name nvarchar(128),
		last_successful_logon datetime, last_unsuccessful_logon datetime, unsuccessful_logons bigint, group_id int,
		database_id smallint, authenticating_database_id int, open_transaction_count int`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, x := range ss.inst.sessions {
				rows = append(rows, execSessionRow(ss, x))
			}
			return rows
		})

	register("sys.dm_exec_requests", scopeServer, `session_id smallint, request_id int, start_time datetime,
		status nvarchar(30), command nvarchar(32), sql_handle varbinary(64), statement_start_offset int,
		statement_end_offset int, plan_handle varbinary(64), database_id smallint, user_id int,
		connection_id uniqueidentifier, blocking_session_id smallint, wait_type nvarchar(60), wait_time int,
		last_wait_type nvarchar(60), wait_resource nvarchar(256), open_transaction_count int,
		open_resultset_count int, transaction_id bigint, percent_complete real, estimated_completion_time bigint,
		cpu_time int, total_elapsed_time int, scheduler_id int, reads bigint, writes bigint, logical_reads bigint,
		transaction_isolation_level smallint, lock_timeout int, deadlock_priority int, row_count bigint,
		prev_error int, nest_level int, granted_query_memory int, executing_managed_code bit, group_id int`,
		func(ss *session, _ *database) [][]tsql.Value {
			now := ss.sim.now
			var rows [][]tsql.Value
			for _, x := range ss.inst.sessions {
				if x.kind == kindSystem {
					rows = append(rows, requestRow(x, now, "background", x.systemTask, 1, 0, 0))
					continue
				}
				if !x.running {
					continue
				}
				status := "running"
				if x.waitType != "" {
					status = "suspended"
				}
				if x != ss && x.command == "SELECT" {
					status = "suspended"
				}
				rows = append(rows, requestRow(x, now, status, x.command, x.dbID(), x.pct, x.estDone))
			}
			return rows
		})

	register("sys.dm_exec_connections", scopeServer, `session_id int, most_recent_session_id int,
		connect_time datetime, net_transport nvarchar(40), protocol_type nvarchar(40), protocol_version int,
		endpoint_id int, encrypt_option nvarchar(40), auth_scheme nvarchar(40), node_affinity smallint,
		num_reads int, num_writes int, last_read datetime, last_write datetime, net_packet_size int,
		client_net_address varchar(48), client_tcp_port int, local_net_address varchar(48), local_tcp_port int,
		connection_id uniqueidentifier, parent_connection_id uniqueidentifier, most_recent_sql_handle varbinary(64)`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, x := range ss.inst.sessions {
				if x.kind == kindSystem {
					continue
				}
				auth := "KERBEROS"
				if strings.EqualFold(x.login, "sa") {
					auth = "SQL"
				}
				rows = append(rows, []tsql.Value{i64(x.spid), i64(x.spid), x.loginTime, "TCP", "TSQL",
					int64(1946157060), int64(4), "TRUE", auth, int64(0), x.reads + 5, x.writes + 5, x.lastEnd,
					x.lastEnd, int64(4096), clientAddress(x), int64(49152 + x.spid), "10.0.1.10", int64(1433),
					nil, nil, nil})
			}
			return rows
		})

	register("sys.sysprocesses", scopeCompat, `spid smallint, kpid smallint, blocked smallint, waittype varbinary(2),
		waittime bigint, lastwaittype nchar(32), waitresource nchar(256), dbid smallint, uid smallint, cpu int,
		physical_io bigint, memusage int, login_time datetime, last_batch datetime, ecid smallint,
		open_tran smallint, status nchar(30), sid varbinary(85), hostname nchar(128), program_name nchar(128),
		hostprocess nchar(10), cmd nchar(16), nt_domain nchar(128), nt_username nchar(128), net_address nchar(12),
		net_library nchar(12), loginame nchar(128), context_info varbinary(128), sql_handle varbinary(20),
		stmt_start int, stmt_end int, request_id int`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, x := range ss.inst.sessions {
				rows = append(rows, sysprocessRow(ss, x))
			}
			return rows
		})
}

// dbID is the session's current database id (master when its database has gone).
func (ss *session) dbID() int64 {
	if d := ss.inst.db(ss.db); d != nil {
		return int64(d.id)
	}
	return 1
}

// ntParts splits DOMAIN\user.
func ntParts(login string) (tsql.Value, tsql.Value) {
	if dom, user, ok := strings.Cut(login, `\`); ok {
		return dom, user
	}
	return nil, nil
}

func clientAddress(x *session) string {
	if x.kind == kindSystem {
		return "<local machine>"
	}
	n := 0
	for _, c := range x.host {
		n = (n*31 + int(c)) % 200
	}
	return fmt.Sprintf("10.0.%d.%d", 1+n%3, 20+n)
}

func execSessionRow(viewer, x *session) []tsql.Value {
	dom, user := ntParts(x.login)
	var host, prog, iface, pid tsql.Value
	if x.kind != kindSystem {
		host, prog, iface, pid = x.host, x.app, x.clientIface, int64(x.hostPID)
	}
	sid := sidOf(x.login)
	if strings.EqualFold(x.login, "sa") {
		sid = "0x01"
	}
	last := x.lastEnd
	if x.running {
		last = x.lastStart
	}
	elapsed := int64(viewer.sim.now.Sub(x.loginTime) / time.Millisecond)
	ci := x.contextInfoValue()
	return []tsql.Value{
		i64(x.spid), x.loginTime, host, prog, pid, int64(1946157060), iface, sid, x.login, dom, user, x.status(),
		ci, x.cpu, int64(2), x.cpu, elapsed, int64(4), x.lastStart, last, x.reads, x.writes, x.reads * 8,
		bit(x.kind != kindSystem), int64(2147483647), "us_english", "mdy", int64(7), bit(true), bit(true), bit(true),
		bit(false), bit(true), bit(true), bit(true), bit(true), int64(2), int64(-1), int64(0), int64(1), int64(0),
		sid, x.login, nil, nil, nil, int64(2), x.dbID(), int64(1), int64(0),
	}
}

func requestRow(x *session, now time.Time, status, command string, dbID int64, pct float64, est time.Duration) []tsql.Value {
	start := x.reqStart
	if start.IsZero() {
		start = x.loginTime
	}
	var wait, lastWait tsql.Value = nil, "MISCELLANEOUS"
	if x.waitType != "" {
		wait, lastWait = x.waitType, x.waitType
	}
	if strings.HasPrefix(command, "BACKUP") || strings.HasPrefix(command, "RESTORE") {
		lastWait = "BACKUPIO"
	}
	return []tsql.Value{
		i64(x.spid), int64(0), start, status, command, nil, int64(0), int64(-1), nil, dbID, int64(1), nil, int64(0),
		wait, int64(0), lastWait, "", int64(0), int64(1), int64(0), pct, int64(est / time.Millisecond), x.cpu,
		int64(now.Sub(start) / time.Millisecond), int64(1), x.reads, x.writes, x.reads * 8, int64(2), int64(-1),
		int64(0), int64(1), int64(0), int64(0), int64(0), bit(false), int64(2),
	}
}

func sysprocessRow(viewer, x *session) []tsql.Value {
	dom, user := ntParts(x.login)
	status, cmd := "sleeping", "AWAITING COMMAND"
	switch {
	case x.kind == kindSystem:
		status, cmd = "background", x.systemTask
	case x.running:
		status, cmd = "runnable", x.command
		if x != viewer {
			status = "suspended"
		}
	}
	hostname, prog, hostproc := "", "", ""
	if x.kind != kindSystem {
		hostname, prog, hostproc = x.host, x.app, fmt.Sprint(x.hostPID)
	}
	ci := x.contextInfoPadded()
	return []tsql.Value{
		i64(x.spid), i64(x.spid*4 + 1000), int64(0), "0x0000", int64(0), "MISCELLANEOUS", "", x.dbID(), int64(1),
		x.cpu, x.reads + x.writes, int64(2), x.loginTime, x.lastStart, int64(0), int64(0), status, sidOf(x.login),
		hostname, prog, hostproc, cmd, dom, user, "000C29A1B2C3", "TCP/IP", x.login, ci, nil, int64(0), int64(0),
		int64(0),
	}
}
