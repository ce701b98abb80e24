package sim

import (
	"strings"
	"time"

	"pcfailback/tsql"
)

func init() {
	register("sys.server_principals", scopeServer, `name sysname, principal_id int, sid varbinary(85), type char(1),
		type_desc nvarchar(60), is_disabled bit, create_date datetime, modify_date datetime,
		default_database_name sysname, default_language_name sysname, credential_id int, owning_principal_id int,
		is_fixed_role bit`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, l := range ss.inst.logins {
				desc := map[string]string{"S": "SQL_LOGIN", "U": "WINDOWS_LOGIN", "G": "WINDOWS_GROUP", "R": "SERVER_ROLE"}[l.typ]
				var defDB, lang, owner tsql.Value = "master", "us_english", nil
				if l.typ == "R" {
					defDB, lang, owner = nil, nil, int64(1)
				}
				rows = append(rows, []tsql.Value{l.name, i64(l.id), l.sid, l.typ, desc, bit(l.disabled), l.created,
					l.created, defDB, lang, nil, owner, bit(l.typ == "R")})
			}
			return rows
		})

	register("sys.database_principals", scopeDatabase, `name sysname, principal_id int, type char(1),
		type_desc nvarchar(60), default_schema_name sysname, create_date datetime, modify_date datetime,
		owning_principal_id int, sid varbinary(85), is_fixed_role bit, authentication_type int,
		authentication_type_desc nvarchar(60), default_language_name sysname, default_language_lcid int`,
		func(ss *session, d *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, u := range d.principals(ss.inst) {
				desc := map[string]string{"S": "SQL_USER", "U": "WINDOWS_USER", "G": "WINDOWS_GROUP", "R": "DATABASE_ROLE"}[u.typ]
				auth, authDesc := tsql.Value(int64(3)), tsql.Value("WINDOWS")
				var owner tsql.Value
				switch {
				case u.typ == "R":
					auth, authDesc, owner = nil, nil, int64(1)
				case u.typ == "S" && u.sid == "":
					auth, authDesc = int64(0), "NONE"
				case u.typ == "S":
					auth, authDesc = int64(1), "INSTANCE"
				}
				rows = append(rows, []tsql.Value{u.name, i64(u.id), u.typ, desc, nstr(u.schema), u.created,
					u.created, owner, nstr(u.sid), bit(u.fixed), auth, authDesc, nil, nil})
			}
			return rows
		})

	register("sys.dm_server_services", scopeServer, `servicename nvarchar(256), startup_type int,
		startup_type_desc nvarchar(256), status int, status_desc nvarchar(256), process_id int,
		last_startup_time datetimeoffset, service_account nvarchar(256), filename nvarchar(256),
		is_clustered nvarchar(1), cluster_nodename nvarchar(256)`,
		func(ss *session, _ *database) [][]tsql.Value {
			in := ss.inst
			binn := `"C:\Program Files\Microsoft SQL Server\MSSQL11.MSSQLSERVER\MSSQL\Binn\`
			agentStatus, agentDesc, agentPID, agentStart := int64(4), "Running", tsql.Value(int64(2344)), tm(in.agentStart)
			if !in.agentRunning {
				agentStatus, agentDesc, agentPID, agentStart = 1, "Stopped", nil, nil
			}
			return [][]tsql.Value{
				{"SQL Server (MSSQLSERVER)", int64(2), "Automatic", int64(4), "Running", int64(1876), in.engineStart,
					in.spec.EngineAccount, binn + `sqlservr.exe" -sMSSQLSERVER`, "N", nil},
				{"SQL Server Agent (MSSQLSERVER)", int64(2), "Automatic", agentStatus, agentDesc, agentPID, agentStart,
					in.spec.AgentAccount, binn + `SQLAGENT.EXE" -i MSSQLSERVER`, "N", nil},
				{"SQL Full-text Filter Daemon Launcher (MSSQLSERVER)", int64(3), "Manual", int64(4), "Running",
					int64(2120), nil, `NT Service\MSSQLFDLauncher`, binn + `fdlauncher.exe" -s MSSQL11.MSSQLSERVER`, "N", nil},
			}
		})

	register("sys.database_mirroring_endpoints", scopeServer, `name sysname, endpoint_id int, principal_id int,
		protocol tinyint, protocol_desc nvarchar(60), type tinyint, type_desc nvarchar(60), state tinyint,
		state_desc nvarchar(60), is_admin_endpoint bit, role tinyint, role_desc nvarchar(60),
		is_encryption_enabled bit, connection_auth tinyint, connection_auth_desc nvarchar(60), certificate_id int,
		encryption_algorithm tinyint, encryption_algorithm_desc nvarchar(60)`,
		func(ss *session, _ *database) [][]tsql.Value {
			if !ss.inst.endpoint.exists {
				return nil
			}
			return [][]tsql.Value{{"Mirroring", int64(65536), int64(1), int64(2), "TCP", int64(4),
				"DATABASE_MIRRORING", int64(0), "STARTED", bit(false), int64(3), "ALL", bit(true), int64(3),
				"NEGOTIATE", int64(0), int64(1), "RC4"}}
		})

	register("sys.tcp_endpoints", scopeServer, `name sysname, endpoint_id int, principal_id int, protocol tinyint,
		protocol_desc nvarchar(60), type tinyint, type_desc nvarchar(60), state tinyint, state_desc nvarchar(60),
		is_admin_endpoint bit, port int, is_dynamic_port bit, ip_address nvarchar(45)`,
		func(ss *session, _ *database) [][]tsql.Value {
			rows := [][]tsql.Value{{"TSQL Default TCP", int64(4), int64(1), int64(2), "TCP", int64(2), "TSQL",
				int64(0), "STARTED", bit(false), int64(1433), bit(false), nil}}
			if ss.inst.endpoint.exists {
				rows = append(rows, []tsql.Value{"Mirroring", int64(65536), int64(1), int64(2), "TCP", int64(4),
					"DATABASE_MIRRORING", int64(0), "STARTED", bit(false), i64(ss.inst.endpoint.port), bit(false), nil})
			}
			return rows
		})
}

