package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"pcfailback/probes"
	"pcfailback/steps"
)

// PlanCmd prints every step as it would run now.
type PlanCmd struct{}

// Run probes once (reads only), then resolves and prints each step in order. Later steps are resolved as if the
// earlier ones had run as planned, so F3b and F4 show the file F3 would write.
func (PlanCmd) Run(f *Flags, io *Streams) error {
	s, err := open(f)
	if err != nil {
		return err
	}
	defer s.close()
	snap := s.probe()
	env := s.env(snap)
	env.Runs = map[steps.ID]*steps.Evidence{}
	chained := env
	chained.Runs = map[steps.ID]*steps.Evidence{}
	w := io.Out
	fmt.Fprintf(w, "pcfailback plan · %s · %s · mode %s\n", env.Names.Environment, env.Now.Format(time.DateTime), s.mode)
	fmt.Fprintln(w, "Nothing was run: the probe below only reads. File names carry the time they were resolved.")
	printProbe(w, env)
	for _, st := range steps.Catalog() {
		p, perr := st.Plan(chained)
		if perr == nil {
			chained.Runs[st.ID] = &steps.Evidence{Plan: p}
		}
		printStep(w, st, p, perr, env)
	}
	return nil
}

// probe takes one snapshot with a bounded wait.
func (s *session) probe() probes.Snapshot {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := s.prober()
	defer p.Close()
	return p.Refresh(ctx)
}

func printProbe(w io.Writer, env steps.Env) {
	fmt.Fprintln(w, "\nEstate now:")
	for _, r := range probes.Roles() {
		in := env.Snap.Instance(r)
		state := "unreachable: " + in.Err
		if in.Reachable {
			var dbs []string
			for _, db := range []string{env.Names.ChatDB, env.Names.ComplianceDB} {
				d := in.Database(db)
				word := "absent"
				if d.Exists {
					word = d.State
					if d.Mirroring.Mirrored() {
						word += " " + d.Mirroring.Role
					}
				}
				dbs = append(dbs, db+" "+word)
			}
			state = strings.Join(dbs, ", ")
		}
		fmt.Fprintf(w, "  %-16s %-15s %s\n", env.Names.Instance(r).Name, r.Label(), state)
	}
	p := env.Snap.Pool
	if p.Reachable {
		fmt.Fprintf(w, "  pool %s %s, active: %s\n", p.FQDN, p.State, strings.Join(p.Active, ", "))
	} else {
		fmt.Fprintf(w, "  pool %s: Lync shell unreachable: %s\n", env.Names.PoolFQDN, p.Err)
	}
}

func printStep(w io.Writer, st steps.Step, p steps.Plan, perr error, env steps.Env) {
	tag := ""
	switch {
	case st.Destructive:
		tag = "  [DESTRUCTIVE: confirm by typing " + st.Confirmation(env) + "]"
	case st.ReadOnly:
		tag = "  [read-only]"
	}
	fmt.Fprintf(w, "\n%s  %s%s\n", st.ID, st.Title, tag)
	fmt.Fprintf(w, "    from:    %s\n    changes: %s\n", st.Source, st.Changes)
	for _, n := range st.Notes {
		fmt.Fprintf(w, "    note:    %s\n", n)
	}
	fmt.Fprintln(w, "    preconditions now:")
	for _, c := range st.Pre(env) {
		fmt.Fprintf(w, "      %s %s — %s\n", checkMark(c), c.Text, c.Detail)
	}
	fmt.Fprintln(w, "    verification:")
	for _, v := range st.Verify {
		fmt.Fprintf(w, "      · %s\n", v)
	}
	if perr != nil {
		fmt.Fprintf(w, "    script: cannot be resolved now: %v\n", perr)
		return
	}
	for i, sc := range p.Scripts {
		always := ""
		if sc.Always {
			always = " (runs even after a failure)"
		}
		fmt.Fprintf(w, "    script %d/%d: %s on %s%s — %s\n", i+1, len(p.Scripts), sc.Lang, env.Describe(sc.Target), always, sc.Purpose)
		for _, l := range strings.Split(strings.TrimRight(sc.Text, "\n"), "\n") {
			fmt.Fprintf(w, "      | %s\n", l)
		}
	}
	fmt.Fprintf(w, "    text sha256 %s\n", p.Digest)
}

func checkMark(c steps.Check) string {
	switch {
	case c.OK:
		return "✓"
	case c.Warn:
		return "!"
	}
	return "✗"
}
