package cli

import (
	"fmt"

	"pcfailback/steps"
)

// CheckCmd runs the pre-flight checks.
type CheckCmd struct{}

// Run probes once (reads only) and judges F0's checks; any failing check makes the exit code 1.
func (CheckCmd) Run(f *Flags, io *Streams) error {
	s, err := open(f)
	if err != nil {
		return err
	}
	defer s.close()
	snap := s.probe()
	env := s.env(snap)
	pre, _ := steps.Find(steps.Catalog(), steps.F0)
	checks := append(steps.Reachable(env, mustPlan(pre, env)), pre.Post(env)...)
	fmt.Fprintf(io.Out, "pcfailback check · %s\n", env.Names.Environment)
	for _, c := range checks {
		fmt.Fprintf(io.Out, "%s %s — %s\n", checkMark(c), c.Text, c.Detail)
		if !c.OK && c.Advice != "" {
			fmt.Fprintf(io.Out, "    → %s\n", c.Advice)
		}
	}
	failed := len(steps.Failing(checks))
	if failed > 0 {
		fmt.Fprintf(io.Out, "%d check(s) failed\n", failed)
		return exitError{code: 1}
	}
	fmt.Fprintln(io.Out, "all pre-flight checks pass")
	return nil
}

func mustPlan(st steps.Step, env steps.Env) steps.Plan {
	p, _ := st.Plan(env)
	return p
}
