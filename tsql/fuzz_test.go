package tsql

import (
	"context"
	"errors"
	"testing"
	"time"
)

// seeds are the corpus for both fuzzers: every statement the product sends and a few a trainee types.
func seeds() []string {
	return []string{healthBatch, probeBatch, q31, q32, q33, q34, q35, q36, q37, q38, postF2, orphanF4,
		stepF2, stepF3, stepF3b, stepF4, stepF5bBackup, stepF5bRestore, stepF5c, stepF5d,
		"sp_who2", "SELECT @@VERSION", "SELECT SERVERPROPERTY('ProductVersion')", "SELECT * FROM sys.databases",
		"SELECT dept, COUNT(*) FROM t GROUP BY dept HAVING COUNT(*) > 1 ORDER BY 2 DESC",
		"BEGIN TRY SELECT 1/0 END TRY BEGIN CATCH SELECT ERROR_MESSAGE() END CATCH",
		"DECLARE @i int = 0; WHILE @i < 3 BEGIN SET @i += 1; IF @i = 2 CONTINUE; PRINT @i END",
		"EXEC sp_executesql N'SELECT @a', N'@a int', @a = 1",
		"RAISERROR('%s %d', 10, 1, 'x', 2) WITH NOWAIT",
		"WITH c AS (SELECT 1 AS x UNION ALL SELECT 2) SELECT * FROM c ORDER BY x DESC",
		"SELECT CONVERT(varchar(30), GETDATE(), 121), DATEADD(mm, 1, '20240131'), 0x0A1B",
		"SELECT [a]]b], \"q\", N'it''s' /* c /* n */ */ -- e",
		"ALTER DATABASE CURRENT SET RECOVERY SIMPLE WITH ROLLBACK AFTER 5 SECONDS",
		"RESTORE LOG mgc FROM DISK = @p WITH STANDBY = N'x', MOVE 'a' TO 'b', STATS",
		"KILL 51 WAITFOR DELAY '00:00:01' CHECKPOINT",
		"SELECT v.n FROM (VALUES (1), (2)) AS v (n) CROSS APPLY (SELECT TOP (1) id FROM t WHERE id > v.n ORDER BY id) x",
		"DECLARE @t TABLE (a int IDENTITY, b nvarchar(5) DEFAULT N'x'); INSERT @t DEFAULT VALUES; UPDATE @t SET b = 'y'; DELETE @t",
		"SELECT DISTINCT TOP 2 dept FROM t UNION SELECT title FROM d EXCEPT SELECT 'x' ORDER BY 1",
		"EXEC('SELECT 1; THROW 50000, ''x'', 1') BEGIN TRAN ROLLBACK",
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var b *Batch
		var err error
		within(t, src, func() { b, err = Parse(src) })
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse returned %T", err)
			}
			if e.Line < 1 || e.Class != 15 && e.Class != 16 || !e.Abort {
				t.Fatalf("bad syntax error %+v", e)
			}
			if b != nil {
				t.Fatal("batch and error both returned")
			}
			return
		}
		for _, s := range b.Statements {
			if s.Line() < 1 || s.Verb() == "" {
				t.Fatalf("statement without line or verb: %#v", s)
			}
		}
	})
}

func FuzzRun(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4096 {
			return
		}
		h := people()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		out := &checkOut{t: t}
		var err error
		within(t, src, func() { err = Run(ctx, h, &Session{}, src, out) })
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				if out.first == nil || *out.first != e.Message {
					t.Fatalf("returned error %v is not the first one sent: %+v", e, out.first)
				}
			} else if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("non-SQL error %T %v", err, err)
			}
		} else if out.first != nil {
			t.Fatalf("error sent but none returned: %+v", out.first)
		}
	})
}

// checkOut is an Output that checks result sets as they arrive and keeps only the first error, so a loop that
// returns many result sets does not hold them all.
type checkOut struct {
	t     *testing.T
	first *Message
}

func (c *checkOut) Info(Message)       {}
func (c *checkOut) RowsAffected(int64) {}

func (c *checkOut) Error(m Message) {
	if c.first == nil {
		c.first = &m
	}
	if m.Line < 1 {
		c.t.Errorf("error without a line: %+v", m)
	}
}

func (c *checkOut) ResultSet(tb *Table) {
	for _, r := range tb.Rows {
		if len(r) != len(tb.Columns) {
			c.t.Errorf("row of %d values for %d columns", len(r), len(tb.Columns))
		}
	}
}

// within fails the test when fn does not return in time: a parser or interpreter loop that never ends is a bug
// the fuzzer would otherwise only show as a stall.
func within(t *testing.T, src string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("no result after 10s for %q", src)
	}
}
