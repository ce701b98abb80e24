package steps_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"pcfailback/probes"
	"pcfailback/pwsh"
	"pcfailback/steps"
	"pcfailback/tsql"
)

var stamp = time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC)

// hostileNames are configurations whose every name tries to break out of its quoting: brackets, quotes doubled
// and single, a statement injection, PowerShell's $ and backtick, typographic quotes, Korean, combining marks and
// a line break.
func hostileNames() map[string]steps.Names {
	inst := func(name, host, sqlInst string) steps.InstanceNames {
		return steps.InstanceNames{Name: name, Host: host, SQLInstance: sqlInst}
	}
	return map[string]steps.Names{
		"injection": {
			Environment: "Ops ']' $(Stop-Computer) `n",
			ChatDB:      "x]; DROP DATABASE [y", ComplianceDB: "comp'; SHUTDOWN WITH NOWAIT; --",
			Instances: map[probes.Role]steps.InstanceNames{
				probes.Primary:       inst("SQL]PRIMARY'", "sql'$(rm -r C:\\).contoso.local", "INST'`$x"),
				probes.PrimaryMirror: inst("SQL-MIR]]", "mir`;calc.contoso.local", ""),
				probes.Backup:        inst("SQL'BACKUP", "sqlbackup.contoso.local", ""),
				probes.BackupMirror:  inst("SQLBACKUP-MIR", "sqlbackup-mir.contoso.local", ""),
			},
			LyncHost:     "lync'fe01.contoso.local",
			PoolFQDN:     "pchat'; Remove-Item C:\\ -Recurse #.contoso.local",
			PoolIdentity: "service:pchat'' `$null; $(whoami)",
			Share:        `\\fs01\pchat]ls'$x\`, CopyFolder: `D:\LS'Copy]\$(rm)`, MirrorShare: "\\\\fs01\\mirror`n'$env:USERNAME",
			PrimaryServers: []string{"pc'01.contoso.local", "pc`02$.contoso.local", "pc03‘’.contoso.local"},
		},
		"doubled": {
			Environment: "''", ChatDB: "]]", ComplianceDB: "''",
			Instances: map[probes.Role]steps.InstanceNames{
				probes.Primary: inst("]]", "'']]", "''"), probes.PrimaryMirror: inst("''", "]]''", ""),
				probes.Backup: inst("]''[", "b", ""), probes.BackupMirror: inst("bm", "bm", ""),
			},
			LyncHost: "l", PoolFQDN: "''", PoolIdentity: "]]''", Share: `\\'']]\'']]`, CopyFolder: `C:\'']]`, MirrorShare: `\\'']]\m`,
			PrimaryServers: []string{"''", "]]"},
		},
		"unicode": {
			Environment: "채팅 운영", ChatDB: "채팅]]''", ComplianceDB: "e\u0301ﬁ'\u0308",
			Instances: map[probes.Role]steps.InstanceNames{
				probes.Primary: inst("서버1", "서버1.회사.kr", "인스턴스"), probes.PrimaryMirror: inst("서버2", "서버2.회사.kr", ""),
				probes.Backup: inst("서버3", "서버3.회사.kr", ""), probes.BackupMirror: inst("서버4", "서버4.회사.kr", ""),
			},
			LyncHost: "링크.회사.kr", PoolFQDN: "채팅.회사.kr", Share: `\\파일서버\공유'`, CopyFolder: `D:\복사]`, MirrorShare: `\\파일서버\미러`,
			PrimaryServers: []string{"pc1.회사.kr"},
		},
		"line break": {
			Environment: "a\nb", ChatDB: "mgc\n  ]x", ComplianceDB: "comp\r\n'",
			Instances: map[probes.Role]steps.InstanceNames{
				probes.Primary: inst("P\n", "p\n.x", ""), probes.PrimaryMirror: inst("PM", "pm", ""),
				probes.Backup: inst("B\nB", "b", ""), probes.BackupMirror: inst("BM", "bm", ""),
			},
			LyncHost: "l", PoolFQDN: "pool\n", PoolIdentity: "id\n'", Share: "\\\\s\\a\nb", CopyFolder: "C:\\c\nd", MirrorShare: "\\\\s\\m\n",
			PrimaryServers: []string{"pc\n1"},
		},
	}
}

