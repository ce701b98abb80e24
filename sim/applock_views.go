package sim

import (
	"encoding/binary"

	"pcfailback/tsql"
)

// sys.dm_tran_locks shows the application locks of every session: one GRANT row per owner's hold, and a WAIT (or
// CONVERT, when the session already holds the resource) row for a request being waited on. Other lock types (the
// DATABASE shared lock of every session, row and page locks) are not simulated.
func init() {
	register("sys.dm_tran_locks", scopeServer, `resource_type nvarchar(60), resource_subtype nvarchar(60),
		resource_database_id int, resource_description nvarchar(256), resource_associated_entity_id bigint,
		resource_lock_partition int, request_mode nvarchar(60), request_type nvarchar(60),
		request_status nvarchar(60), request_reference_count smallint, request_lifetime int,
		request_session_id int, request_exec_context_id int, request_request_id int,
		request_owner_type nvarchar(60), request_owner_id bigint, request_owner_guid uniqueidentifier,
		request_owner_lockspace_id nvarchar(32), lock_owner_address varbinary(8)`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, x := range ss.inst.sessions {
				for i, l := range x.appLocks {
					rows = append(rows, tranLockRow(x, l.key, l.txn, l.mode, "GRANT", l.count, i))
				}
				if w := x.appWait; w != nil {
					status := "WAIT"
					if x.heldMode(w.key, w.txn) != 0 {
						status = "CONVERT"
					}
					rows = append(rows, tranLockRow(x, w.key, w.txn, w.mode, status, 1, len(x.appLocks)))
				}
			}
			return rows
		})
}

// tranLockRow is one row of sys.dm_tran_locks for an application lock. The owner ids and addresses are made up
// from the session and the hold's position: stable, and distinct between rows, which is all a reader can rely on.
func tranLockRow(x *session, k appKey, txn bool, mode lockMode, status string, count, n int) []tsql.Value {
	owner, ownerID := "SESSION", int64(-4)
	if txn {
		owner, ownerID = "TRANSACTION", int64(x.spid)*1000+int64(x.tranCount)
	}
	addr := binary.BigEndian.AppendUint64(nil, 0x0000000C00000000|uint64(x.spid)<<16|uint64(n)<<4)
	return []tsql.Value{"APPLICATION", "", int64(k.db), k.description(), int64(0), int64(0), mode.canonical(),
		"LOCK", status, int64(count), int64(0), int64(x.spid), int64(0), int64(0), owner, ownerID, tsql.GUID{},
		"0x0000000000000000:0:0", addr}
}
