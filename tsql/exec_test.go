package tsql

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestVariablesAndControlFlow(t *testing.T) {
	h := people()
	sameLines(t, one(t, h, `
DECLARE @i int = 0, @s nvarchar(max) = N'', @short varchar(3) = 'abcdef', @d sysname;
WHILE @i < 5
BEGIN
	SET @i += 1;
	IF @i = 2 CONTINUE;
	IF @i = 4 BREAK;
	SET @s = @s + CAST(@i AS nvarchar(10)) + ',';
END
SELECT @i, @s, @short, @d`), []string{"4|1,3,|abc|NULL"})
	sameLines(t, one(t, h, `DECLARE @n int; SELECT @n = COUNT(*) FROM t; IF @n > 3 SELECT 'many' ELSE SELECT 'few'`), []string{"many"})
	sameLines(t, one(t, h, `DECLARE @names nvarchar(200) = ''; SELECT @names = @names + name + ';' FROM t WHERE name IS NOT NULL ORDER BY id; SELECT @names`),
		[]string{"Alice;bob;Carol ;dave;"})
	sameLines(t, one(t, h, `DECLARE @x int = 5; SELECT @x = id FROM t WHERE 1 = 0; SELECT @x, @@ROWCOUNT`), []string{"5|0"})
	sameLines(t, one(t, h, `IF EXISTS (SELECT 1 FROM sys.databases WHERE name = 'mgc') PRINT 'x'; ELSE PRINT 'y'; SELECT 1`), []string{"1"})
}

func TestVariableDeclaredInSkippedBranchExists(t *testing.T) {
	sameLines(t, one(t, people(), "IF 1 = 0 BEGIN DECLARE @v int = 5; END SELECT @v"), []string{"NULL"})
}

func TestCompileErrorsStopTheWholeBatch(t *testing.T) {
	cases := []struct {
		sql  string
		want int32
		line int32
	}{
		{"PRINT 'a'\nSELECT @nope", 137, 2},
		{"DECLARE @a int\nDECLARE @a int", 134, 2},
		{"PRINT 'a'\nINSERT @t VALUES (1)", 1087, 2},
		{"PRINT 'a'\nSELECT FROM WHERE", 156, 2},
		{"PRINT 'a'\nSELECT 1 +", 102, 2},
		{"PRINT 'a'\nSELECT 'abc", 105, 2},
		{"PRINT 'a' /* open", 113, 1},
		{"PRINT 'a'; SELECT 1 = 1", 102, 1},
		{"IF 1 PRINT 'x'", 4145, 1},
		{"DECLARE @x foo", 2715, 1},
		{"SELECT DATEADD(fortnight, 1, GETDATE())", 155, 1},
		{"EXEC p @a = 1, 2", 119, 1},
		{"EXEC p 1 OUTPUT", 179, 1},
	}
	for _, c := range cases {
		t.Run(c.sql, func(t *testing.T) {
			rec, err := run(t, people(), c.sql)
			var e *Error
			if !errors.As(err, &e) || e.Number != c.want || e.Line != c.line {
				t.Fatalf("got %v, want Msg %d on line %d", err, c.want, c.line)
			}
			if len(rec.infos()) != 0 || len(rec.errors()) != 1 {
				t.Fatalf("a statement ran: %+v", rec.events)
			}
		})
	}
}

func TestSyntaxErrorTexts(t *testing.T) {
	_, err := run(t, people(), "SELECT * FROM t WHERE")
	if e := err.(*Error); e.Number != 102 || e.Class != 15 || e.Text != "Incorrect syntax near ''." || !e.Abort {
		t.Fatalf("%+v", e)
	}
	_, err = run(t, people(), "select * from t order by id where 1 = 1")
	if e := err.(*Error); e.Number != 156 || e.Text != "Incorrect syntax near the keyword 'where'." {
		t.Fatalf("%+v", e)
	}
	_, err = run(t, people(), "SELECT 1\nSELECT 2 3")
	if e := err.(*Error); e.Number != 102 || e.Line != 2 || e.Text != "Incorrect syntax near '3'." {
		t.Fatalf("%+v", e)
	}
}

