package runbook

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"pcfailback/clock"
	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/steps"
	"pcfailback/transcript"
)

// Executor runs plans. Only a console that may change the estate constructs one: read-only mode never has an
// Executor, so no code path there can send a step's script.
type Executor struct {
	sql   map[probes.Role]remote.SQLConn
	ps    remote.PSRunner
	names steps.Names
	sink  *transcript.Sink
	clock clock.Clock

	journal Journal
	logPath string
	runs    runs
	guard   func(context.Context) error
}

// NewExecutor returns an executor over the given runners. Output goes to sink.
func NewExecutor(sql map[probes.Role]remote.SQLConn, ps remote.PSRunner, names steps.Names, sink *transcript.Sink, c clock.Clock) *Executor {
	return &Executor{sql: sql, ps: ps, names: names, sink: sink, clock: c}
}

// Run executes a plan's scripts in order and returns their evidence and the first failure. After a failure
// only the scripts marked Always still run. progress receives 0..1 as BACKUP/RESTORE report percentages.
// snap supplies each target's clock at the start, against which msdb dates are later compared.
func (x *Executor) Run(ctx context.Context, plan steps.Plan, snap probes.Snapshot, progress func(float64)) (*steps.Evidence, error) {
	now := x.clock.Now()
	ev := &steps.Evidence{Plan: plan, Started: now, ServerStart: map[probes.Role]time.Time{}}
	for _, s := range plan.Scripts {
		if !s.Target.Lync {
			ev.ServerStart[s.Target.Role] = snap.Instance(s.Target.Role).ServerNow(now)
		}
	}
	step := string(plan.Step)
	x.runs.begin()
	var first error
	defer func() { x.runs.end(Finished{Plan: plan, Evidence: ev, Err: first}) }()
	if x.guard != nil {
		if err := x.guard(ctx); err != nil {
			ev.Ended, first = x.clock.Now(), fmt.Errorf("not sent: %w", err)
			x.console(step, transcript.Error, step+" "+first.Error())
			return ev, first
		}
	}
	if err := x.recordStart(plan, ev); err != nil {
		ev.Ended = x.clock.Now()
		first = err
		x.console(step, transcript.Error, step+" "+err.Error())
		return ev, err
	}
	x.console(step, transcript.Console, fmt.Sprintf("%s started (%d script(s), text sha256 %s)", step, len(plan.Scripts), short(plan.Digest)))
	for i, s := range plan.Scripts {
		if first != nil && !s.Always {
			ev.Scripts = append(ev.Scripts, steps.ScriptResult{Target: s.Target})
			continue
		}
		scale := func(p float64) {
			if progress != nil {
				progress((float64(i) + p) / float64(len(plan.Scripts)))
			}
		}
		res, err := x.runScript(ctx, step, s, scale)
		res.Target, res.Ran = s.Target, true
		if err != nil {
			res.Err = err.Error()
			if first == nil {
				first = err
			}
			x.console(step, transcript.Error, fmt.Sprintf("%s script %d/%d (%s) failed: %s", step, i+1, len(plan.Scripts), s.Purpose, err))
		}
		ev.Scripts = append(ev.Scripts, res)
	}
	ev.Ended = x.clock.Now()
	ev.Succeeded = first == nil
	if first == nil {
		x.console(step, transcript.Console, step+" scripts finished; verifying against a fresh probe")
	}
	if ctx.Err() != nil && errors.Is(first, ctx.Err()) {
		first = Cancelled(first)
	}
	ev.OutputDigest = x.outputDigest()
	if first != nil {
		x.recordFailure(plan, ev, first)
	}
	return ev, first
}

// alwaysTimeout bounds a clean-up script that runs after the operator cancelled the step.
const alwaysTimeout = 5 * time.Minute

// runScript runs one script. A script marked Always is the step's clean-up (F5e fails the database back): the
// operator's cancellation stops the step, not its clean-up, so after a cancellation it runs on a context of its
// own, bounded by alwaysTimeout instead.
func (x *Executor) runScript(ctx context.Context, step string, s steps.Script, progress func(float64)) (steps.ScriptResult, error) {
	if s.Always && ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), alwaysTimeout)
		defer cancel()
		x.console(step, transcript.Warning, fmt.Sprintf("%s was cancelled; running its clean-up anyway: %s", step, s.Purpose))
	}
	if s.Lang == steps.PowerShell {
		return x.runPS(ctx, step, s)
	}
	return x.runSQL(ctx, step, s, progress)
}

func (x *Executor) source(t steps.Target) string { return x.names.Name(t) }

func (x *Executor) console(step string, kind transcript.Kind, text string) {
	x.write(transcript.Line{At: x.clock.Now(), Source: "console", Step: step, Kind: kind, Text: text})
}

// echo writes the script as sent, one line per transcript line, so the log shows exactly what ran where.
func (x *Executor) echo(step string, s steps.Script) {
	src := x.source(s.Target)
	now := x.clock.Now()
	var lines []transcript.Line
	for _, l := range strings.Split(strings.TrimRight(s.Text, "\n"), "\n") {
		lines = append(lines, transcript.Line{At: now, Source: src, Step: step, Kind: transcript.Statement, Text: l})
	}
	x.write(lines...)
}

func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12]
	}
	return digest
}