// hostileServer is what @@SERVERNAME reports for a role: deliberately not the configured display name, since the
// log-shipping procedures must get the server's own name.
func hostileServer(n steps.Names, r probes.Role) string { return n.Instance(r).Name + "\\I']N" }

// resolvableEnv is a snapshot in which every step's plan resolves: the backup databases mirrored, the pool's
// identity reported, server names known, and the evidence of F3 and F3b (whose FILELISTONLY shows files at other
// paths than the primary's, so F4 needs MOVE clauses).
func resolvableEnv(n steps.Names) steps.Env {
	snap := probes.Snapshot{Seq: 1, Instances: map[probes.Role]*probes.Instance{}}
	for _, r := range probes.Roles() {
		snap.Instances[r] = &probes.Instance{Role: r, Name: n.Instance(r).Name, Server: hostileServer(n, r), Reachable: true,
			Databases: map[string]*probes.Database{}}
	}
	mir := probes.Mirroring{GUID: "F7D05008-187B-4395-AFC0-762E51CFFAF8", Role: "PRINCIPAL", State: "SYNCHRONIZED"}
	for _, db := range []string{n.ChatDB, n.ComplianceDB} {
		snap.Instances[probes.Backup].Databases[db] = &probes.Database{Name: db, Exists: true, State: "ONLINE", Mirroring: mir}
	}
	snap.Instances[probes.Primary].Databases[n.ChatDB] = &probes.Database{Name: n.ChatDB, Exists: true, State: "ONLINE",
		Files: []probes.DBFile{{Logical: n.ChatDB, Physical: `D:\Data\` + n.ChatDB + `.mdf`}, {Logical: n.ChatDB + "_log", Physical: `L:\` + n.ChatDB + "'.ldf"}}}
	snap.Pool = probes.Pool{Reachable: true, Identity: "service:" + n.PoolFQDN + "'`$", FQDN: n.PoolFQDN, State: "FailedOver"}
	return steps.Env{Names: n, Snap: snap, Now: stamp.Add(90 * time.Second), Stamp: stamp, Runs: map[steps.ID]*steps.Evidence{}}
}

// fileList is F3b's FILELISTONLY result as the primary saw it: the backup's files at the backup instance's paths.
func fileList(n steps.Names) probes.ResultSet {
	return probes.ResultSet{
		Columns: []string{"LogicalName", "PhysicalName", "Type", "FileGroupName"},
		Rows: [][]any{
			{n.ChatDB, `E:\Other]'\` + n.ChatDB + `.mdf`, "D", "PRIMARY"},
			{n.ChatDB + "_log", `L:\` + n.ChatDB + "'.ldf", "L", nil},
		},
	}
}

// resolveAll resolves every step in order, recording the evidence later plans read.
func resolveAll(t *testing.T, n steps.Names) (map[steps.ID]steps.Plan, steps.Env) {
	t.Helper()
	env := resolvableEnv(n)
	plans := map[steps.ID]steps.Plan{}
	for _, s := range steps.Catalog() {
		p, err := s.Plan(env)
		if err != nil {
			t.Fatalf("%s: %v", s.ID, err)
		}
		plans[s.ID] = p
		ev := &steps.Evidence{Plan: p, Succeeded: true}
		if s.ID == steps.F3b {
			ev.Scripts = []steps.ScriptResult{
				{Target: steps.Target{Role: probes.Backup}, Ran: true},
				{Target: steps.Target{Role: probes.Primary}, Ran: true, Sets: []probes.ResultSet{fileList(n)}},
			}
		}
		env.Runs[s.ID] = ev
	}
	return plans, env
}

// runSQL parses a script, checks its top-level statements, and runs it against a recorder.
func runSQL(t *testing.T, s steps.Script, verbs []string, singleUser ...string) *sqlRecorder {
	t.Helper()
	if s.Lang != steps.TSQL || s.Database != "master" {
		t.Fatalf("script %q: language %v, database %q", s.Purpose, s.Lang, s.Database)
	}
	b, err := tsql.Parse(s.Text)
	if err != nil {
		t.Fatalf("script %q does not parse: %v\n%s", s.Purpose, err, s.Text)
	}
	var got []string
	for _, st := range b.Statements {
		got = append(got, st.Verb())
	}
	if !reflect.DeepEqual(got, verbs) {
		t.Fatalf("script %q: statements %q, want %q\n%s", s.Purpose, got, verbs, s.Text)
	}
	h := &sqlRecorder{singleUser: singleUser}
	out := &errOutput{}
	if err := tsql.Run(context.Background(), h, &tsql.Session{}, s.Text, out); err != nil || len(out.errs) > 0 {
		t.Fatalf("script %q: %v %v\n%s", s.Purpose, err, out.errs, s.Text)
	}
	return h
}

// runPS parses a PowerShell script and runs it against a recorder.
func runPS(t *testing.T, s steps.Script) *psRecorder {
	t.Helper()
	if s.Lang != steps.PowerShell || !s.Target.Lync {
		t.Fatalf("script %q: language %v on %+v", s.Purpose, s.Lang, s.Target)
	}
	if _, err := pwsh.Parse(s.Text); err != nil {
		t.Fatalf("script %q does not parse: %v\n%s", s.Purpose, err, s.Text)
	}
	h := &psRecorder{}
	out := &consoleOutput{}
	code, err := pwsh.Run(context.Background(), h, s.Text, out)
	if err != nil || code != 0 || len(out.err) > 0 {
		t.Fatalf("script %q: exit %d, %v, %q\n%s", s.Purpose, code, err, out.err, s.Text)
	}
	if len(h.calls) == 0 || h.calls[0].name != "Import-Module" {
		t.Fatalf("script %q does not start by importing the Lync module: %+v", s.Purpose, h.calls)
	}
	h.calls = h.calls[1:]
	return h
}

// want compares one recorded value.
func want(t *testing.T, what string, got, exp any) {
	t.Helper()
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("%s = %#v, want %#v", what, got, exp)
	}
}

func TestScriptsKeepHostileNamesIntact(t *testing.T) {
	for label, n := range hostileNames() {
		t.Run(label, func(t *testing.T) {
			plans, env := resolveAll(t, n)
			path := strings.TrimRight(n.Share, `\`) + `\` + n.ChatDB + "_failback_20240312_093000.bak"
			lsinit := strings.TrimRight(n.Share, `\`) + `\` + n.ChatDB + "_lsinit_20240312_093000.bak"
			for _, s := range steps.Catalog() {
				p := plans[s.ID]
				if p.Step != s.ID || len(p.Digest) != 64 {
					t.Errorf("%s: plan step %s digest %q", s.ID, p.Step, p.Digest)
				}
				t.Run(string(s.ID), func(t *testing.T) { checkPlan(t, s.ID, p, n, env, path, lsinit) })
			}
		})
	}
}

func checkPlan(t *testing.T, id steps.ID, p steps.Plan, n steps.Names, env steps.Env, path, lsinit string) {
	id2 := env.Snap.Pool.Identity
	if n.PoolIdentity != "" {
		id2 = n.PoolIdentity
	}
	serverP, serverB := hostileServer(n, probes.Primary), hostileServer(n, probes.Backup)
	switch id {
	case steps.F0:
		for i, r := range []probes.Role{probes.Backup, probes.Primary} {
			want(t, "F0 target", p.Scripts[i].Target, steps.Target{Role: r})
			h := runSQL(t, p.Scripts[i], []string{"SELECT", "SELECT", "EXECUTE", "SELECT"})
			want(t, "xp_fileexist argument", h.execsOf("xp_fileexist")[0].args[""], n.Share)
			var dbIDs []tsql.Value
			for _, f := range h.funcs {
				if f.name == "DB_ID" {
					dbIDs = append(dbIDs, f.args[0])
				}
			}
			want(t, "DB_ID arguments", dbIDs, []tsql.Value{n.ChatDB, n.ComplianceDB})
		}
		h := runPS(t, p.Scripts[2])
		want(t, "F0 cmdlets", names(h.calls), []string{"Get-CsPersistentChatState", "New-Object"})
		want(t, "GetDrive argument", h.methods[0].args, []pwsh.Value{n.Share})
	case steps.F1:
		h := runPS(t, p.Scripts[0])
		want(t, "F1 cmdlets", names(h.calls), []string{"Set-CsPersistentChatActiveServer"})
		want(t, "-Identity", must(h.calls[0].param("Identity")), id2)
		want(t, "-ActiveServers", must(h.calls[0].param("ActiveServers")), nil)
		want(t, "-Confirm", must(h.calls[0].param("Confirm")), false)
	case steps.F2:
		want(t, "F2 target", p.Scripts[0].Target, steps.Target{Role: probes.Backup})
		h := runSQL(t, p.Scripts[0], []string{"USE", "ALTER DATABASE", "ALTER DATABASE"})
		want(t, "USE", h.uses, []string{"master"})
		for i := range h.alters {
			h.alters[i].Line = 0
		}
		want(t, "F2 alters", h.alters, []tsql.AlterDatabaseSpec{
			{Database: n.ChatDB, Action: tsql.AlterPartnerOff}, {Database: n.ComplianceDB, Action: tsql.AlterPartnerOff}})
	case steps.F3:
		want(t, "F3 backup file", p.Params[steps.ParamBackup], path)
		h := runSQL(t, p.Scripts[0], []string{"USE", "BACKUP DATABASE"})
		b := h.backups[0]
		want(t, "BACKUP database", b.Database, n.ChatDB)
		want(t, "BACKUP disks", b.Disks, []string{path})
		want(t, "BACKUP name", b.Name, n.ChatDB+"-Full Failback")
		want(t, "BACKUP description", b.Description, "Persistent Chat failback, "+n.Environment)
		want(t, "BACKUP options", []any{b.Init, b.Format, b.Checksum, b.CopyOnly, b.Stats}, []any{true, true, true, false, 10})
	case steps.F3b:
		for i, r := range []probes.Role{probes.Backup, probes.Primary} {
			want(t, "F3b target", p.Scripts[i].Target, steps.Target{Role: r})
			h := runSQL(t, p.Scripts[i], []string{"RESTORE VERIFYONLY", "RESTORE HEADERONLY", "RESTORE FILELISTONLY"})
			for _, rs := range h.restores {
				want(t, "RESTORE "+fmt.Sprint(rs.Kind)+" disks", rs.Disks, []string{path})
			}
			want(t, "VERIFYONLY checksum", h.restores[0].Checksum, true)
		}
	case steps.F4:
		h := runSQL(t, p.Scripts[0], []string{"USE", "ALTER DATABASE", "RESTORE DATABASE", "IF"}, n.ChatDB)
		want(t, "F4 alters", alterActions(h.alters, n.ChatDB), []tsql.AlterAction{tsql.AlterSingleUser, tsql.AlterMultiUser})
		want(t, "SINGLE_USER termination", h.alters[0].Termination, tsql.TerminateRollbackImmediate)
		r := h.restores[0]
		want(t, "RESTORE database", r.Database, n.ChatDB)
		want(t, "RESTORE disks", r.Disks, []string{path})
		want(t, "RESTORE options", []any{r.Replace, r.Recovery, r.Checksum, r.File}, []any{true, tsql.RecoveryRecover, true, 1})
		want(t, "RESTORE MOVE", r.Moves, []tsql.Move{{Logical: n.ChatDB, Physical: `D:\Data\` + n.ChatDB + `.mdf`}})
		want(t, "F4 confirmation", find(steps.F4).Confirmation(env), n.ChatDB+"@"+n.Instance(probes.Primary).Name)
	case steps.F5a:
		h := runPS(t, p.Scripts[0])
		want(t, "F5a cmdlets", names(h.calls), []string{"Install-CsMirrorDatabase", "Install-CsMirrorDatabase"})
		for i, typ := range []string{"PersistentChat", "PersistentChatCompliance"} {
			c := h.calls[i]
			want(t, "-SqlServerFqdn", must(c.param("SqlServerFqdn")), n.Instance(probes.Primary).Host)
			if inst := n.Instance(probes.Primary).SQLInstance; inst != "" {
				want(t, "-SqlInstanceName", must(c.param("SqlInstanceName")), inst)
			} else if _, ok := c.param("SqlInstanceName"); ok {
				t.Error("-SqlInstanceName given for a default instance")
			}
			want(t, "-DatabaseType", must(c.param("DatabaseType")), typ)
			want(t, "-FileShare", must(c.param("FileShare")), n.MirrorShare)
			want(t, "-DropExistingDatabasesOnMirror", must(c.param("DropExistingDatabasesOnMirror")), true)
		}
	case steps.F5b:
		want(t, "F5b init file", p.Params[steps.ParamLSInit], lsinit)
		want(t, "F5b targets", []steps.Target{p.Scripts[0].Target, p.Scripts[1].Target},
			[]steps.Target{{Role: probes.Primary}, {Role: probes.Backup}})
		h := runSQL(t, p.Scripts[0], []string{"USE", "BACKUP DATABASE"})
		want(t, "BACKUP database", h.backups[0].Database, n.ChatDB)
		want(t, "BACKUP disks", h.backups[0].Disks, []string{lsinit})
		h = runSQL(t, p.Scripts[1], []string{"USE", "ALTER DATABASE", "RESTORE DATABASE", "IF"})
		want(t, "RESTORE database", h.restores[0].Database, n.ChatDB)
		want(t, "RESTORE disks", h.restores[0].Disks, []string{lsinit})
		want(t, "RESTORE recovery", h.restores[0].Recovery, tsql.RecoveryNoRecovery)
		// RESTORING after NORECOVERY: sys.databases shows no ONLINE SINGLE_USER row, so no SET MULTI_USER.
		want(t, "F5b alters", alterActions(h.alters, n.ChatDB), []tsql.AlterAction{tsql.AlterSingleUser})
	case steps.F5c:
		want(t, "F5c target", p.Scripts[0].Target, steps.Target{Role: probes.Primary})
		h := runSQL(t, p.Scripts[0], []string{"USE", "DECLARE", "EXECUTE", "IF", "EXECUTE", "EXECUTE", "EXECUTE"})
		checkLSPrimary(t, h, n, serverB, true)
	case steps.F5d:
		want(t, "F5d target", p.Scripts[0].Target, steps.Target{Role: probes.Backup})
		h := runSQL(t, p.Scripts[0], []string{"USE", "DECLARE", "EXECUTE", "IF"})
		copyJob, restoreJob := "LSCopy_"+serverP+"_"+n.ChatDB, "LSRestore_"+serverP+"_"+n.ChatDB
		sp := h.execsOf("sp_add_log_shipping_secondary_primary")[0].args
		want(t, "@primary_server", sp["@primary_server"], serverP)
		want(t, "@primary_database", sp["@primary_database"], n.ChatDB)
		want(t, "@backup_source_directory", sp["@backup_source_directory"], n.Share)
		want(t, "@backup_destination_directory", sp["@backup_destination_directory"], n.CopyFolder)
		want(t, "@copy_job_name", sp["@copy_job_name"], copyJob)
		want(t, "@restore_job_name", sp["@restore_job_name"], restoreJob)
		want(t, "schedules", scheduleNames(h), []tsql.Value{"DefaultCopyJobSchedule", "DefaultRestoreJobSchedule"})
		sd := h.execsOf("sp_add_log_shipping_secondary_database")[0].args
		want(t, "secondary database", []tsql.Value{sd["@secondary_database"], sd["@primary_server"], sd["@primary_database"], sd["@restore_mode"]},
			[]tsql.Value{n.ChatDB, serverP, n.ChatDB, int64(0)})
		want(t, "jobs enabled", len(h.execsOf("sp_update_job")), 2)
		want(t, "job started", h.execsOf("sp_start_job")[0].args["@job_name"], copyJob)
	case steps.F5e:
		if len(p.Scripts) != 3 || p.Scripts[0].Always || p.Scripts[1].Always || !p.Scripts[2].Always {
			t.Fatalf("F5e scripts: %+v", p.Scripts)
		}
		for i, principal := range map[int]string{0: "Mirror", 2: "Primary"} {
			h := runPS(t, p.Scripts[i])
			want(t, "F5e cmdlet", names(h.calls), []string{"Invoke-CsDatabaseFailover"})
			want(t, "-PoolFqdn", must(h.calls[0].param("PoolFqdn")), n.PoolFQDN)
			want(t, "-DatabaseType", must(h.calls[0].param("DatabaseType")), "PersistentChat")
			want(t, "-NewPrincipal", must(h.calls[0].param("NewPrincipal")), principal)
		}
		want(t, "F5e SQL target", p.Scripts[1].Target, steps.Target{Role: probes.PrimaryMirror})
		h := runSQL(t, p.Scripts[1], []string{"USE", "DECLARE", "EXECUTE", "IF", "EXECUTE", "EXECUTE"})
		checkLSPrimary(t, h, n, serverB, false)
	case steps.F6a:
		h := runPS(t, p.Scripts[0])
		want(t, "F6a cmdlets", names(h.calls), []string{"Set-CsPersistentChatState", "Get-CsPersistentChatState"})
		want(t, "-Identity", must(h.calls[0].param("Identity")), id2)
		want(t, "-PoolState", must(h.calls[0].param("PoolState")), "Normal")
		want(t, "Get -Identity", must(h.calls[1].param("Identity")), id2)
	case steps.F6b:
		h := runPS(t, p.Scripts[0])
		want(t, "F6b cmdlets", names(h.calls), []string{"Set-CsPersistentChatActiveServer"})
		want(t, "-Identity", must(h.calls[0].param("Identity")), id2)
		list, ok := must(h.calls[0].param("ActiveServers")).(*pwsh.Hashtable)
		if !ok || len(list.Keys) != 1 || list.Keys[0] != "Replace" {
			t.Fatalf("-ActiveServers %#v", list)
		}
		var servers []string
		switch v := list.Values[0].(type) {
		case []pwsh.Value:
			for _, s := range v {
				servers = append(servers, fmt.Sprint(s))
			}
		case string:
			servers = []string{v}
		}
		want(t, "Replace list", servers, n.PrimaryServers)
	default:
		t.Fatalf("no expectations for %s", id)
	}
}

// checkLSPrimary checks the primary-side log-shipping script's procedure arguments.
func checkLSPrimary(t *testing.T, h *sqlRecorder, n steps.Names, secondary string, startJob bool) {
	t.Helper()
	job := "LSBackup_" + n.ChatDB
	pd := h.execsOf("sp_add_log_shipping_primary_database")[0].args
	want(t, "@database", pd["@database"], n.ChatDB)
	want(t, "@backup_directory", pd["@backup_directory"], n.Share)
	want(t, "@backup_share", pd["@backup_share"], n.Share)
	want(t, "@backup_job_name", pd["@backup_job_name"], job)
	want(t, "schedule", scheduleNames(h), []tsql.Value{"LSBackupSchedule_" + n.ChatDB})
	want(t, "schedule start", h.execsOf("sp_add_schedule")[0].args["@active_start_date"], int64(20240312))
	want(t, "schedule attached", len(h.execsOf("sp_attach_schedule")), 1)
	want(t, "alert job", len(h.execsOf("sp_add_log_shipping_alert_job")), 1)
	ps := h.execsOf("sp_add_log_shipping_primary_secondary")[0].args
	want(t, "primary_secondary", []tsql.Value{ps["@primary_database"], ps["@secondary_server"], ps["@secondary_database"]},
		[]tsql.Value{n.ChatDB, secondary, n.ChatDB})
	starts := h.execsOf("sp_start_job")
	if startJob {
		want(t, "job started", len(starts), 1)
		want(t, "@job_name", starts[0].args["@job_name"], job)
	} else {
		want(t, "job started", len(starts), 0)
	}
}

func scheduleNames(h *sqlRecorder) []tsql.Value {
	var out []tsql.Value
	for _, c := range h.execsOf("sp_add_schedule") {
		out = append(out, c.args["@schedule_name"])
	}
	return out
}

func alterActions(as []tsql.AlterDatabaseSpec, db string) []tsql.AlterAction {
	var out []tsql.AlterAction
	for _, a := range as {
		if a.Database == db {
			out = append(out, a.Action)
		}
	}
	return out
}

func names(calls []psCall) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.name)
	}
	return out
}

func must(v pwsh.Value, ok bool) pwsh.Value {
	if !ok {
		return "<missing>"
	}
	return v
}

func find(id steps.ID) steps.Step {
	s, _ := steps.Find(steps.Catalog(), id)
	return s
}

// A plan names its targets once each, in the order its scripts run.
func TestPlanTargets(t *testing.T) {
	n := steps.Names{LyncHost: "lyncfe01.contoso.local", Instances: map[probes.Role]steps.InstanceNames{
		probes.Backup: {Name: "SQLBACKUP"}, probes.Primary: {Name: "SQLPRIMARY"}}}
	p := steps.Plan{Scripts: []steps.Script{
		{Target: steps.Target{Role: probes.Backup}}, {Target: steps.Target{Role: probes.Primary}},
		{Target: steps.Target{Role: probes.Backup}}, {Target: steps.Target{Lync: true}},
	}}
	if got := p.Targets(n); got != "SQLBACKUP, SQLPRIMARY, lyncfe01.contoso.local" {
		t.Errorf("Targets = %q", got)
	}
}