// principals lists a database's principals: the fixed ones every database has, then its own users and roles.
func (d *database) principals(in *instance) []dbUser {
	created := d.created
	out := []dbUser{
		{name: "public", id: 0, typ: "R", created: created},
		{name: "dbo", id: 1, typ: "S", sid: ownerSIDText(in, d), created: created, schema: "dbo"},
		{name: "guest", id: 2, typ: "S", sid: "0x00", created: created, schema: "guest"},
		{name: "INFORMATION_SCHEMA", id: 3, typ: "S", created: created},
		{name: "sys", id: 4, typ: "S", created: created},
	}
	out = append(out, d.users...)
	for i, role := range []string{"db_owner", "db_accessadmin", "db_securityadmin", "db_ddladmin",
		"db_backupoperator", "db_datareader", "db_datawriter", "db_denydatareader", "db_denydatawriter"} {
		out = append(out, dbUser{name: role, id: 16384 + i, typ: "R", fixed: true, created: created})
	}
	return out
}

func ownerSIDText(in *instance, d *database) string {
	if v, ok := ownerSID(in, d).(string); ok {
		return v
	}
	return "0x01"
}

// lyncUsers are the Windows groups Lync Server's installer grants access to its databases.
func lyncUsers(domain string, created time.Time) []dbUser {
	var out []dbUser
	for i, g := range []string{"RTCUniversalServerAdmins", "RTCComponentUniversalServices", "RTCHSUniversalServices"} {
		name := domain + `\` + g
		out = append(out, dbUser{name: name, id: 5 + i, typ: "G", sid: sidOf(name), created: created, schema: "dbo"})
	}
	out = append(out, dbUser{name: "ChatServerRole", id: 8, typ: "R", created: created})
	return out
}

// isGroup says a Windows login name is one of the domain groups of the estate.
func isGroup(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, `\rtc`) || strings.HasSuffix(n, `\sql admins`) || strings.HasSuffix(n, `\domain admins`)
}
