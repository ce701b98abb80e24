package sim

import (
	"time"

	"pcfailback/tsql"
)

// usageStats is the part of sys.dm_db_index_usage_stats the console reads: how often and when users last wrote
// to the database. SQL Server keeps these counters in memory from the instance's start and drops a database's rows
// when the database is restored or closed, so a zero time means "nothing written since then", not "never".
type usageStats struct {
	updates   int64
	lastWrite time.Time
	seeks     int64
	lastSeek  time.Time
}

// noteWrites records n user writes at t (and the reads that go with them: a chat server reads what it writes to).
func (d *database) noteWrites(t time.Time, n int64) {
	if n <= 0 {
		return
	}
	d.usage.updates += n
	d.usage.seeks += 3 * n
	if t.After(d.usage.lastWrite) {
		d.usage.lastWrite, d.usage.lastSeek = t, t
	}
}

// usageObjectID is the object_id the simulator gives the chat tables' clustered index in the usage rows.
const usageObjectID = 245575913

func init() {
	register("sys.dm_db_index_usage_stats", scopeServer, `database_id smallint, object_id int, index_id int,
		user_seeks bigint, user_scans bigint, user_lookups bigint, user_updates bigint, last_user_seek datetime,
		last_user_scan datetime, last_user_lookup datetime, last_user_update datetime, system_seeks bigint,
		system_scans bigint, system_lookups bigint, system_updates bigint, last_system_seek datetime,
		last_system_scan datetime, last_system_lookup datetime, last_system_update datetime`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, d := range ss.inst.dbs {
				u := d.usage
				if d.system || d.state != stateOnline || u.updates == 0 {
					continue
				}
				rows = append(rows, []tsql.Value{i64(d.id), i64(usageObjectID), int64(1), u.seeks, int64(0), int64(0),
					u.updates, tm(u.lastSeek), nil, nil, tm(u.lastWrite), int64(0), int64(0), int64(0), int64(0), nil, nil,
					nil, nil})
			}
			return rows
		})

	register("sys.dm_os_sys_info", scopeServer, `cpu_ticks bigint, ms_ticks bigint, cpu_count int,
		hyperthread_ratio int, physical_memory_kb bigint, virtual_memory_kb bigint, committed_kb int,
		committed_target_kb int, visible_target_kb int, stack_size_in_bytes int, os_quantum bigint,
		os_error_mode int, max_workers_count int, scheduler_count int, scheduler_total_count int,
		sqlserver_start_time_ms_ticks bigint, sqlserver_start_time datetime, affinity_type int,
		affinity_type_desc nvarchar(60), time_source int, time_source_desc nvarchar(60), virtual_machine_type int,
		virtual_machine_type_desc nvarchar(60)`,
		func(ss *session, _ *database) [][]tsql.Value {
			in := ss.inst
			up := ss.sim.now.Sub(in.engineStart).Milliseconds()
			const bootTicks = 412_345
			return [][]tsql.Value{{(bootTicks + up) * 2_600_000, bootTicks + up, int64(8), int64(8), int64(33_553_844),
				int64(8_589_934_464), int64(1_210_880), int64(29_990_128), int64(29_990_128), int64(2_093_056),
				int64(4), int64(5), int64(576), int64(8), int64(41), int64(bootTicks), tm(in.engineStart), int64(2),
				"AUTO", int64(0), "QUERY_PERFORMANCE_COUNTER", int64(1), "HYPERVISOR"}}
		})
}
