package tsql

import (
	"strings"
	"testing"
)

// people is a small table with NULLs, mixed case and trailing spaces for semantic tests.
func people() *fakeHost {
	h := estate(0)
	h.tables["master.dbo.t"] = tbl("id int, name nvarchar, dept varchar, salary int, born datetime",
		row(int64(1), "Alice", "ops", int64(100), at("1980-05-01 00:00:00")),
		row(int64(2), "bob", "OPS", int64(200), at("1990-01-15 08:30:00")),
		row(int64(3), "Carol ", "dev", nil, nil),
		row(int64(4), nil, "dev", int64(50), at("2000-12-31 23:59:59")),
		row(int64(5), "dave", nil, int64(70), at("1975-07-04 12:00:00")))
	h.tables["master.dbo.d"] = tbl("dept varchar, title nvarchar",
		row("ops", "Operations"), row("dev", "Development"), row("hr", "People"))
	return h
}

func TestSelectSemantics(t *testing.T) {
	cases := []struct {
		name, sql string
		want      []string
	}{
		{"literal without from", "SELECT 1, N'a', 2.50, NULL", []string{"1|a|2.5|NULL"}},
		{"where three-valued", "SELECT id FROM t WHERE salary > 60", []string{"1", "2", "5"}},
		{"case-insensitive equality and trailing spaces", "SELECT id FROM t WHERE name = 'CAROL'", []string{"3"}},
		{"not in with null yields nothing", "SELECT id FROM t WHERE dept NOT IN ('x', NULL)", nil},
		{"in list", "SELECT id FROM t WHERE dept IN ('OPS') ORDER BY id", []string{"1", "2"}},
		{"is null", "SELECT id FROM t WHERE name IS NULL OR dept IS NULL ORDER BY id DESC", []string{"5", "4"}},
		{"like wildcards", "SELECT id FROM t WHERE name LIKE '[a-c]%' ORDER BY id", []string{"1", "2", "3"}},
		{"like underscore and negated set", "SELECT id FROM t WHERE name LIKE '_[^o]%'", []string{"1", "3", "5"}},
		{"like escape", "SELECT CASE WHEN 'a_b' LIKE 'a!_b' ESCAPE '!' THEN 1 ELSE 0 END, CASE WHEN 'axb' LIKE 'a!_b' ESCAPE '!' THEN 1 ELSE 0 END", []string{"1|0"}},
		{"between", "SELECT id FROM t WHERE salary BETWEEN 60 AND 150 ORDER BY id", []string{"1", "5"}},
		{"order nulls first ascending", "SELECT id FROM t ORDER BY salary", []string{"3", "4", "5", "1", "2"}},
		{"order desc nulls last", "SELECT id FROM t ORDER BY salary DESC", []string{"2", "1", "5", "4", "3"}},
		{"order by alias and ordinal", "SELECT id AS k, salary s FROM t WHERE salary IS NOT NULL ORDER BY s DESC, 1", []string{"2|200", "1|100", "5|70", "4|50"}},
		{"order by column not selected", "SELECT name FROM t WHERE id < 3 ORDER BY born DESC", []string{"bob", "Alice"}},
		{"top with order", "SELECT TOP (2) id FROM t ORDER BY id DESC", []string{"5", "4"}},
		{"top without parentheses", "SELECT TOP 1 id FROM t ORDER BY id", []string{"1"}},
		{"top percent", "SELECT TOP (40) PERCENT id FROM t ORDER BY id", []string{"1", "2"}},
		{"top with ties", "SELECT TOP (1) WITH TIES dept FROM t WHERE dept IS NOT NULL ORDER BY dept", []string{"dev", "dev"}},
		{"distinct is case-insensitive", "SELECT DISTINCT dept FROM t WHERE dept IS NOT NULL ORDER BY dept", []string{"dev", "ops"}},
		{"count star, count column, count distinct", "SELECT COUNT(*), COUNT(name), COUNT(DISTINCT dept) FROM t", []string{"5|4|2"}},
		{"aggregates", "SELECT SUM(salary), MIN(salary), MAX(salary), AVG(salary), MAX(name), MIN(born) FROM t", []string{"420|50|200|105|dave|1975-07-04 12:00:00.000"}},
		{"aggregate over no rows gives one row", "SELECT COUNT(*), SUM(salary) FROM t WHERE 1 = 0", []string{"0|NULL"}},
		{"group by with having", "SELECT dept, COUNT(*) AS n FROM t GROUP BY dept HAVING COUNT(*) > 1 ORDER BY dept", []string{"dev|2", "ops|2"}},
		{"group by expression", "SELECT UPPER(dept), SUM(salary) FROM t WHERE dept IS NOT NULL GROUP BY UPPER(dept) ORDER BY 1", []string{"DEV|50", "OPS|300"}},
		{"group by no rows gives none", "SELECT dept, COUNT(*) FROM t WHERE 1 = 0 GROUP BY dept", nil},
		{"inner join", "SELECT t.id, d.title FROM t JOIN d ON d.dept = t.dept ORDER BY t.id", []string{"1|Operations", "2|Operations", "3|Development", "4|Development"}},
		{"left join keeps unmatched", "SELECT t.id, d.title FROM t LEFT OUTER JOIN d ON d.dept = t.dept WHERE t.id = 5", []string{"5|NULL"}},
		{"right join", "SELECT d.title, COUNT(t.id) FROM t RIGHT JOIN d ON d.dept = t.dept GROUP BY d.title ORDER BY d.title", []string{"Development|2", "Operations|2", "People|0"}},
		{"full join", "SELECT COUNT(*) FROM t FULL JOIN d ON d.dept = t.dept", []string{"6"}},
		{"cross join and comma join", "SELECT (SELECT COUNT(*) FROM t CROSS JOIN d), (SELECT COUNT(*) FROM t, d WHERE t.dept = d.dept)", []string{"15|4"}},
		{"cross apply correlated", "SELECT d.dept, x.id FROM d CROSS APPLY (SELECT TOP (1) id FROM t WHERE t.dept = d.dept ORDER BY id DESC) x ORDER BY d.dept", []string{"dev|4", "ops|2"}},
		{"outer apply keeps unmatched", "SELECT d.dept, x.id FROM d OUTER APPLY (SELECT TOP (1) id FROM t WHERE t.dept = d.dept) x WHERE d.dept = 'hr'", []string{"hr|NULL"}},
		{"derived table", "SELECT x.n FROM (SELECT COUNT(*) AS n FROM t) AS x", []string{"5"}},
		{"derived table column list", "SELECT a FROM (SELECT 7) AS x(a)", []string{"7"}},
		{"correlated scalar subquery", "SELECT d.dept, (SELECT COUNT(*) FROM t WHERE t.dept = d.dept) FROM d ORDER BY 2, 1", []string{"hr|0", "dev|2", "ops|2"}},
		{"exists", "SELECT dept FROM d WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.dept = d.dept)", []string{"hr"}},
		{"in subquery", "SELECT title FROM d WHERE dept IN (SELECT dept FROM t WHERE salary >= 100) ", []string{"Operations"}},
		{"union removes duplicates", "SELECT dept FROM t WHERE dept = 'ops' UNION SELECT 'OPS' UNION SELECT 'hr' ORDER BY 1", []string{"hr", "ops"}},
		{"union all keeps them", "SELECT 1 UNION ALL SELECT 1 UNION ALL SELECT 2", []string{"1", "1", "2"}},
		{"except and intersect", "SELECT dept FROM d EXCEPT SELECT dept FROM t; ", []string{"hr"}},
		{"simple and searched case", "SELECT CASE dept WHEN 'ops' THEN 'O' WHEN 'dev' THEN 'D' ELSE '?' END, CASE WHEN salary > 100 THEN 'high' WHEN salary IS NULL THEN 'none' END FROM t ORDER BY id", []string{"O|NULL", "O|high", "D|none", "D|NULL", "?|NULL"}},
		{"alias forms", "SELECT a = 1, 2 AS b, 3 c, 4 'd', 5 AS [e f]", []string{"1|2|3|4|5"}},
		{"star and qualified star", "SELECT d.*, t.id FROM d JOIN t ON t.id = 1 WHERE d.dept = 'hr'", []string{"hr|People|1"}},
		{"integer division and modulo", "SELECT 7 / 2, 7 % 3, -7 / 2, 7.0 / 2, 2 * 3 + 1", []string{"3|1|-3|3.5|7"}},
		{"string concatenation", "SELECT N'a' + 'b' + CAST(1 AS varchar(5)), 'x' + NULL", []string{"ab1|NULL"}},
		{"implicit int conversion of string", "SELECT id FROM t WHERE id = '2'", []string{"2"}},
		{"datetime against string literal", "SELECT id FROM t WHERE born > '1985-01-01' AND born < '20000101 10:00' ORDER BY id", []string{"2"}},
		{"multi-part names with empty part", "SELECT COUNT(*) FROM msdb..backupset WHERE type = 'd'", []string{"3"}},
		{"bracketed and quoted identifiers", `SELECT [name], "database_id" FROM [sys].[databases] WHERE [name] = N'msdb'`, []string{"msdb|4"}},
		{"table hints are accepted", "SELECT COUNT(*) FROM t WITH (NOLOCK) JOIN d (NOLOCK) ON d.dept = t.dept", []string{"4"}},
		{"offset fetch", "SELECT id FROM t ORDER BY id OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY", []string{"2", "3"}},
		{"cte", "WITH x AS (SELECT dept, COUNT(*) AS n FROM t GROUP BY dept) SELECT n FROM x WHERE dept = 'dev'", []string{"2"}},
		{"nested comments", "SELECT /* outer /* inner */ still comment */ 1 -- trailing", []string{"1"}},
		{"escaped quotes", "SELECT 'it''s', [a]]b] = 1", []string{"it's|1"}},
		{"iif and coalesce", "SELECT IIF(1 < 2, 'y', 'n'), COALESCE(NULL, NULL, 3), ISNULL(NULL, 'z'), NULLIF(1, 1)", []string{"y|3|z|NULL"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sameLines(t, one(t, people(), c.sql), c.want)
		})
	}
}

