package steps

import (
	"fmt"
	"strings"
	"time"

	"pcfailback/probes"
)

// InstanceNames are the configured names of one instance.
type InstanceNames struct {
	// Name is the display name typed in confirmations (SQLPRIMARY).
	Name string
	// Host is the FQDN (Install-CsMirrorDatabase -SqlServerFqdn).
	Host string
	// SQLInstance is the named instance, if any (-SqlInstanceName).
	SQLInstance string
}

// Names are the configured names every script is built from.
type Names struct {
	Environment          string
	ChatDB, ComplianceDB string
	Instances            map[probes.Role]InstanceNames
	LyncHost             string
	PoolFQDN             string
	// PoolIdentity overrides the identity Get-CsPersistentChatState reports.
	PoolIdentity      string
	Share, CopyFolder string
	MirrorShare       string
	PrimaryServers    []string
}

// Instance returns the names of a role.
func (n Names) Instance(r probes.Role) InstanceNames { return n.Instances[r] }

// Evidence is what a step's scripts printed, kept for its postconditions and for later steps (F3b's
// verification is evidence F4 relies on).
type Evidence struct {
	Plan    Plan
	Started time.Time
	Ended   time.Time
	// ServerStart is each target instance's clock when the step started: msdb dates are compared with it.
	ServerStart map[probes.Role]time.Time
	Scripts     []ScriptResult
	// Succeeded is true when every script ran without error.
	Succeeded bool
	// OutputDigest is the SHA-256 of the step's output as written to the log (the journal records it).
	OutputDigest string
}

// ScriptResult is one script's output.
type ScriptResult struct {
	Target   Target
	Messages []Message
	Sets     []probes.ResultSet
	Stdout   []string
	ExitCode int
	Err      string
	Ran      bool
}

// Message is a SQL message kept as evidence.
type Message struct {
	Number int32
	Class  uint8
	Text   string
}

// Env is what a step is judged and resolved against.
type Env struct {
	Names Names
	Snap  probes.Snapshot
	// Now is the console clock's time (simulated time in training).
	Now time.Time
	// Runs holds the evidence of the latest successful run of each step in this console session.
	Runs map[ID]*Evidence
	// StaleAfter is how old a probe may be before checks refuse to trust it.
	StaleAfter time.Duration
	// Stamp is the time written into file names and schedule start dates. A preview fixes it when it opens, so
	// resolving the plan again before running gives the same text; zero means Now.
	Stamp time.Time
}

// stamp is the time a plan's names are made from, to the second.
func (env Env) stamp() time.Time {
	if !env.Stamp.IsZero() {
		return env.Stamp.Truncate(time.Second)
	}
	return env.Now.Truncate(time.Second)
}

// inst returns a role's instance from the snapshot.
func (env Env) inst(r probes.Role) *probes.Instance { return env.Snap.Instance(r) }

// name is a role's display name.
func (env Env) name(r probes.Role) string { return env.Names.Instance(r).Name }

// serverName is the instance's @@SERVERNAME as last probed, falling back to the display name. Log-shipping
// procedures record server names, so they must be the server's own.
func (env Env) serverName(r probes.Role) string {
	if s := env.inst(r).Server; s != "" {
		return s
	}
	return env.name(r)
}

// poolIdentity is the identity the Lync cmdlets get: configured, else what Get-CsPersistentChatState reported.
func (env Env) poolIdentity() (string, error) {
	if env.Names.PoolIdentity != "" {
		return env.Names.PoolIdentity, nil
	}
	if env.Snap.Pool.Identity != "" {
		return env.Snap.Pool.Identity, nil
	}
	if e := env.Snap.Pool.Err; e != "" {
		return "", fmt.Errorf("the pool identity is not known yet: Get-CsPersistentChatState has not answered for %s (%s)", env.Names.PoolFQDN, e)
	}
	return "", fmt.Errorf("the pool identity is not known yet: Get-CsPersistentChatState has not answered for %s", env.Names.PoolFQDN)
}

