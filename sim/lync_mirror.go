package sim

import (
	"strings"

	"pcfailback/pwsh"
	"pcfailback/tsql"
)

func init() {
	defineCmdlet(&cmdlet{name: "Install-CsMirrorDatabase", write: true, run: runInstallMirror, params: []psParam{
		named("SqlServerFqdn"), named("SqlInstanceName"), named("DatabaseType"), named("FileShare"),
		sw("DropExistingDatabasesOnMirror"), named("ExcludeDatabaseList"), named("DatabasePathMap"),
		sw("ForInstance"), sw("ForDefaultInstance"), sw("ConfiguredDatabases"), sw("Update"), named("Report"),
		sw("Force"), sw("UseDefaultSqlPaths"),
	}})
	defineCmdlet(&cmdlet{name: "Uninstall-CsMirrorDatabase", write: true, run: runUninstallMirror, params: []psParam{
		named("SqlServerFqdn"), named("SqlInstanceName"), named("DatabaseType"), sw("DropExistingDatabasesOnMirror"),
		named("ExcludeDatabaseList"), sw("Force"), named("Report"),
	}})
	defineCmdlet(&cmdlet{name: "Invoke-CsDatabaseFailover", write: true, run: runInvokeFailover, params: []psParam{
		named("PoolFqdn"), named("DatabaseType"), named("NewPrincipal"), sw("Force"), named("Report"),
	}})
	defineCmdlet(&cmdlet{name: "Get-CsDatabaseMirrorState", run: runGetMirrorState, params: []psParam{
		named("PoolFqdn"), named("DatabaseType"), named("Report"),
	}})
}

// databaseTypes maps -DatabaseType values to the pool's databases.
func (c *cmdletCall) databaseTypes(required bool) ([]string, error) {
	v := c.b.get("DatabaseType")
	if v == nil {
		if required {
			return nil, c.require("DatabaseType")
		}
		return []string{c.s.topo.ChatDB, c.s.topo.ComplianceDB}, nil
	}
	var out []string
	for _, x := range flatten(v) {
		switch strings.ToLower(psText(x)) {
		case "persistentchat":
			out = append(out, c.s.topo.ChatDB)
		case "persistentchatcompliance":
			out = append(out, c.s.topo.ComplianceDB)
		case "user", "application", "archiving", "centralmgmt", "monitoring", "provision", "cms", "app":
			// Valid Lync database types that this pool does not host.
		default:
			return nil, c.fail("InvalidData", "ParameterArgumentValidationError", "Cannot validate argument on parameter "+
				"'DatabaseType'. The argument \"%s\" does not belong to the set \"User,Application,Archiving,CentralMgmt,"+
				"Monitoring,PersistentChat,PersistentChatCompliance\" specified by the ValidateSet attribute. Supply an "+
				"argument that is in the set and then try the command again.", psText(x))
		}
	}
	return out, nil
}

// mirrorPair finds the instance named by -SqlServerFqdn and its mirror in the topology (P→PM, B→BM).
func (c *cmdletCall) mirrorPair() (*instance, *instance, error) {
	name := c.b.text("SqlServerFqdn")
	in := c.s.instance(name)
	if in == nil {
		// (unverified) text
		return nil, nil, c.fail("ObjectNotFound", "SqlServerNotFound", "Cannot find SQL Server \"%s\" in the topology.", name)
	}
	if in.role == rolePrimaryMirror || in.role == roleBackupMirror {
		// (unverified) text
		return nil, nil, c.fail("InvalidOperation", "NoMirrorDefined", "No mirror is defined in the topology for the SQL Server store \"%s\". Specify the store's primary SQL Server.", in.spec.FQDN)
	}
	return in, c.s.partnerOf(in), nil
}

