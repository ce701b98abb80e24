package steps_test

import (
	"strings"
	"testing"
	"time"

	"pcfailback/internal/simtest"
	"pcfailback/probes"
	"pcfailback/sim"
	"pcfailback/steps"
)

var contoso = simtest.NamesFrom(sim.DefaultTopology())

func check(cs []steps.Check, text string) *steps.Check {
	for i := range cs {
		if strings.HasPrefix(cs[i].Text, text) {
			return &cs[i]
		}
	}
	return nil
}

func TestAgo(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second: "0s", 42 * time.Second: "42s", 12*time.Minute + 59*time.Second: "12m",
		3*time.Hour + 5*time.Minute: "3h05m", 47 * time.Hour: "47h00m", 52 * time.Hour: "2d04h",
	} {
		if got := steps.Ago(d); got != want {
			t.Errorf("Ago(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestCatalog(t *testing.T) {
	cat := steps.Catalog()
	var ids []string
	for _, s := range cat {
		ids = append(ids, string(s.ID))
		if s.Title == "" || s.Source == "" || s.Changes == "" || len(s.Verify) == 0 {
			t.Errorf("%s lacks a description: %+v", s.ID, s)
		}
		if s.Destructive && s.ReadOnly {
			t.Errorf("%s is both destructive and read-only", s.ID)
		}
	}
	if got := strings.Join(ids, " "); got != "F0 F1 F2 F3 F3b F4 F5a F5b F5c F5d F5e F6a F6b" {
		t.Errorf("catalog order %s", got)
	}
	_, env := resolveAll(t, contoso)
	confirm := map[steps.ID]string{
		steps.F2: "mgc+mgccomp@SQLBACKUP", steps.F4: "mgc@SQLPRIMARY", steps.F5a: "mgc@SQLPRIMARY-MIR", steps.F5b: "mgc@SQLBACKUP",
	}
	for _, s := range cat {
		if got := s.Confirmation(env); got != confirm[s.ID] || s.Destructive != (confirm[s.ID] != "") {
			t.Errorf("%s: destructive %t, confirmation %q", s.ID, s.Destructive, got)
		}
		if s.ReadOnly != (s.ID == steps.F0 || s.ID == steps.F3b) {
			t.Errorf("%s: read-only %t", s.ID, s.ReadOnly)
		}
	}
	if _, ok := steps.Find(cat, "F7"); ok {
		t.Error("Find found a step that does not exist")
	}
}

// A plan's digest identifies its exact text: the same estate and stamp give the same digest, another stamp
// (another file name) another one.
func TestPlanDigest(t *testing.T) {
	env := resolvableEnv(contoso)
	f3 := find(steps.F3)
	a, _ := f3.Plan(env)
	env.Now = env.Now.Add(time.Hour) // the preview fixed the stamp: time passing does not change the text
	b, _ := f3.Plan(env)
	env.Stamp = env.Stamp.Add(time.Second)
	c, _ := f3.Plan(env)
	if a.Digest != b.Digest || a.Scripts[0].Text != b.Scripts[0].Text || a.Digest == c.Digest {
		t.Errorf("digests %s %s %s", a.Digest[:8], b.Digest[:8], c.Digest[:8])
	}
	env.Stamp = time.Time{}
	d, _ := f3.Plan(env)
	if want := `\\fs01.contoso.local\pchatls\mgc_failback_20240312_103130.bak`; d.Params[steps.ParamBackup] != want {
		t.Errorf("without a stamp the file is named from Now: %s", d.Params[steps.ParamBackup])
	}
}

func TestFreshness(t *testing.T) {
	env := resolvableEnv(contoso)
	env.StaleAfter = 5 * time.Minute
	for _, r := range probes.Roles() {
		env.Snap.Instances[r].ProbedAt = env.Now.Add(-6 * time.Minute)
	}
	env.Snap.Instances[probes.Primary].ProbedAt = env.Now.Add(-time.Minute)
	env.Snap.Pool.ProbedAt = env.Now
	pre := find(steps.F3b).Pre(withF3(env))
	if c := check(pre, "SQLBACKUP answers its health probe"); c == nil || c.OK || c.Detail != "last answer 6m ago" {
		t.Errorf("stale backup: %+v", c)
	}
	if c := check(pre, "SQLPRIMARY answers its health probe"); c == nil || !c.OK || c.Detail != "probed 1m ago" {
		t.Errorf("fresh primary: %+v", c)
	}
	env.Snap.Instances[probes.Primary] = &probes.Instance{Role: probes.Primary}
	if c := check(find(steps.F4).Pre(withF3(env)), "SQLPRIMARY answers"); c == nil || c.OK || c.Detail != "not probed yet" {
		t.Errorf("never probed: %+v", c)
	}
	env.Snap.Pool = probes.Pool{Err: "WinRM: access denied", Identity: "service:x"}
	if c := check(find(steps.F6a).Pre(env), "the Lync Management Shell on lyncfe01.contoso.local answers"); c == nil || c.OK ||
		c.Detail != "unreachable: WinRM: access denied" || !strings.Contains(c.Advice, "WinRM") {
		t.Errorf("Lync host down: %+v", c)
	}
}

// withF3 records a run of F3 so the steps after it resolve.
func withF3(env steps.Env) steps.Env {
	p, _ := find(steps.F3).Plan(env)
	env.Runs = map[steps.ID]*steps.Evidence{steps.F3: {Plan: p}}
	return env
}

func TestVersionCheck(t *testing.T) {
	cases := []struct {
		primary, backup string
		ok              bool
	}{
		{"11.0.7001.0", "11.0.7001.0", true},
		{"11.0.7001", "11.0.7001.0", true},
		{"12.0.2000.8", "11.0.7001.0", true},
		{"11.0.10000.0", "11.0.7001.0", true},
		{"10.50.6000.34", "11.0.7001.0", false},
		{"11.0.6020.0", "11.0.7001.0", false},
		{"", "11.0.7001.0", false},
	}
	for _, c := range cases {
		env := withF3(resolvableEnv(contoso))
		env.Snap.Instances[probes.Primary].Version, env.Snap.Instances[probes.Backup].Version = c.primary, c.backup
		got := check(find(steps.F4).Pre(env), "SQLPRIMARY runs the same or a newer SQL Server version")
		if got == nil || got.OK != c.ok || (!c.ok && c.primary != "") != strings.Contains(got.Advice, "3169") {
			t.Errorf("%s vs %s: %+v", c.primary, c.backup, got)
		}
	}
}

// F3b's postconditions read the verification's output; whatever it holds, they judge without crashing.
func TestVerificationEvidence(t *testing.T) {
	header := []string{"BackupName", "DatabaseName", "BackupType", "HasBackupChecksums"}
	valid := []steps.Message{{Number: 3262, Text: "The backup set on file 1 is valid."}}
	cases := []struct {
		name   string
		msgs   []steps.Message
		sets   []probes.ResultSet
		ok     bool
		detail string
	}{
		{"valid", valid, []probes.ResultSet{{Columns: header, Rows: [][]any{{"mgc-Full Failback", "MGC", int64(1), true}}}}, true, "valid; HEADERONLY MGC, full database backup"},
		{"no 3262", nil, []probes.ResultSet{{Columns: header, Rows: [][]any{{"x", "mgc", int64(1), true}}}}, false, `no 3262 "The backup set on file 1 is valid."`},
		{"another database", valid, []probes.ResultSet{{Columns: header, Rows: [][]any{{"x", "master", int64(1), true}}}}, false, "HEADERONLY: DatabaseName master, BackupType 1"},
		{"a log backup", valid, []probes.ResultSet{{Columns: header, Rows: [][]any{{"x", "mgc", int64(2), true}}}}, false, "HEADERONLY: DatabaseName mgc, BackupType 2"},
		{"no checksums", valid, []probes.ResultSet{{Columns: header, Rows: [][]any{{"x", "mgc", int64(1), false}}}}, false, "HEADERONLY: the backup has no checksums"},
		{"short row", valid, []probes.ResultSet{{Columns: header, Rows: [][]any{{"x"}}}}, false, "HEADERONLY: DatabaseName , BackupType "},
		{"no header", valid, []probes.ResultSet{{Columns: []string{"LogicalName"}, Rows: [][]any{{"mgc"}}}, {Columns: header}}, false, "no HEADERONLY result"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := withF3(resolvableEnv(contoso))
			p, err := find(steps.F3b).Plan(env)
			if err != nil {
				t.Fatal(err)
			}
			res := steps.ScriptResult{Ran: true, Messages: c.msgs, Sets: c.sets}
			b, pr := res, res
			b.Target, pr.Target = steps.Target{Role: probes.Backup}, steps.Target{Role: probes.Primary}
			env.Runs[steps.F3b] = &steps.Evidence{Plan: p, Scripts: []steps.ScriptResult{b, pr}}
			post := find(steps.F3b).Post(env)
			if len(post) != 2 || post[0].OK != c.ok || post[1].OK != c.ok || post[0].Detail != c.detail {
				t.Errorf("postconditions:%s", simtest.Describe(post))
			}
		})
	}
}

func TestRestoreMoves(t *testing.T) {
	env := withF3(resolvableEnv(contoso))
	p3b, _ := find(steps.F3b).Plan(env)
	evidence := func(rows ...[]any) {
		env.Runs[steps.F3b] = &steps.Evidence{Plan: p3b, Scripts: []steps.ScriptResult{{Target: steps.Target{Role: probes.Primary}, Ran: true,
			Sets: []probes.ResultSet{{Columns: []string{"LogicalName", "PhysicalName", "FileGroupName"}, Rows: rows}}}}}
	}
	// The backup's files at the primary's own paths: no MOVE.
	evidence([]any{"mgc", `D:\Data\mgc.mdf`, "PRIMARY"}, []any{"MGC_LOG", `l:\MGC'.LDF`, nil})
	if p, err := find(steps.F4).Plan(env); err != nil || strings.Contains(p.Scripts[0].Text, "MOVE") {
		t.Errorf("same paths: %v\n%s", err, p.Scripts[0].Text)
	}
	evidence([]any{"mgc", `E:\x.mdf`, "PRIMARY"}, []any{"mgc_ft", `E:\ft.ndf`, "FT"})
	if _, err := find(steps.F4).Plan(env); err == nil || !strings.Contains(err.Error(), `the backup's file "mgc_ft" has no counterpart in mgc on SQLPRIMARY`) {
		t.Errorf("unknown logical file: %v", err)
	}
	// Rows shorter than their columns (a runner's fault) are read as far as they go.
	evidence([]any{"mgc"})
	if p, err := find(steps.F4).Plan(env); err != nil || !strings.Contains(p.Scripts[0].Text, `MOVE N'mgc' TO N'D:\Data\mgc.mdf'`) {
		t.Errorf("row without a physical name: %v", err)
	}
	evidence([]any{})
	if _, err := find(steps.F4).Plan(env); err == nil {
		t.Error("an empty FILELISTONLY row gave a plan")
	}
}

// After a restart of the console, F3's run is not in memory: the failback backup is found in msdb by its name.
func TestFailbackBackupFoundAfterARestart(t *testing.T) {
	env := resolvableEnv(contoso)
	dev := `\\fs01.contoso.local\pchatls\mgc_failback_20240311_170000.bak`
	env.Snap.Instances[probes.Backup].Databases["mgc"].LastFull = &probes.BackupSet{Type: "D", Name: "MGC-Full Failback", Device: dev}
	p, err := find(steps.F3b).Plan(env)
	if err != nil || p.Params[steps.ParamBackup] != dev {
		t.Fatalf("F3b plan: %v %v", err, p.Params)
	}
	if w := env.WatchedFiles(); len(w) != 1 || w[0] != dev {
		t.Errorf("watched %v", w)
	}
	// The failover day's mirroring backup is not a failback backup.
	env.Snap.Instances[probes.Backup].Databases["mgc"].LastFull.Name = ""
	if _, err := find(steps.F3b).Plan(env); err == nil {
		t.Error("an unnamed full backup was taken for the failback backup")
	}
}

func TestPrimaryServersInPool(t *testing.T) {
	env := resolvableEnv(contoso)
	env.Snap.Pool.State = "Normal"
	env.Snap.Pool.Inactive = []string{"PC01.contoso.local", "pc02.contoso.local"}
	if c := check(find(steps.F6b).Pre(env), "the 2 configured primary servers"); c == nil || !c.OK {
		t.Errorf("members, case-insensitively: %+v", c)
	}
	env.Snap.Pool.Inactive = []string{"pc01.contoso.local"}
	if c := check(find(steps.F6b).Pre(env), "the 2 configured"); c == nil || c.OK || c.Detail != "not in the pool: pc02.contoso.local" {
		t.Errorf("missing member: %+v", c)
	}
	env.Names.PrimaryServers = []string{"a", "b", "c", "d", "e"}
	env.Snap.Pool.Inactive = env.Names.PrimaryServers
	if c := check(find(steps.F6b).Pre(env), "the 5 configured"); c == nil || c.OK || c.Detail != "more than 4 servers" {
		t.Errorf("five servers: %+v", c)
	}
	env.Names.PrimaryServers = nil
	if _, err := find(steps.F6b).Plan(env); err == nil {
		t.Error("F6b resolved without primary servers")
	}
}

// Sessions count as Persistent Chat by host (any server of the pool or the configuration) or by program name.
func TestSessionClassification(t *testing.T) {
	env := resolvableEnv(contoso)
	env.Snap.Pool.Active = []string{"pc03.contoso.local"}
	env.Snap.Instances[probes.Backup].Databases["mgc"].Sessions = []probes.SessionGroup{
		{Host: "PC03", Program: ".Net SqlClient Data Provider", Count: 2},
		{Host: "PCX99", Program: "Persistent Chat Service", Count: 1},
		{Host: "ADMIN-PC07", Program: "Microsoft SQL Server Management Studio", Count: 1},
	}
	env.Snap.Instances[probes.Primary].Databases["mgc"].Sessions = []probes.SessionGroup{{Host: "pc01", Program: "x", Count: 1}}
	pre := find(steps.F5b).Pre(withF3(env))
	if c := check(pre, "no Persistent Chat server is connected to mgc on SQLBACKUP"); c == nil || c.OK || c.Detail != "Persistent Chat sessions: 3 (PC03 ×2, PCX99 ×1)" {
		t.Errorf("Persistent Chat sessions: %+v", c)
	}
	if c := check(pre, "no other sessions in mgc on SQLBACKUP"); c == nil || c.OK || !c.Warn || c.Detail != "other sessions: 1 (ADMIN-PC07 ×1)" {
		t.Errorf("other sessions: %+v", c)
	}
	post := find(steps.F6b).Post(env)
	if c := check(post, "the primary servers are connected"); c == nil || c.OK || c.Detail != "Persistent Chat sessions: 1 (pc01 ×1); not yet: PC02" {
		t.Errorf("F6b connections: %+v", c)
	}
}
