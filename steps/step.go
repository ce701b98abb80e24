// Package steps is the failback procedure as data: each step's exact script for the current estate, where it
// runs, what it changes, the checks that must pass before it may run and the checks that prove it worked. Checks
// are pure functions of a probe snapshot (and of what earlier steps printed), so the checklist, the verdict line,
// `pcfailback plan` and `pcfailback check` all judge from the same live data.
package steps

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"pcfailback/probes"
)

// ID names a step as procedure.md does.
type ID string

// The steps, in the order the console runs them.
const (
	F0  ID = "F0"
	F1  ID = "F1"
	F2  ID = "F2"
	F3  ID = "F3"
	F3b ID = "F3b"
	F4  ID = "F4"
	F5a ID = "F5a"
	F5b ID = "F5b"
	F5c ID = "F5c"
	F5d ID = "F5d"
	F5e ID = "F5e"
	F6a ID = "F6a"
	F6b ID = "F6b"
)

// Lang is a script's language.
type Lang int

// Script languages.
const (
	TSQL Lang = iota
	PowerShell
)

// String names the language for the preview.
func (l Lang) String() string {
	if l == PowerShell {
		return "PowerShell"
	}
	return "T-SQL"
}

// Target is where a script runs: a SQL instance, or the Lync host when Lync is set.
type Target struct {
	Role probes.Role
	Lync bool
}

// Script is one unit sent to one target.
type Script struct {
	Target Target
	Lang   Lang
	// Database is the session's starting database for T-SQL (always master here: RESTORE from the target
	// database's own context fails with 3102).
	Database string
	// Text is exactly what is sent.
	Text string
	// Purpose says in a few words what this script does.
	Purpose string
	// Always runs the script even after an earlier script of the step failed (F5e fails the database back).
	Always bool
}

// Plan is a step resolved against the current estate: the scripts the preview shows and the executor sends.
type Plan struct {
	Step    ID
	Scripts []Script
	// Params are values later steps and checks need, such as the backup file this plan writes.
	Params map[string]string
	// Digest identifies the exact text; the journal records it and a re-resolved plan with another digest needs
	// a new preview.
	Digest string
}

// Param keys.
const (
	ParamBackup = "backup" // the failback backup file (F3, F3b, F4)
	ParamLSInit = "lsinit" // the log-shipping initialisation backup (F5b)
)

func (p *Plan) seal() {
	h := sha256.New()
	for _, s := range p.Scripts {
		fmt.Fprintf(h, "%s|%v|%d|%s|%t\x00%s\x00", s.Target.Role, s.Target.Lync, s.Lang, s.Database, s.Always, s.Text)
	}
	p.Digest = hex.EncodeToString(h.Sum(nil))
}

// Check is one precondition or postcondition with its verdict.
type Check struct {
	// Text states the condition ("mgc on SQLBACKUP is not mirrored").
	Text string
	OK   bool
	// Detail says what was seen ("mirroring PRINCIPAL with SQLBACKUP-MIR").
	Detail string
	// Advice is shown when the check fails: what the operator should do.
	Advice string
	// Warn marks an advisory check: shown, never blocking.
	Warn bool
}

// Failing returns the blocking checks that failed.
func Failing(cs []Check) []Check {
	var out []Check
	for _, c := range cs {
		if !c.OK && !c.Warn {
			out = append(out, c)
		}
	}
	return out
}

// Pass reports whether every blocking check passed.
func Pass(cs []Check) bool { return len(Failing(cs)) == 0 }

// Step is one checklist item.
type Step struct {
	ID    ID
	Title string
	// Source says where the step comes from: an article step, or an expert addition.
	Source string
	// Changes says what running it changes, in the operator's terms.
	Changes string
	// Notes are shown in the preview: the article's IMPORTANT note, order differences, open questions.
	Notes []string
	// Destructive steps need a typed confirmation of their target.
	Destructive bool
	// ReadOnly steps only read (F0, F3b).
	ReadOnly bool
	// Settle is how long postconditions may take to become true after the script ends (log-shipping jobs run on
	// schedules, mirroring synchronises); the step stays "verifying" meanwhile.
	Settle time.Duration
	// Verify describes how the step is verified, for the preview.
	Verify []string

	plan    func(Env) (Plan, error)
	pre     func(Env) []Check
	post    func(Env) []Check
	confirm func(Env) string
}

// Plan resolves the step's scripts against env.
func (s Step) Plan(env Env) (Plan, error) {
	p, err := s.plan(env)
	if err != nil {
		return Plan{}, fmt.Errorf("%s: %w", s.ID, err)
	}
	p.Step = s.ID
	p.seal()
	return p, nil
}

// Pre evaluates the preconditions: every target reachable with fresh data, then the step's own checks.
func (s Step) Pre(env Env) []Check {
	var cs []Check
	if p, err := s.plan(env); err == nil {
		cs = append(cs, env.targetsFresh(p.Scripts)...)
	} else {
		cs = append(cs, Check{Text: "the script can be resolved", Detail: err.Error()})
	}
	return append(cs, s.pre(env)...)
}

// Reachable checks that every target of a plan answered its last probe recently: postconditions judged on stale
// data would be guesses, so verification waits for them.
func Reachable(env Env, p Plan) []Check { return env.targetsFresh(p.Scripts) }

// Post evaluates the postconditions against env (a snapshot taken after the script ended).
func (s Step) Post(env Env) []Check { return s.post(env) }

// Confirmation is the text the operator must type to run a destructive step ("mgc@SQLPRIMARY"); "" otherwise.
func (s Step) Confirmation(env Env) string {
	if !s.Destructive || s.confirm == nil {
		return ""
	}
	return s.confirm(env)
}

// Name is what a target is called in the log and the journal: the Lync host, or the instance's name.
func (n Names) Name(t Target) string {
	if t.Lync {
		return n.LyncHost
	}
	return n.Instance(t.Role).Name
}

// Targets names where a plan's scripts run, in order, each once ("SQLBACKUP, SQLPRIMARY").
func (p Plan) Targets(n Names) string {
	var out []string
	for _, s := range p.Scripts {
		if t := n.Name(s.Target); !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return strings.Join(out, ", ")
}

// Describe renders a plan's target for humans.
func (env Env) Describe(t Target) string {
	if t.Lync {
		return "Lync host " + env.Names.LyncHost
	}
	return env.Names.Instance(t.Role).Name + " (" + t.Role.Label() + ")"
}

// short is a host's first label, upper case (how SQL Server reports host_name for Persistent Chat servers).
func short(fqdn string) string {
	if i := strings.IndexByte(fqdn, '.'); i > 0 {
		fqdn = fqdn[:i]
	}
	return strings.ToUpper(fqdn)
}