func TestStatementErrorsLetTheBatchGoOn(t *testing.T) {
	h := people()
	rec, err := run(t, h, "SELECT 1/0\nPRINT 'after'\nSELECT @@ERROR")
	if err == nil || err.(*Error).Number != 8134 || err.(*Error).Line != 1 {
		t.Fatalf("err %v", err)
	}
	if infos := rec.infos(); len(infos) != 1 || infos[0].Text != "after" || infos[0].Line != 2 || infos[0].Number != 0 {
		t.Fatalf("infos %+v", infos)
	}
	// @@ERROR is reset by the successful PRINT.
	sameLines(t, grid(rec.tables()[0]), []string{"0"})
	rec, _ = run(t, h, "SELECT 1/0; SELECT @@ERROR")
	sameLines(t, grid(rec.tables()[0]), []string{"8134"})
}

func TestBatchAbortingErrors(t *testing.T) {
	for _, sql := range []string{
		"SELECT CAST('x' AS int)\nPRINT 'after'",
		"THROW 50001, N'stop', 1\nPRINT 'after'",
		"SELECT * FROM nosuch\nPRINT 'after'",
		"RAISERROR('fatal', 20, 1) WITH LOG\nPRINT 'after'",
	} {
		rec, err := run(t, people(), sql)
		if err == nil || len(rec.infos()) != 0 {
			t.Fatalf("%q: err %v infos %+v", sql, err, rec.infos())
		}
	}
	h := people()
	h.failBackup = &Error{Message: Message{Number: 9999, Class: 16, State: 1, Text: "fatal"}, Abort: true}
	rec, _ := run(t, h, "BACKUP DATABASE mgc TO DISK = 'x'\nPRINT 'after'")
	if len(rec.infos()) != 0 {
		t.Fatal("Abort from the Host must end the batch")
	}
}

func TestHostErrorsAreSentInOrderAndLastSetsError(t *testing.T) {
	h := people()
	h.failBackup = Errors{
		Errorf(3201, 16, "Cannot open backup device 'x'. Operating system error 5(Access is denied.)."),
		Errorf(3013, 16, "BACKUP DATABASE is terminating abnormally."),
	}
	rec, err := run(t, h, "PRINT 1\nBACKUP DATABASE [mgc] TO DISK = N'x' WITH STATS\nSELECT @@ERROR")
	errs := rec.errors()
	if len(errs) != 2 || errs[0].Number != 3201 || errs[1].Number != 3013 || errs[0].Line != 2 || errs[1].Line != 2 {
		t.Fatalf("errors %+v", errs)
	}
	if err.(*Error).Number != 3201 {
		t.Fatalf("Run must return the first error, got %v", err)
	}
	sameLines(t, grid(rec.tables()[0]), []string{"3013"})
	if h.failBackup.(Errors)[0].Line != 0 {
		t.Fatal("the Host's own error values must not be modified")
	}
	if h.backups[0].Stats != 10 {
		t.Fatalf("bare STATS must mean 10: %+v", h.backups[0])
	}
}

func TestPrintAndRaiserror(t *testing.T) {
	rec, err := run(t, people(), `PRINT N'hello ' + CAST(42 AS varchar(5))
PRINT GETDATE()
PRINT NULL
RAISERROR('step %s of %d: %5s|%-3d|%%', 0, 1, N'two', 3, 'ab', 7) WITH NOWAIT
RAISERROR(N'warn %i', 10, 2, 5)
RAISERROR('bad thing %s', 16, 3, 'x')
RAISERROR('missing %s %d', 1, 1)`)
	infos := rec.infos()
	want := []string{"hello 42", "Jan  1 2024 12:30PM", "", "step two of 3:    ab|7  |%", "warn 5", "missing (null) (null)"}
	if len(infos) != len(want) {
		t.Fatalf("infos %+v", infos)
	}
	for i, w := range want {
		if infos[i].Text != w || infos[i].Class != 0 {
			t.Errorf("info %d = %+v, want %q", i, infos[i], w)
		}
	}
	if infos[3].Number != 50000 || infos[4].State != 2 {
		t.Fatalf("raiserror info %+v %+v", infos[3], infos[4])
	}
	e := err.(*Error)
	if e.Number != 50000 || e.Class != 16 || e.State != 3 || e.Text != "bad thing x" || e.Line != 6 {
		t.Fatalf("raiserror error %+v", e)
	}
}

