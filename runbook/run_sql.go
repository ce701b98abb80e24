package runbook

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/steps"
	"pcfailback/transcript"
)

// maxLoggedRows bounds how many rows of a result set go to the log; the evidence keeps them all.
const maxLoggedRows = 50

// runSQL sends one T-SQL script as one batch on a fresh session whose starting database is the script's.
func (x *Executor) runSQL(ctx context.Context, step string, s steps.Script, progress func(float64)) (steps.ScriptResult, error) {
	var res steps.ScriptResult
	conn := x.sql[s.Target.Role]
	if conn == nil {
		return res, fmt.Errorf("no SQL connection for %s", s.Target.Role)
	}
	src := x.source(s.Target)
	sess, err := conn.Connect(ctx, s.Database)
	if err != nil {
		return res, fmt.Errorf("connect to %s: %w", src, err)
	}
	defer sess.Close()
	x.echo(step, s)
	var rows int
	err = sess.Run(ctx, s.Text, func(ev remote.SQLEvent) {
		line := transcript.Line{At: ev.At, Source: src, Step: step, Number: ev.Number}
		if line.At.IsZero() {
			line.At = x.clock.Now()
		}
		switch ev.Kind {
		case remote.SQLInfoMsg:
			res.Messages = append(res.Messages, steps.Message{Number: ev.Number, Class: ev.Class, Text: ev.Text})
			line.Kind, line.Text = transcript.Info, ev.Text
			if pct, ok := percent(ev); ok {
				line.Kind = transcript.Progress
				progress(pct)
			}
		case remote.SQLErrorMsg:
			res.Messages = append(res.Messages, steps.Message{Number: ev.Number, Class: ev.Class, Text: ev.Text})
			line.Kind, line.Text = transcript.Error, fmt.Sprintf("Level %d, State %d, Line %d: %s", ev.Class, ev.State, ev.Line, ev.Text)
		case remote.SQLResultStart:
			cols := make([]string, len(ev.Columns))
			for i, c := range ev.Columns {
				cols[i] = c.Name
			}
			res.Sets = append(res.Sets, probes.ResultSet{Columns: cols})
			rows = 0
			line.Kind, line.Text = transcript.Output, strings.Join(cols, " | ")
		case remote.SQLRow:
			if n := len(res.Sets); n > 0 {
				res.Sets[n-1].Rows = append(res.Sets[n-1].Rows, ev.Values)
			}
			rows++
			if rows > maxLoggedRows {
				return
			}
			line.Kind, line.Text = transcript.Output, renderRow(ev.Values)
		case remote.SQLRowsAffected:
			line.Kind, line.Text = transcript.Info, fmt.Sprintf("(%d rows affected)", ev.Count)
			if rows > maxLoggedRows {
				line.Text = fmt.Sprintf("(%d rows affected; %d shown)", ev.Count, maxLoggedRows)
			}
		}
		x.write(line)
	})
	return res, err
}

// percent recognises 3211 "n percent processed.".
func percent(ev remote.SQLEvent) (float64, bool) {
	if ev.Number != 3211 {
		return 0, false
	}
	f := strings.Fields(ev.Text)
	if len(f) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 0 || n > 100 {
		return 0, false
	}
	return float64(n) / 100, true
}

func renderRow(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			parts[i] = "NULL"
		case []byte:
			parts[i] = fmt.Sprintf("0x%X", x)
		default:
			parts[i] = fmt.Sprint(x)
		}
	}
	return strings.Join(parts, " | ")
}