// targetsFresh checks that every target a plan touches answered its last probe recently.
func (env Env) targetsFresh(scripts []Script) []Check {
	var cs []Check
	seen := map[Target]bool{}
	for _, s := range scripts {
		if seen[s.Target] {
			continue
		}
		seen[s.Target] = true
		if s.Target.Lync {
			cs = append(cs, env.poolFresh())
			continue
		}
		cs = append(cs, env.fresh(s.Target.Role))
	}
	return cs
}

func (env Env) fresh(r probes.Role) Check {
	in := env.inst(r)
	c := Check{Text: env.name(r) + " answers its health probe"}
	switch {
	case !in.Reachable && in.Err != "":
		c.Detail = "unreachable: " + in.Err
		c.Advice = "check the instance, the network and the login; the console retries every refresh"
	case !in.Reachable:
		c.Detail = "not probed yet"
	case env.StaleAfter > 0 && env.Now.Sub(in.ProbedAt) > env.StaleAfter:
		c.Detail = fmt.Sprintf("last answer %s ago", ago(env.Now.Sub(in.ProbedAt)))
	case in.Err != "":
		// An incomplete or unparsable answer leaves parts of the snapshot empty: checks on it would be guesses.
		c.Detail = in.Err
		c.Advice = "the health batch did not complete on this instance; check the login's permissions (VIEW SERVER STATE, msdb)"
	default:
		c.OK = true
		c.Detail = fmt.Sprintf("probed %s ago", ago(env.Now.Sub(in.ProbedAt)))
	}
	return c
}

func (env Env) poolFresh() Check {
	p := env.Snap.Pool
	c := Check{Text: "the Lync Management Shell on " + env.Names.LyncHost + " answers"}
	switch {
	case !p.Reachable && p.Err != "":
		c.Detail = "unreachable: " + p.Err
		c.Advice = "check WinRM on the Lync host and the account's Lync admin rights"
	case !p.Reachable:
		c.Detail = "not probed yet"
	case env.StaleAfter > 0 && env.Now.Sub(p.ProbedAt) > env.StaleAfter:
		c.Detail = fmt.Sprintf("last answer %s ago", ago(env.Now.Sub(p.ProbedAt)))
	default:
		c.OK = true
		c.Detail = fmt.Sprintf("pool %s is %s", p.FQDN, p.State)
	}
	return c
}

// ago renders a duration the way the panels do: 42s, 12m, 3h05m, 2d04h.
func ago(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
}

// Ago is the shared rendering of an age, exported for the panels.
func Ago(d time.Duration) string { return ago(d) }

// pchatHosts are the short host names of every Persistent Chat server the console knows (the pool's active and
// inactive lists, and the configured primary data center servers).
func (env Env) pchatHosts() map[string]bool {
	hosts := map[string]bool{}
	for _, list := range [][]string{env.Snap.Pool.Active, env.Snap.Pool.Inactive, env.Names.PrimaryServers} {
		for _, h := range list {
			hosts[short(h)] = true
		}
	}
	return hosts
}

// sessionSplit separates a database's sessions into Persistent Chat servers and everything else.
func (env Env) sessionSplit(d *probes.Database) (pchat, other []probes.SessionGroup) {
	hosts := env.pchatHosts()
	for _, s := range d.Sessions {
		if hosts[short(s.Host)] || strings.EqualFold(s.Program, "Persistent Chat Service") {
			pchat = append(pchat, s)
		} else {
			other = append(other, s)
		}
	}
	return pchat, other
}

// describeSessions renders session groups as "6 (PC03 ×4, PC04 ×2)".
func describeSessions(groups []probes.SessionGroup) string {
	n := 0
	var parts []string
	for _, g := range groups {
		n += g.Count
		host := g.Host
		if host == "" {
			host = "?"
		}
		parts = append(parts, fmt.Sprintf("%s ×%d", host, g.Count))
	}
	if n == 0 {
		return "none"
	}
	return fmt.Sprintf("%d (%s)", n, strings.Join(parts, ", "))
}
