package steps

import (
	"fmt"
	"strings"
	"time"

	"pcfailback/probes"
)

// Checks for faults an operator cannot see from one panel: a pool identity that does not exist, a configured
// primary server that sits in the backup data center, and writes to the backup's mgc after the failback backup.

// ParamFailedOverActive records, in F0's plan, the active servers while the pool was failed over: the failover
// (its step 7) activates exactly the backup data center's servers, so they are the ones F6b must not activate.
const ParamFailedOverActive = "failedover_active"

// poolIdentityKnown checks the pool identity the cmdlets will get against the identities Get-CsPersistentChatState
// lists: a configured identity that is not one of them makes every Get-/Set-CsPersistentChatState and
// Set-CsPersistentChatActiveServer fail.
func (env Env) poolIdentityKnown() Check {
	p := env.Snap.Pool
	configured := strings.TrimSpace(env.Names.PoolIdentity)
	c := Check{Text: "the pool identity the cmdlets get is one Get-CsPersistentChatState lists"}
	switch {
	case configured == "":
		c.OK = true
		c.Detail = "none configured: the console passes back " + orDefault(p.Identity, "what Get-CsPersistentChatState reports")
	case p.Identity == "":
		c.Warn = true
		c.Detail = fmt.Sprintf("configured %q; Get-CsPersistentChatState has not listed the pool yet", configured)
	case strings.EqualFold(configured, p.Identity):
		c.OK, c.Detail = true, "configured "+configured
	case identityFQDN(configured) == identityFQDN(p.Identity) && identityFQDN(configured) != "":
		// Same pool, another form (service: vs PersistentChatServer:): Lync's own documents use both, but whether
		// this pool accepts this one cannot be read from here.
		c.Warn = true
		c.Detail = fmt.Sprintf("configured %q; Get-CsPersistentChatState lists %s", configured, p.Identity)
		c.Advice = "leave pool_identity empty to use the identity Get-CsPersistentChatState reports"
	default:
		c.Detail = fmt.Sprintf("configured %q does not exist; Get-CsPersistentChatState lists %s", configured, p.Identity)
		c.Advice = fmt.Sprintf("the Lync cmdlets would fail with it (Cannot get \"PersistentChatState\" ... because it does not exist): "+
			"set pool_identity to %s, or leave it empty to use what Get-CsPersistentChatState reports", p.Identity)
	}
	return c
}

// identityFQDN is the FQDN part of a service identity ("service:pchat.contoso.local"), lower case.
func identityFQDN(id string) string {
	i := strings.LastIndexByte(id, ':')
	return strings.ToLower(strings.TrimSpace(id[i+1:]))
}

// failedOverActive is the active server list while the pool is failed over, from the live probe when it shows
// FailedOver, else from F0's record.
func (env Env) failedOverActive() ([]string, string) {
	if p := env.Snap.Pool; p.Reachable && strings.EqualFold(p.State, "FailedOver") && len(p.Active) > 0 {
		return p.Active, "active now, with the pool failed over"
	}
	if ev := env.Runs[F0]; ev != nil {
		if list := ev.Plan.Params[ParamFailedOverActive]; list != "" {
			return strings.Split(list, ","), "active while the pool was failed over (F0, " + ev.Started.Format("15:04:05") + ")"
		}
	}
	return nil, ""
}

// primaryServersInPrimaryDC checks that none of the configured primary servers sits in the backup data center.
// Lync's topology cannot tell: a Persistent Chat pool and all its computers belong to one site, and disaster
// recovery stretches that one pool over both data centers (procedure.md §1, §5.7). What does tell: the failover
// (its step 7) activated exactly the backup data center's servers, and while failed over they are the ones
// connected to the backup instance.
func (env Env) primaryServersInPrimaryDC() Check {
	c := Check{Text: "the configured primary servers sit in the primary data center"}
	active, when := env.failedOverActive()
	onBackup := map[string]bool{}
	for _, db := range []string{env.Names.ChatDB, env.Names.ComplianceDB} {
		pchat, _ := env.sessionSplit(env.inst(rB).Database(db))
		for _, g := range pchat {
			onBackup[short(g.Host)] = true
		}
	}
	var wrong []string
	for _, s := range env.Names.PrimaryServers {
		var why []string
		for _, a := range active {
			if strings.EqualFold(strings.TrimSpace(a), s) {
				why = append(why, when)
			}
		}
		if onBackup[short(s)] {
			why = append(why, "connected to "+env.Names.ChatDB+" on "+env.name(rB))
		}
		if len(why) > 0 {
			wrong = append(wrong, s+": "+strings.Join(why, "; "))
		}
	}
	switch {
	case len(wrong) > 0:
		c.Detail = strings.Join(wrong, "; ")
		c.Advice = "the failover activated only the backup data center's servers, so this one sits there: correct " +
			"primary_servers (Topology Builder lists the pool's machines); activating it would serve the pool from the backup data center"
	case active == nil:
		c.OK, c.Warn = false, true
		c.Detail = "no record of the failed-over active list to compare with (run F0 while the pool is failed over)"
		c.Advice = "make sure primary_servers lists only the primary data center's Persistent Chat servers"
	default:
		c.OK = true
		c.Detail = "none was " + when + " (" + strings.Join(active, ", ") + ")"
	}
	return c
}

