package tsql

import (
	"testing"
	"time"
)

func TestRowCountAfterProcedureAndWaitforVariable(t *testing.T) {
	h := people()
	sameLines(t, one(t, h, "SET NOCOUNT ON; DECLARE @t TABLE (a varchar(5), b varchar(10), c varchar(20), d varchar(10), e varchar(10), f varchar(20)); INSERT @t EXEC sp_who2; SELECT @@ROWCOUNT"), []string{"2"})
	rec, _ := run(t, h, "EXEC sp_who2; SELECT @@ROWCOUNT")
	sameLines(t, grid(rec.tables()[1]), []string{"2"})
	mustRun(t, h, "DECLARE @d datetime = '00:00:02'; WAITFOR DELAY @d")
	if h.sleeps[len(h.sleeps)-1] != 2*time.Second {
		t.Fatalf("sleeps %v", h.sleeps)
	}
	mustRun(t, h, "WAITFOR TIME '13:00'")
	if got := h.sleeps[len(h.sleeps)-1]; got != 30*time.Minute-2*time.Second {
		t.Fatalf("WAITFOR TIME slept %v", got)
	}
}

func TestHostLinesAreKept(t *testing.T) {
	h := people()
	h.procs["p"] = func(args []Arg, out Output) (int, error) {
		e := Errorf(50001, 16, "inside")
		e.Line, e.Proc = 7, "p"
		return 0, e
	}
	rec, _ := run(t, h, "PRINT 1\nEXEC p")
	if errs := rec.errors(); len(errs) != 1 || errs[0].Line != 7 || errs[0].Proc != "p" {
		t.Fatalf("errors %+v", errs)
	}
}

func TestCollationAndConversionsInComparisons(t *testing.T) {
	h := people()
	sameLines(t, one(t, h, "SELECT CASE WHEN 'abc' = 'ABC  ' THEN 1 ELSE 0 END, CASE WHEN 'a' < 'B' THEN 1 ELSE 0 END, CASE WHEN 10 > '9' THEN 1 ELSE 0 END, CASE WHEN '10' > '9' THEN 1 ELSE 0 END"),
		[]string{"1|1|1|0"})
	sameLines(t, one(t, h, "SELECT COUNT(*) FROM msdb.dbo.sysjobs WHERE job_id = '01020304-0506-0708-090a-0b0c0d0e0f10'"), []string{"1"})
	sameLines(t, one(t, h, "SELECT name FROM t WHERE born BETWEEN '19800101' AND 'May 1 1980 12:00AM'"), []string{"Alice"})
	if got := errNumber(t, h, "SELECT 1 WHERE GETDATE() > 'yesterday'"); got != 241 {
		t.Fatalf("bad datetime literal: %d", got)
	}
}
