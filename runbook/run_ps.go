package runbook

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"pcfailback/remote"
	"pcfailback/steps"
	"pcfailback/transcript"
)

// runPS runs one PowerShell script on the Lync host. Error records and warnings on stderr fail the script even
// when the exit code is 0: cmdlets report problems as warnings or non-terminating errors, and a console that
// trusted exit codes alone would call a half-done step done (anchors B1).
func (x *Executor) runPS(ctx context.Context, step string, s steps.Script) (steps.ScriptResult, error) {
	var res steps.ScriptResult
	if x.ps == nil {
		return res, errors.New("no PowerShell runner for the Lync host")
	}
	src := x.source(s.Target)
	x.echo(step, s)
	var problem string
	code, err := x.ps.Run(ctx, s.Text, func(l remote.PSLine) {
		line := transcript.Line{At: l.At, Source: src, Step: step, Text: l.Text}
		if line.At.IsZero() {
			line.At = x.clock.Now()
		}
		switch {
		case l.Stream == remote.Stdout:
			res.Stdout = append(res.Stdout, l.Text)
			line.Kind = transcript.Output
		case strings.HasPrefix(l.Text, "VERBOSE:") || strings.HasPrefix(l.Text, "DEBUG:"):
			line.Kind = transcript.Info
		case strings.HasPrefix(l.Text, "WARNING:"):
			line.Kind = transcript.Warning
			if problem == "" {
				problem = l.Text
			}
		default:
			line.Kind = transcript.Error
			if problem == "" && strings.TrimSpace(l.Text) != "" {
				problem = strings.TrimSpace(l.Text)
			}
		}
		x.write(line)
	})
	res.ExitCode = code
	switch {
	case err != nil:
		return res, err
	case code != 0 && problem != "":
		return res, fmt.Errorf("exit code %d: %s", code, problem)
	case code != 0:
		return res, fmt.Errorf("exit code %d", code)
	case problem != "":
		return res, fmt.Errorf("PowerShell reported: %s", problem)
	}
	return res, nil
}