// sqlText renders SQL errors for a cmdlet message.
func sqlText(err error) string {
	switch e := err.(type) {
	case tsql.Errors:
		parts := make([]string, len(e))
		for i, x := range e {
			parts[i] = x.Text
		}
		return strings.Join(parts, " ")
	case *tsql.Error:
		return e.Text
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func runInstallMirror(c *cmdletCall) ([]pwsh.Value, error) {
	if err := c.require("SqlServerFqdn", "FileShare"); err != nil {
		return nil, err
	}
	dbs, err := c.databaseTypes(!c.b.flag("ConfiguredDatabases"))
	if err != nil {
		return nil, err
	}
	principal, mirror, err := c.mirrorPair()
	if err != nil {
		return nil, err
	}
	for _, db := range dbs {
		if err := c.installMirror(principal, mirror, db); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func runUninstallMirror(c *cmdletCall) ([]pwsh.Value, error) {
	if err := c.require("SqlServerFqdn"); err != nil {
		return nil, err
	}
	dbs, err := c.databaseTypes(true)
	if err != nil {
		return nil, err
	}
	principal, mirror, err := c.mirrorPair()
	if err != nil {
		return nil, err
	}
	// Stream lines are written after the estate is released: the console's handler may query the estate.
	type line struct {
		warning bool
		text    string
	}
	var lines []line
	s := c.s
	s.lock()
	for _, name := range dbs {
		d := principal.db(name)
		if d == nil || d.mirror == nil {
			if md := mirror.db(name); md != nil && md.mirror != nil {
				d = md
			}
		}
		if d == nil || d.mirror == nil {
			lines = append(lines, line{true, "Database \"" + name + "\" is not mirrored on \"" + principal.spec.FQDN + "\"."})
			continue
		}
		lines = append(lines, line{false, "Removing database mirroring for \"" + name + "\" between \"" + principal.spec.FQDN + "\" and \"" + mirror.spec.FQDN + "\"."})
		owner := principal
		if d != principal.db(name) {
			owner = mirror
		}
		s.removeMirroring(owner, d)
		if c.b.flag("DropExistingDatabasesOnMirror") {
			for _, in := range []*instance{principal, mirror} {
				if x := in.db(name); x != nil && x.state == stateRestoring {
					lines = append(lines, line{false, "Dropping database \"" + name + "\" on \"" + in.spec.FQDN + "\"."})
					in.dropDB(x)
				}
			}
		}
	}
	s.unlock()
	for _, l := range lines {
		if l.warning {
			c.streams.Warning(l.text)
		} else {
			c.streams.Verbose(l.text)
		}
	}
	return nil, nil
}

func runInvokeFailover(c *cmdletCall) ([]pwsh.Value, error) {
	if err := c.require("PoolFqdn", "DatabaseType", "NewPrincipal"); err != nil {
		return nil, err
	}
	dbs, err := c.databaseTypes(true)
	if err != nil {
		return nil, err
	}
	newPrincipal := strings.ToLower(c.b.text("NewPrincipal"))
	if newPrincipal != "primary" && newPrincipal != "mirror" {
		return nil, c.fail("InvalidData", "ParameterArgumentValidationError", "Cannot validate argument on parameter "+
			"'NewPrincipal'. The argument \"%s\" does not belong to the set \"Primary,Mirror\" specified by the "+
			"ValidateSet attribute. Supply an argument that is in the set and then try the command again.", c.b.text("NewPrincipal"))
	}
	s := c.s
	if !strings.EqualFold(c.b.text("PoolFqdn"), s.topo.PoolFQDN) {
		return nil, c.fail("ObjectNotFound", "PoolNotFound", "Cannot find pool \"%s\" in the topology.", c.b.text("PoolFqdn"))
	}
	primary, mirror := s.instanceByRole(rolePrimary), s.instanceByRole(rolePrimaryMirror)
	for _, name := range dbs {
		from, to := primary, mirror
		if newPrincipal == "primary" {
			from, to = mirror, primary
		}
		s.lock()
		d := from.db(name)
		switch {
		case d == nil || d.mirror == nil:
			if td := to.db(name); td != nil && td.mirror != nil && td.mirror.role == rolePrincipal {
				s.unlock()
				// (unverified) text
				return nil, c.fail("InvalidOperation", "AlreadyPrincipal", "The database \"%s\" is already the principal on \"%s\".", name, to.spec.FQDN)
			}
			s.unlock()
			return nil, c.fail("InvalidOperation", "MirroringNotConfigured", "Database mirroring is not configured for database \"%s\" of pool \"%s\".", name, s.topo.PoolFQDN)
		case d.mirror.role != rolePrincipal:
			s.unlock()
			return nil, c.fail("InvalidOperation", "AlreadyPrincipal", "The database \"%s\" is already the principal on \"%s\".", name, to.spec.FQDN)
		case d.mirror.state != mirrorSynchronized:
			s.unlock()
			return nil, c.fail("InvalidOperation", "FailoverFailed", "Failover of database \"%s\" failed: The mirror server instance is not caught up to the recent changes to database \"%s\". Unable to fail over.", name, name)
		}
		s.unlock()
		c.streams.Verbose("Failing over database \"" + name + "\" from \"" + from.spec.FQDN + "\" to \"" + to.spec.FQDN + "\".")
		if err := s.clk.Sleep(c.ctx, failoverPause); err != nil {
			return nil, err
		}
		s.lock()
		if d := from.db(name); d != nil && d.mirror != nil && d.mirror.role == rolePrincipal && d.mirror.state == mirrorSynchronized {
			s.failoverMirroring(from, d)
		}
		s.unlock()
		c.streams.Verbose("Database \"" + name + "\" is now principal on \"" + to.spec.FQDN + "\".")
	}
	return nil, nil
}

func runGetMirrorState(c *cmdletCall) ([]pwsh.Value, error) {
	if err := c.require("PoolFqdn"); err != nil {
		return nil, err
	}
	dbs, err := c.databaseTypes(false)
	if err != nil {
		return nil, err
	}
	s := c.s
	if !strings.EqualFold(c.b.text("PoolFqdn"), s.topo.PoolFQDN) {
		return nil, c.fail("ObjectNotFound", "PoolNotFound", "Cannot find pool \"%s\" in the topology.", c.b.text("PoolFqdn"))
	}
	s.lock()
	defer s.unlock()
	primary, mirror := s.instanceByRole(rolePrimary), s.instanceByRole(rolePrimaryMirror)
	var out []pwsh.Value
	for _, name := range dbs {
		state := func(in *instance) (string, string) {
			d := in.db(name)
			if d == nil || d.mirror == nil {
				return "DatabaseInaccessibleOrMirroringNotEnabled", "DatabaseInaccessibleOrMirroringNotEnabled"
			}
			role := "Principal"
			if d.mirror.role == roleMirror {
				role = "Mirror"
			}
			st := strings.ToLower(mirrorStateDesc(d.mirror.state))
			return role, strings.ToUpper(st[:1]) + st[1:]
		}
		sp, mp := state(primary)
		sm, mm := state(mirror)
		out = append(out, &pwsh.Object{TypeName: "Microsoft.Rtc.Management.Deployment.DatabaseMirrorState", Props: []pwsh.Prop{
			{Name: "PoolFqdn", Value: s.topo.PoolFQDN}, {Name: "DatabaseName", Value: name},
			{Name: "StateOnPrimary", Value: sp}, {Name: "StateOnMirror", Value: sm},
			{Name: "MirroringStatusOnPrimary", Value: mp}, {Name: "MirroringStatusOnMirror", Value: mm},
		}})
	}
	return out, nil
}