// unchangedSinceBackup checks that nothing wrote to the backup's chat database after the failback backup: such
// writes are in no backup, F4 would restore without them and F5b would overwrite them (procedure.md §5.2). It
// compares the newest user write SQL Server 2012 counts in sys.dm_db_index_usage_stats (last_user_update, any
// index or heap) with the backup's backup_finish_date, both in the backup instance's own clock. The log position
// would be no better a witness: checkpoints and the backup itself move it without any user write.
func (env Env) unchangedSinceBackup() Check {
	db := env.Names.ChatDB
	in := env.inst(rB)
	d := in.Database(db)
	path := env.failbackBackup()
	c := Check{Text: fmt.Sprintf("%s has not changed since the failback backup", env.dbLabel(rB, db))}
	switch {
	case path == "":
		c.Warn, c.Detail = true, "no failback backup known yet"
		return c
	case d.Exists && !strings.EqualFold(d.State, "ONLINE"):
		c.OK, c.Detail = true, "state "+d.State+": nothing can write to it"
		return c
	}
	b := d.LastFull
	if b == nil || !strings.EqualFold(b.Device, path) || b.Finish.IsZero() {
		c.Warn = true
		c.Detail = "the failback backup is not the newest full backup msdb records; the writes since cannot be compared"
		return c
	}
	finished := b.Finish.Format("15:04:05")
	switch {
	case !d.LastUserWrite.IsZero() && d.LastUserWrite.After(b.Finish):
		_, other := env.sessionSplit(d)
		c.Detail = fmt.Sprintf("written at %s, after the failback backup finished at %s (sys.dm_db_index_usage_stats; sessions in it now: %s)",
			d.LastUserWrite.Format("15:04:05"), finished, describeSessions(other))
		c.Advice = "what was written since is in no backup: stop whatever writes to " + db + " on " + env.name(rB) +
			", then take F3 again (and F3b) so the restore carries it"
	case !in.StartTime.IsZero() && in.StartTime.After(b.Finish):
		c.Warn = true
		c.Detail = fmt.Sprintf("%s restarted at %s, after the backup finished at %s: writes before the restart cannot be seen",
			env.name(rB), in.StartTime.Format(time.DateTime), finished)
		c.Advice = "if anything may have written to it, take F3 again"
	case d.LastUserWrite.IsZero():
		c.OK, c.Detail = true, "no user write since the instance started; backup finished "+finished
	default:
		c.OK, c.Detail = true, "last write "+d.LastUserWrite.Format("15:04:05")+", backup finished "+finished
	}
	return c
}

// interruptedRestore is an advisory shown before F4 when the primary's mgc was left RESTORING by a restore that
// did not complete (a lost connection, a cancel): F4 then restores from the start, without SET SINGLE_USER.
func (env Env) interruptedRestore() Check {
	d := env.inst(rP).Database(env.Names.ChatDB)
	c := Check{Text: fmt.Sprintf("%s is not left RESTORING by an earlier restore", env.dbLabel(rP, env.Names.ChatDB)), Warn: true}
	if restoringPrimary(env) {
		c.Detail = "RESTORING, " + orNone(d.UserAccess) + ": a restore did not complete and the database cannot be used"
		c.Advice = "F4 restores it from the start (the script leaves SET SINGLE_USER out: a RESTORING database refuses it, 5052)"
		return c
	}
	c.OK, c.Detail = true, "state "+orNone(d.State)
	return c
}

// restoringPrimary says the primary's chat database is RESTORING (an interrupted restore), so F4's script must not
// begin with ALTER DATABASE ... SET SINGLE_USER (5052 on a RESTORING database).
func restoringPrimary(env Env) bool {
	d := env.inst(rP).Database(env.Names.ChatDB)
	return d.Exists && strings.EqualFold(d.State, "RESTORING")
}

// failedOverList is the active list F0 records when the pool is failed over.
func failedOverList(p probes.Pool) string {
	if !p.Reachable || !strings.EqualFold(p.State, "FailedOver") {
		return ""
	}
	return strings.Join(p.Active, ",")
}
