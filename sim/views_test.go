package sim

import (
	"context"
	"strings"
	"testing"

	"pcfailback/tsql"
)

// hostFor opens a session and returns it as the tsql.Host it implements.
func hostFor(t testing.TB, s *Sim, server, db string) *session {
	t.Helper()
	sess := connect(t, s, server, db)
	return sess.(*sqlSession).session
}

// Every view returns rows as wide as its columns, on every instance, in every database it can be read from.
func TestViewsRowsMatchColumns(t *testing.T) {
	s, _ := newTestSim(t, "primary-still-mirrored")
	ctx := context.Background()
	for _, server := range []string{"SQLPRIMARY", "SQLPRIMARY-MIR", "SQLBACKUP", "SQLBACKUP-MIR"} {
		h := hostFor(t, s, server, "msdb")
		for name, v := range views {
			schema, obj, _ := strings.Cut(name, ".")
			if schema == "msdb" {
				schema = "dbo"
			}
			tbl, err := h.Table(ctx, tsql.ObjectName{Schema: schema, Object: obj})
			if err != nil {
				t.Errorf("%s %s: %v", server, name, err)
				continue
			}
			if len(tbl.Columns) != len(v.cols) {
				t.Errorf("%s %s: columns changed", server, name)
			}
			for i, row := range tbl.Rows {
				if len(row) != len(tbl.Columns) {
					t.Errorf("%s %s row %d: %d values for %d columns", server, name, i, len(row), len(tbl.Columns))
					break
				}
			}
		}
	}
}