func TestResultColumnNamesAndTypes(t *testing.T) {
	ts := mustRun(t, people(), "SELECT id, t.name, salary + 1, GETDATE() AS now, CAST(id AS nvarchar(10)) AS s, DATEDIFF(day, born, GETDATE()) AS age, LEN(name) FROM t WHERE id = 1")
	got := ts[0].Columns
	want := []Column{{"id", TypeInt, 0}, {"name", TypeNVarChar, 0}, {"", TypeInt, 0}, {"now", TypeDateTime, 0},
		{"s", TypeNVarChar, 10}, {"age", TypeInt, 0}, {"", TypeInt, 0}}
	if len(got) != len(want) {
		t.Fatalf("columns %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("column %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestNameResolutionErrors(t *testing.T) {
	cases := []struct {
		sql  string
		want int32
		text string
	}{
		{"SELECT nosuch FROM t", 207, "Invalid column name 'nosuch'."},
		{"SELECT dept FROM t JOIN d ON d.dept = t.dept", 209, "Ambiguous column name 'dept'."},
		{"SELECT x.id FROM t", 4104, `The multi-part identifier "x.id" could not be bound.`},
		{"SELECT t.id FROM t AS a", 4104, `The multi-part identifier "t.id" could not be bound.`},
		{"SELECT dept, name FROM t GROUP BY dept", 8120, "Column 't.name' is invalid in the select list because it is not contained in either an aggregate function or the GROUP BY clause."},
		{"SELECT * FROM nowhere", 208, "Invalid object name 'nowhere'."},
		{"SELECT NOSUCHFN(1)", 195, "'NOSUCHFN' is not a recognized built-in function name."},
		{"SELECT id FROM t WHERE COUNT(*) > 1", 147, ""},
		{"SELECT 1 / 0", 8134, "Divide by zero error encountered."},
		{"SELECT CAST('abc' AS int)", 245, "Conversion failed when converting the varchar value 'abc' to data type int."},
		{"SELECT id FROM t WHERE name = 1", 245, "Conversion failed when converting the nvarchar value 'Alice' to data type int."},
		{"SELECT CAST('2024-13-01' AS datetime)", 241, ""},
		{"SELECT (SELECT id FROM t)", 512, ""},
		{"SELECT * FROM t a, d a", 1011, ""},
		{"SELECT *", 263, "Must specify table to select from."},
		{"SELECT id FROM t ORDER BY 9", 108, ""},
		{"SELECT 1 UNION SELECT 1, 2", 205, ""},
		{"SELECT DISTINCT name FROM t ORDER BY id", 145, ""},
		{"SELECT (SELECT id, name FROM t WHERE id = 1)", 116, ""},
		{"SELECT id FROM (SELECT id FROM t ORDER BY id) x", 1033, ""},
		{"SELECT 2147483647 + 1", 8115, "Arithmetic overflow error converting expression to data type int."},
		{"SELECT LEN()", 174, "The LEN function requires 1 argument(s)."},
	}
	for _, c := range cases {
		t.Run(c.sql, func(t *testing.T) {
			rec, err := run(t, people(), c.sql)
			if err == nil {
				t.Fatalf("no error")
			}
			e := err.(*Error)
			if e.Number != c.want {
				t.Fatalf("error %d %q, want %d", e.Number, e.Text, c.want)
			}
			if c.text != "" && e.Text != c.text {
				t.Fatalf("text %q, want %q", e.Text, c.text)
			}
			if e.Line != 1 {
				t.Fatalf("line %d", e.Line)
			}
			if len(rec.tables()) != 0 {
				t.Fatalf("a result set was sent")
			}
		})
	}
}

func TestTableFetchedOncePerReference(t *testing.T) {
	h := estate(30)
	mustRun(t, h, jobsQuery)
	if n := h.tableCalls["msdb.dbo.sysjobhistory"]; n != 1 {
		t.Fatalf("sysjobhistory fetched %d times, want 1 (once per reference)", n)
	}
	if n := h.tableCalls["msdb.dbo.syssessions"]; n != 1 {
		t.Fatalf("syssessions fetched %d times", n)
	}
	mustRun(t, h, "SELECT 1 FROM msdb.dbo.syssessions a JOIN msdb.dbo.syssessions b ON a.session_id = b.session_id")
	if n := h.tableCalls["msdb.dbo.syssessions"]; n != 3 {
		t.Fatalf("two references fetched %d times in total, want 3", n)
	}
}

func TestFunctions(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"SELECT LEN('abc  '), DATALENGTH(N'ab'), DATALENGTH('ab')", "3|4|2"},
		{"SELECT UPPER('a'), LOWER('B'), LTRIM('  x'), RTRIM('x  ') + '|', TRIM('  y  ')", "A|b|x|x||y"},
		{"SELECT SUBSTRING('abcdef', 2, 3), SUBSTRING('abc', 0, 2), LEFT('abc', 2), RIGHT('abc', 2), LEFT('ab', 5)", "bcd|a|ab|bc|ab"},
		{"SELECT REPLACE('aXbx', 'x', '-'), CHARINDEX('C', 'abcabc'), CHARINDEX('c', 'abcabc', 4), CHARINDEX('z', 'abc')", "a-b-|3|6|0"},
		{"SELECT REPLICATE('ab', 3), STR(3.14159, 6, 2), QUOTENAME('a]b'), CONCAT('a', NULL, 1)", "ababab|  3.14|[a]]b]|a1"},
		{"SELECT ABS(-3), ROUND(2.567, 2), FLOOR(2.7), CEILING(2.1), ROUND(1234, -2)", "3|2.57|2|3|1200"},
		{"SELECT DATEDIFF(day, '2024-01-01 23:59', '2024-01-02 00:01'), DATEDIFF(minute, '2024-01-01 10:00', '2024-01-01 11:30'), DATEDIFF(yy, '2023-12-31', '2024-01-01')", "1|90|1"},
		{"SELECT DATEADD(month, 1, '2024-01-31'), DATEADD(dd, -1, '20240301'), DATEADD(hh, 2, '2024-01-01 23:00')", "2024-02-29 00:00:00.000|2024-02-29 00:00:00.000|2024-01-02 01:00:00.000"},
		{"SELECT DATEPART(year, '2024-03-05'), YEAR('2024-03-05'), MONTH('2024-03-05'), DAY('2024-03-05'), DATEPART(weekday, '2024-03-05'), DATEPART(mi, '10:42')", "2024|2024|3|5|3|42"},
		{"SELECT CONVERT(varchar(19), CAST('2024-01-02 03:04:05.678' AS datetime), 120), CONVERT(varchar(23), CAST('2024-01-02 03:04:05.678' AS datetime), 121)", "2024-01-02 03:04:05|2024-01-02 03:04:05.678"},
		{"SELECT CONVERT(char(10), CAST('2024-01-02' AS datetime), 23), CONVERT(varchar(8), CAST('2024-01-02 13:14:15' AS datetime), 108), CONVERT(varchar(8), CAST('2024-01-02' AS datetime), 112)", "2024-01-02|13:14:15|20240102"},
		{"SELECT CONVERT(varchar(30), CAST('2024-01-02 13:04:00' AS datetime), 0), CAST(CAST('2024-01-02 09:04:00' AS datetime) AS varchar(30))", "Jan  2 2024  1:04PM|Jan  2 2024  9:04AM"},
		{"SELECT msdb.dbo.agent_datetime(20240102, 30405), agent_datetime(20231231, 235959)", "2024-01-02 03:04:05.000|2023-12-31 23:59:59.000"},
		{"SELECT CAST(1.5 AS int), CAST('12' AS bigint) + 1, CAST(3 AS decimal(5,2)), CAST(1 AS bit), CAST('true' AS bit)", "1|13|3|1|1"},
		{"SELECT TRY_CAST('x' AS int), TRY_CONVERT(datetime, 'nope'), ISNUMERIC('1.5'), ISNUMERIC('x'), ISDATE('20240101')", "NULL|NULL|1|0|1"},
		{"SELECT CAST(GETDATE() AS date), SYSDATETIME(), CURRENT_TIMESTAMP", "2024-01-01 00:00:00.000|2024-01-01 12:30:00.000|2024-01-01 12:30:00.000"},
		{"SELECT CAST(N'6F9619FF-8B86-D011-B42D-00C04FC964FF' AS uniqueidentifier)", "6F9619FF-8B86-D011-B42D-00C04FC964FF"},
		{"SELECT DB_NAME(5), DB_ID(N'mgccomp'), SERVERPROPERTY('ProductVersion'), @@SERVERNAME, @@SPID", "mgc|6|11.0.7001.0|SQLBACKUP|55"},
		{"SELECT CAST(123456789e0 AS varchar(20)), CAST(0.5e0 AS varchar(10)), CAST(2.50 AS varchar(10))", "1.23457e+008|0.5|2.50"},
	}
	for _, c := range cases {
		t.Run(c.sql, func(t *testing.T) {
			got := one(t, people(), c.sql)
			if len(got) != 1 || got[0] != c.want {
				t.Fatalf("got %v, want %s", got, c.want)
			}
		})
	}
}

func TestUnknownGlobalIsCompileError(t *testing.T) {
	rec, err := run(t, people(), "PRINT 'before'; SELECT @@NOSUCH")
	if err == nil || err.(*Error).Number != 137 {
		t.Fatalf("err = %v", err)
	}
	if len(rec.infos()) != 0 {
		t.Fatal("statements ran before a compile error")
	}
	if !strings.Contains(err.(*Error).Text, "@@NOSUCH") {
		t.Fatalf("text %q", err.(*Error).Text)
	}
}

func TestAssignmentFollowsOrderBy(t *testing.T) {
	h := people()
	sameLines(t, one(t, h, "DECLARE @s nvarchar(100) = ''; SELECT @s = @s + CAST(id AS varchar(3)) FROM t ORDER BY id DESC; SELECT @s"), []string{"54321"})
	sameLines(t, one(t, h, "DECLARE @n nvarchar(10); SELECT TOP (1) @n = name FROM t WHERE name IS NOT NULL ORDER BY name DESC; SELECT @n"), []string{"dave"})
}

func TestCTEsAndTableVariablesInSubqueries(t *testing.T) {
	h := people()
	sameLines(t, one(t, h, "WITH a AS (SELECT id FROM t WHERE id < 4), b (k) AS (SELECT id * 10 FROM a) SELECT SUM(k) FROM b"), []string{"60"})
	sameLines(t, one(t, h, "DECLARE @v TABLE (a int); INSERT @v VALUES (2), (4); SELECT name FROM t WHERE id IN (SELECT a FROM @v) ORDER BY id"), []string{"bob", "NULL"})
	if got := errNumber(t, h, "WITH a AS (SELECT * FROM a) SELECT * FROM a"); got != 208 {
		t.Fatalf("a CTE does not see itself: %d", got)
	}
}

func TestDBAIdioms(t *testing.T) {
	h := estate(6)
	rows := one(t, h, `SELECT TOP 3 j.name, msdb.dbo.agent_datetime(h.run_date, h.run_time) AS ran,
       CONVERT(varchar(8), DATEADD(SECOND, h.run_duration, 0), 108) AS took,
       CASE h.run_status WHEN 0 THEN 'Failed' WHEN 1 THEN 'Succeeded' ELSE 'Other' END AS outcome
FROM msdb.dbo.sysjobhistory h JOIN msdb.dbo.sysjobs j ON j.job_id = h.job_id
WHERE h.step_id = 0 ORDER BY h.instance_id DESC`)
	sameLines(t, rows, []string{
		"syspolicy_purge_history|2023-12-31 00:10:00.000|00:00:01|Succeeded",
		"LSBackup_mgc|2023-12-31 00:08:00.000|00:00:01|Succeeded",
		"LSAlert_SQLBACKUP|2023-12-31 00:06:00.000|00:00:01|Succeeded",
	})
	sameLines(t, one(t, h, "SELECT 'Server: ' + @@SERVERNAME, @@SPID + 1, RIGHT('00' + CAST(7 AS varchar(2)), 2), LEFT(@@VERSION, 20)"),
		[]string{"Server: SQLBACKUP|56|07|Microsoft SQL Server"})
	sameLines(t, one(t, h, "IF OBJECT_ID('tempdb..#x') IS NOT NULL DROP TABLE #x; SELECT COUNT(1) FROM sys.databases WHERE state_desc <> 'ONLINE'"), []string{"0"})
}

func TestValuesTable(t *testing.T) {
	sameLines(t, one(t, people(), "SELECT v.n, v.s FROM (VALUES (1, 'a'), (2, 'b')) AS v (n, s) WHERE v.n > 1"), []string{"2|b"})
	sameLines(t, one(t, people(), "SELECT d.title FROM d JOIN (VALUES ('hr')) x(k) ON x.k = d.dept"), []string{"People"})
}