func TestThrowAndTryCatch(t *testing.T) {
	h := people()
	rec, err := run(t, h, `BEGIN TRY
	SELECT 1/0;
	PRINT 'not reached';
END TRY
BEGIN CATCH
	SELECT ERROR_NUMBER(), ERROR_MESSAGE(), ERROR_LINE(), ERROR_SEVERITY(), @@ERROR;
END CATCH
SELECT ERROR_NUMBER()`)
	if err != nil {
		t.Fatalf("a caught error must not be returned: %v", err)
	}
	ts := rec.tables()
	sameLines(t, grid(ts[0]), []string{"8134|Divide by zero error encountered.|2|16|8134"})
	sameLines(t, grid(ts[1]), []string{"NULL"})
	if len(rec.infos()) != 0 || len(rec.errors()) != 0 {
		t.Fatalf("events %+v", rec.events)
	}
	// THROW without arguments re-raises; the error reaches the client with its own number.
	_, err = run(t, h, "BEGIN TRY THROW 50010, 'inner', 7; END TRY BEGIN CATCH PRINT 'caught'; THROW; END CATCH")
	if e := err.(*Error); e.Number != 50010 || e.State != 7 || e.Text != "inner" || e.Class != 16 {
		t.Fatalf("rethrow %+v", e)
	}
	// A Host's Errors: the CATCH block sees the last one, as SQL Server's BACKUP in TRY does.
	h.failBackup = Errors{Errorf(3201, 16, "Cannot open backup device."), Errorf(3013, 16, "BACKUP DATABASE is terminating abnormally.")}
	sameLines(t, one(t, h, "BEGIN TRY BACKUP DATABASE mgc TO DISK = 'x' END TRY BEGIN CATCH SELECT ERROR_NUMBER() END CATCH"), []string{"3013"})
	// Errors in dynamic SQL under TRY are caught too.
	sameLines(t, one(t, h, "BEGIN TRY EXEC('SELECT * FROM nosuch') END TRY BEGIN CATCH SELECT ERROR_NUMBER() END CATCH"), []string{"208"})
}

func TestTransactions(t *testing.T) {
	h := people()
	sess := &Session{}
	rec, err := runSess(t, h, sess, "BEGIN TRAN; BACKUP DATABASE mgc TO DISK = 'x'; RESTORE DATABASE mgc FROM DISK = 'x'; ALTER DATABASE mgc SET OFFLINE; SELECT @@TRANCOUNT")
	errs := rec.errors()
	if len(errs) != 5 || errs[0].Number != 3021 || errs[1].Number != 3013 || errs[1].Text != "BACKUP DATABASE is terminating abnormally." ||
		errs[3].Text != "RESTORE DATABASE is terminating abnormally." || errs[4].Number != 226 {
		t.Fatalf("errors %+v", errs)
	}
	if err.(*Error).Number != 3021 || len(h.backups)+len(h.restores)+len(h.alters) != 0 {
		t.Fatal("BACKUP, RESTORE and ALTER DATABASE must not reach the Host inside a transaction")
	}
	sameLines(t, grid(rec.tables()[0]), []string{"1"})
	if sess.TranCount != 1 {
		t.Fatalf("trancount %d", sess.TranCount)
	}
	mustRun(t, h, "SELECT 1")
	if _, err := runSess(t, h, sess, "COMMIT TRANSACTION"); err != nil || sess.TranCount != 0 {
		t.Fatalf("commit: %v %d", err, sess.TranCount)
	}
	_, err = runSess(t, h, sess, "ROLLBACK")
	if err.(*Error).Number != 3903 {
		t.Fatalf("rollback without transaction: %v", err)
	}
	_, err = runSess(t, h, sess, "BEGIN TRANSACTION t1; BEGIN TRAN; ROLLBACK TRAN")
	if err != nil || sess.TranCount != 0 {
		t.Fatalf("rollback: %v %d", err, sess.TranCount)
	}
}

