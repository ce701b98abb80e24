package steps

import (
	"fmt"
	"strings"

	"pcfailback/pwsh"
)

// articleOrder explains why F6 runs in another order than the article's.
const articleOrder = "Article order: set the active servers (its step 6), then pool state Normal (its closing command). " +
	"This console sets Normal first: a server activated while the pool is FailedOver would connect to the backup database, " +
	"which F5b left RESTORING (procedure.md §2 F6, §6 Q4)."

// poolNormal is F6a: the article's closing command, moved before the active servers.
func poolNormal() Step {
	return Step{
		ID: F6a, Title: "Pool state Normal", Source: "article closing command (run first, see note)",
		Changes: "the pool uses its primary databases again",
		Notes:   []string{articleOrder, "The article writes the identity as \"service: <fqdn>\" with a space; the console uses the identity Get-CsPersistentChatState returns."},
		Verify:  []string{"Get-CsPersistentChatState: PoolState Normal"},
		plan: func(env Env) (Plan, error) {
			id, err := env.poolIdentity()
			if err != nil {
				return Plan{}, err
			}
			return Plan{Scripts: []Script{psOnLync("set the pool state to Normal", psScript(
				"Set-CsPersistentChatState -Identity "+pwsh.Quote(id)+" -PoolState Normal -Confirm:$false",
				"Get-CsPersistentChatState -Identity "+pwsh.Quote(id),
			))}}, nil
		},
		pre: func(env Env) []Check {
			db := env.Names.ChatDB
			return []Check{
				env.dbState(rP, db, "ONLINE", "MULTI_USER"),
				env.primaryRestored(),
				env.notMirrorOf(db),
				env.activeServers(nil),
				env.poolIdentityKnown(),
			}
		},
		post: func(env Env) []Check { return []Check{env.poolState("Normal")} },
	}
}

// notMirrorOf checks that the primary's chat database is not the mirror side (the pool would point at a
// RESTORING copy).
func (env Env) notMirrorOf(db string) Check {
	m := env.inst(rP).Database(db).Mirroring
	c := Check{Text: db + " on " + env.name(rP) + " is the principal or not mirrored", OK: !strings.EqualFold(m.Role, "MIRROR")}
	c.Detail = "mirroring role " + orNone(m.Role)
	if !c.OK {
		c.Advice = "fail the database back to the primary (Invoke-CsDatabaseFailover -NewPrincipal Primary)"
	}
	return c
}

// setActive is F6b (article step 6): the primary data center's servers become the active servers.
func setActive() Step {
	return Step{
		ID: F6b, Title: "Active servers: primary data center", Source: "article step 6 (run after F6a, see note)",
		Changes: "the primary data center's Persistent Chat servers accept clients and connect to the primary databases",
		Notes: []string{
			articleOrder,
			"All active servers must sit in the same data center as the primary database (or one with a low-latency, high-bandwidth link); at most 4.",
			"Replace, not Add: the list was cleared in F1, and Replace states the whole intended list.",
		},
		Verify: []string{"the active server list is exactly the configured primary servers", "Persistent Chat sessions on the primary's mgc, none on the backup"},
		Settle: defaultSettle,
		plan: func(env Env) (Plan, error) {
			id, err := env.poolIdentity()
			if err != nil {
				return Plan{}, err
			}
			if len(env.Names.PrimaryServers) == 0 {
				return Plan{}, fmt.Errorf("no primary data center servers configured")
			}
			return Plan{Scripts: []Script{psOnLync("set the active servers", psScript(
				"Set-CsPersistentChatActiveServer -Identity "+pwsh.Quote(id)+" -ActiveServers @{Replace="+psList(env.Names.PrimaryServers)+"} -Confirm:$false",
			))}}, nil
		},
		pre: func(env Env) []Check {
			return []Check{env.poolState("Normal"), env.serversInPool(), env.dbState(rP, env.Names.ChatDB, "ONLINE", "MULTI_USER"),
				env.primaryRestored(), env.poolIdentityKnown(), env.primaryServersInPrimaryDC()}
		},
		post: func(env Env) []Check {
			return []Check{env.activeServers(env.Names.PrimaryServers), env.pchatOn(), env.noPChatSessions(rB, env.Names.ChatDB)}
		},
	}
}

// serversInPool checks the configured servers against the pool's members (at most four may be active).
func (env Env) serversInPool() Check {
	members := map[string]bool{}
	for _, s := range append(append([]string{}, env.Snap.Pool.Active...), env.Snap.Pool.Inactive...) {
		members[strings.ToLower(s)] = true
	}
	var missing []string
	for _, s := range env.Names.PrimaryServers {
		if !members[strings.ToLower(s)] {
			missing = append(missing, s)
		}
	}
	c := Check{Text: fmt.Sprintf("the %d configured primary servers are in the pool (at most 4)", len(env.Names.PrimaryServers))}
	switch {
	case len(env.Names.PrimaryServers) > 4:
		c.Detail = "more than 4 servers"
	case len(missing) > 0:
		c.Detail = "not in the pool: " + strings.Join(missing, ", ")
		c.Advice = "check primary_servers in the configuration against Topology Builder"
	default:
		c.OK, c.Detail = true, strings.Join(env.Names.PrimaryServers, ", ")
	}
	return c
}

// pchatOn checks that every configured primary server is connected to the primary's chat database.
func (env Env) pchatOn() Check {
	pchat, _ := env.sessionSplit(env.inst(rP).Database(env.Names.ChatDB))
	connected := map[string]bool{}
	for _, g := range pchat {
		connected[short(g.Host)] = true
	}
	var missing []string
	for _, s := range env.Names.PrimaryServers {
		if !connected[short(s)] {
			missing = append(missing, short(s))
		}
	}
	c := Check{Text: "the primary servers are connected to " + env.Names.ChatDB + " on " + env.name(rP), OK: len(missing) == 0}
	c.Detail = "Persistent Chat sessions: " + describeSessions(pchat)
	if !c.OK {
		c.Detail += "; not yet: " + strings.Join(missing, ", ")
	}
	return c
}