func TestExecOutputAndReturnStatus(t *testing.T) {
	h := people()
	h.procs["p"] = func(args []Arg, out Output) (int, error) {
		for i := range args {
			if args[i].Output {
				args[i].Value = int64(41)
			}
		}
		return 3, nil
	}
	sameLines(t, one(t, h, "DECLARE @rc int, @o bigint; EXEC @rc = dbo.p 1, @x = @o OUTPUT, @d = DEFAULT; SELECT @rc, @o"), []string{"3|41"})
	a := h.execArgs[0]
	if a[0] != (Arg{Value: int64(1)}) || a[1].Name != "@x" || !a[1].Output || !a[2].Default || h.execs[0] != "dbo.p" {
		t.Fatalf("args %+v", a)
	}
	_, err := run(t, h, "EXEC nosuchproc")
	if err.(*Error).Number != 2812 {
		t.Fatalf("%v", err)
	}
	sameLines(t, one(t, h, "DECLARE @p sysname = N'p', @rc int; EXEC @rc = @p; SELECT @rc"), []string{"3"})
}

func TestDynamicSQLAndExecuteSQL(t *testing.T) {
	h := people()
	sameLines(t, one(t, h, "DECLARE @sql nvarchar(100) = N'SELECT COUNT(*) FROM t WHERE dept = ''dev'''; EXEC (@sql)"), []string{"2"})
	sameLines(t, one(t, h, "EXEC sp_executesql N'SELECT @a + @b', N'@a int, @b int', @b = 2, @a = 40"), []string{"42"})
	sameLines(t, one(t, h, "DECLARE @n int; EXEC sp_executesql N'SELECT @c = COUNT(*) FROM t', N'@c int OUTPUT', @c = @n OUTPUT; SELECT @n"), []string{"5"})
	_, err := run(t, h, "EXEC sp_executesql 'SELECT 1'")
	if err.(*Error).Number != 214 {
		t.Fatalf("varchar @stmt: %v", err)
	}
	_, err = run(t, h, "EXEC sp_executesql N'SELECT @a', N'@a int'")
	if err.(*Error).Number != 8178 {
		t.Fatalf("missing parameter: %v", err)
	}
	// Dynamic SQL has its own variables and its own syntax errors; the caller goes on.
	rec, err := run(t, h, "DECLARE @x int = 1; EXEC('SELECT @x'); EXEC('SELECT FROM'); PRINT 'after'")
	errs := rec.errors()
	if len(errs) != 2 || errs[0].Number != 137 || errs[1].Number != 156 || len(rec.infos()) != 1 || err.(*Error).Number != 137 {
		t.Fatalf("events %+v", rec.events)
	}
	// A scope-aborting error inside dynamic SQL ends only that scope.
	rec, _ = run(t, h, "EXEC('SELECT * FROM nosuch; PRINT ''inner''') PRINT 'outer'")
	if infos := rec.infos(); len(infos) != 1 || infos[0].Text != "outer" {
		t.Fatalf("infos %+v", infos)
	}
	_, err = run(t, h, "DECLARE @s nvarchar(max) = N'EXEC sp_executesql @s, N''@s nvarchar(max)'', @s = @s'; EXEC sp_executesql @s, N'@s nvarchar(max)', @s = @s")
	if err.(*Error).Number != 217 {
		t.Fatalf("runaway nesting: %v", err)
	}
}

func TestCallExecuteSQL(t *testing.T) {
	h := people()
	rec := &recorder{}
	args := []Arg{{Value: "SELECT @p1 + 1 AS v; SET @out = @p1 * 2", Output: false}, {Value: "@p1 int, @out int OUTPUT"},
		{Name: "@p1", Value: 20}, {Name: "@out", Output: true}}
	if err := Call(context.Background(), h, &Session{}, ObjectName{Object: "sp_executesql"}, args, rec); err != nil {
		t.Fatal(err)
	}
	sameLines(t, grid(rec.tables()[0]), []string{"21"})
	if args[3].Value != int64(40) {
		t.Fatalf("output %v", args[3].Value)
	}
	rec = &recorder{}
	err := Call(context.Background(), h, &Session{}, ObjectName{Schema: "sys", Object: "xp_fileexist"}, []Arg{{Value: `\\fs01.contoso.local\pchatls\a.bak`}}, rec)
	if err != nil || len(rec.tables()) != 1 || h.execs[0] != "sys.xp_fileexist" {
		t.Fatalf("other procedures go to the Host: %v %v", err, h.execs)
	}
}

func TestInsertUpdateDeleteTableVariables(t *testing.T) {
	h := people()
	rec, err := run(t, h, `DECLARE @t TABLE (id int IDENTITY(10, 5) PRIMARY KEY, name nvarchar(5) NOT NULL, n int DEFAULT 7, d datetime NULL);
INSERT INTO @t (name) VALUES (N'abcdefg'), ('b');
INSERT @t (name, n) SELECT name, salary FROM t WHERE salary > 150;
INSERT @t VALUES ('c', DEFAULT, '2024-02-03');
UPDATE @t SET n = n + 1, name = UPPER(name) WHERE id > 10;
DELETE FROM @t WHERE name = 'c';
SELECT * FROM @t ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var counts []int64
	for _, e := range rec.events {
		if e.kind == "count" {
			counts = append(counts, e.count)
		}
	}
	if len(counts) != 6 || counts[0] != 2 || counts[1] != 1 || counts[2] != 1 || counts[3] != 3 || counts[4] != 1 || counts[5] != 3 {
		t.Fatalf("row counts %v", counts)
	}
	sameLines(t, grid(rec.tables()[0]), []string{"10|abcde|7|NULL", "15|B|8|NULL", "20|BOB|201|NULL"})
	for sql, want := range map[string]int32{
		"DECLARE @t TABLE (a int NOT NULL); INSERT @t VALUES (NULL)":   515,
		"DECLARE @t TABLE (a int, b int); INSERT @t VALUES (1)":        213,
		"DECLARE @t TABLE (a int, b int); INSERT @t (a) VALUES (1, 2)": 110,
		"DECLARE @t TABLE (a int); INSERT @t (zz) VALUES (1)":          207,
		"DECLARE @t TABLE (a int); INSERT @t VALUES ('x')":             245,
		"DECLARE @t TABLE (a int); INSERT @t EXEC sp_who2":             213,
		"INSERT INTO msdb.dbo.sysjobs (name) VALUES ('x')":             50000,
		"UPDATE msdb.dbo.sysjobs SET enabled = 0":                      50000,
		"DELETE FROM msdb.dbo.backupset WHERE backup_set_id = 1":       50000,
		"CREATE TABLE #t (a int)":                                      50000,
		"DROP TABLE dbo.t":                                             50000,
		"TRUNCATE TABLE dbo.t":                                         50000,
		"DBCC CHECKDB(mgc) WITH NO_INFOMSGS":                           50000,
		"ALTER DATABASE mgc SET COMPATIBILITY_LEVEL = 110":             50000,
		"ALTER DATABASE mgc MODIFY FILE (NAME = mgc, SIZE = 10MB)":     50000,
		"BACKUP DATABASE mgc TO DISK = 'x' WITH DIFFERENTIAL":          50000,
		"SELECT name INTO #x FROM t":                                   50000,
		"SELECT ROW_NUMBER() OVER (ORDER BY id) FROM t":                50000,
	} {
		if got := errNumber(t, h, sql); got != want {
			t.Errorf("%s: got %d, want %d", sql, got, want)
		}
	}
	_, err = run(t, h, "INSERT INTO msdb.dbo.sysjobs (name) VALUES ('x')")
	if want := "The training simulator does not support INSERT into msdb.dbo.sysjobs: it answers SELECT over system views, the stored procedures of the failback procedure, BACKUP, RESTORE and ALTER DATABASE."; err.(*Error).Text != want {
		t.Fatalf("text %q", err.(*Error).Text)
	}
}

func TestUseAndKillAndMisc(t *testing.T) {
	h := people()
	rec, err := run(t, h, "USE [msdb]\nKILL 57\nCHECKPOINT\nSET ANSI_NULLS, QUOTED_IDENTIFIER ON\nSET DEADLOCK_PRIORITY LOW\nSET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED\nSET XACT_ABORT OFF\nWAITFOR DELAY '00:00:01.500'")
	if err != nil {
		t.Fatal(err)
	}
	if h.db != "msdb" || len(h.kills) != 1 || h.kills[0] != 57 || len(h.sleeps) != 1 || h.sleeps[0] != 1500*time.Millisecond {
		t.Fatalf("db %s kills %v sleeps %v", h.db, h.kills, h.sleeps)
	}
	if infos := rec.infos(); len(infos) != 1 || infos[0].Text != "Changed database context to 'msdb'." {
		t.Fatalf("infos %+v", infos)
	}
	_, err = run(t, h, "USE nosuchdb")
	if err.(*Error).Number != 911 {
		t.Fatalf("%v", err)
	}
	_, err = run(t, h, "WAITFOR DELAY 'soon'")
	if err.(*Error).Number != 148 {
		t.Fatalf("%v", err)
	}
}

func TestRowCountAndNoCount(t *testing.T) {
	h := people()
	rec, _ := run(t, h, "SELECT id FROM t WHERE id < 3; SELECT @@ROWCOUNT")
	var counts []int64
	for _, e := range rec.events {
		if e.kind == "count" {
			counts = append(counts, e.count)
		}
	}
	if len(counts) != 2 || counts[0] != 2 || counts[1] != 1 {
		t.Fatalf("counts %v", counts)
	}
	sameLines(t, grid(rec.tables()[1]), []string{"2"})
	rec, _ = run(t, h, "SET NOCOUNT ON; SELECT 1; SET NOCOUNT OFF; SELECT 2")
	if n := len(rec.events); n != 3 || rec.events[0].kind != "rows" || rec.events[2].kind != "count" {
		t.Fatalf("events %+v", rec.events)
	}
	sameLines(t, one(t, h, "SET ROWCOUNT 2; SELECT id FROM t ORDER BY id; SET ROWCOUNT 0"), []string{"1", "2"})
}

func TestWhileGuard(t *testing.T) {
	rec, err := run(t, people(), "DECLARE @i int = 0; WHILE 1 = 1 SET @i += 1; PRINT 'after'")
	if err == nil || !strings.Contains(err.(*Error).Text, "100000 loop iterations") || len(rec.infos()) != 0 {
		t.Fatalf("err %v", err)
	}
}

func TestStringGrowthIsBounded(t *testing.T) {
	_, err := run(t, people(), "DECLARE @s nvarchar(max) = N'x'; WHILE 1 = 1 SET @s = @s + @s;")
	if err == nil || !strings.Contains(err.(*Error).Text, "limits strings") {
		t.Fatalf("err %v", err)
	}
	if got := errNumber(t, people(), "SELECT REPLICATE('ab', 100000000)"); got != 50000 {
		t.Fatalf("replicate: %d", got)
	}
}

func TestNestingTooDeep(t *testing.T) {
	deep := "SELECT " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300)
	if got := errNumber(t, people(), deep); got != 191 {
		t.Fatalf("parentheses: %d", got)
	}
	if got := errNumber(t, people(), strings.Repeat("IF 1 = 1 ", 300)+"PRINT 1"); got != 191 {
		t.Fatalf("IF: %d", got)
	}
	if got := errNumber(t, people(), "SELECT "+strings.Repeat("- ", 500)+"1"); got != 191 {
		t.Fatalf("unary: %d", got)
	}
	ors := func(n int) string { return "SELECT 1 WHERE 1 = 0" + strings.Repeat(" OR 1 = 0", n) }
	if got := errNumber(t, people(), ors(5000)); got != 191 {
		t.Fatalf("long OR chain: %d", got)
	}
	if rows := one(t, people(), ors(4000)); len(rows) != 0 {
		t.Fatalf("4000 ORs: %v", rows)
	}
}

func TestCancellation(t *testing.T) {
	h := people()
	h.block, h.started = true, make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	rec := &recorder{}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, h, &Session{}, "PRINT 'a'; WAITFOR DELAY '01:00:00'; PRINT 'b'", rec) }()
	<-h.started
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if len(rec.errors()) != 0 || len(rec.infos()) != 1 {
		t.Fatalf("events %+v", rec.events)
	}
	if err := Run(ctx, h, &Session{}, "PRINT 'x'", rec); !errors.Is(err, context.Canceled) {
		t.Fatalf("done context: %v", err)
	}
}

func TestParseExposesStatements(t *testing.T) {
	b, err := Parse(stepF4)
	if err != nil {
		t.Fatal(err)
	}
	var verbs []string
	for _, s := range b.Statements {
		verbs = append(verbs, s.Verb()+"@"+strings.Repeat("", 0)+string(rune('0'+s.Line())))
	}
	sameLines(t, verbs, []string{"USE@1", "ALTER DATABASE@3", "RESTORE DATABASE@4", "ALTER DATABASE@8"})
	if _, err := Parse("SELECT FROM"); err == nil {
		t.Fatal("syntax error not reported")
	}
}
