package tds

import (
	"bytes"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/golang-sql/civil"
	mssql "github.com/microsoft/go-mssqldb"
)

func TestSpExecuteSQLWithTypedParameters(t *testing.T) {
	f := start(t, options{})
	ctx := testCtx(t)
	c := f.conn(ctx, nil)
	long := strings.Repeat("é", 5000) // over 4000 characters: sent as nvarchar(max), in PLP chunks
	when := time.Date(2024, 3, 12, 10, 15, 30, 123_000_000, time.FixedZone("", 3600))
	guid := mssql.UniqueIdentifier{0x6F, 0x96, 0x19, 0xFF, 0x8B, 0x86, 0xD0, 0x11, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF}
	o := mustQuery(t, ctx, c, `SELECT @db AS db, @n AS n, @small AS small, @b AS b, @f AS f, @t AS t, @bin AS bin,
  @g AS g, @nul AS nul, @long AS long, @vc AS vc, @empty AS empty, @dt AS dt,
  DB_ID(@db) AS id, LEN(@long) AS long_len;`,
		sql.Named("db", "mgc"), sql.Named("n", int64(1)<<40), sql.Named("small", int32(-7)), sql.Named("b", true),
		sql.Named("f", 2.5), sql.Named("t", when), sql.Named("bin", []byte{0, 1, 0xFF}), sql.Named("g", guid),
		sql.Named("nul", nil), sql.Named("long", long), sql.Named("vc", mssql.VarChar("cafe")),
		sql.Named("empty", ""), sql.Named("dt", mssql.DateTime1(time.Date(2023, 12, 31, 23, 59, 59, 997_000_000, time.UTC))))
	row := o.sets[0]
	want := map[string]any{"db": "mgc", "n": int64(1) << 40, "small": int64(-7), "b": true, "f": 2.5, "nul": nil,
		"long": long, "vc": "cafe", "empty": "", "long_len": int64(5000)}
	for col, v := range want {
		if got := row.cell(0, col); got != v {
			t.Errorf("%s = %#v, want %#v", col, got, v)
		}
	}
	if id, ok := row.cell(0, "id").(int64); !ok || id < 5 {
		t.Errorf("DB_ID(@db) = %#v", row.cell(0, "id"))
	}
	// A datetimeoffset compared or returned as datetime keeps its local wall clock, as SQL Server converts it.
	if got, _ := row.cell(0, "t").(time.Time); got.Format("2006-01-02 15:04:05.000") != when.Format("2006-01-02 15:04:05.000") {
		t.Errorf("t = %v, want the wall clock of %v", got, when)
	}
	if got, _ := row.cell(0, "dt").(time.Time); !got.Equal(time.Date(2023, 12, 31, 23, 59, 59, 997_000_000, time.UTC)) {
		t.Errorf("dt = %v", got)
	}
	if got, _ := row.cell(0, "bin").([]byte); !bytes.Equal(got, []byte{0, 1, 0xFF}) {
		t.Errorf("bin = %#v", row.cell(0, "bin"))
	}
	var g mssql.UniqueIdentifier
	if err := g.Scan(row.cell(0, "g")); err != nil || g != guid {
		t.Errorf("g = %v (%v), want %v", g, err, guid)
	}
	if st := f.srv.Stats(); st.RPCs != 1 || st.Batches != 0 {
		t.Fatalf("stats %+v", st)
	}
	ex := f.sim.Executed()
	if last := ex[len(ex)-1]; !strings.HasPrefix(last.Text, "SELECT @db AS db") {
		t.Fatalf("recorded as %q", last.Text)
	}
}

func TestDateAndTimeParameters(t *testing.T) {
	f := start(t, options{})
	ctx := testCtx(t)
	c := f.conn(ctx, nil)
	o := mustQuery(t, ctx, c, "SELECT @d2 AS d2, @d AS d, @tm AS tm, @dto AS dto, DATEDIFF(day, @d, @d2) AS days;",
		sql.Named("d2", civil.DateTime{Date: civil.Date{Year: 2024, Month: 3, Day: 12}, Time: civil.Time{Hour: 9, Minute: 30, Second: 5, Nanosecond: 250_000_000}}),
		sql.Named("d", civil.Date{Year: 2024, Month: 2, Day: 29}),
		sql.Named("tm", civil.Time{Hour: 23, Minute: 59, Second: 58}),
		sql.Named("dto", mssql.DateTimeOffset(time.Date(2024, 3, 12, 9, 30, 0, 0, time.FixedZone("", -5*3600)))))
	row := o.sets[0]
	want := map[string]string{"d2": "2024-03-12 09:30:05.250", "d": "2024-02-29 00:00:00.000", "tm": "1900-01-01 23:59:58.000",
		"dto": "2024-03-12 09:30:00.000"}
	for col, w := range want {
		if got, _ := row.cell(0, col).(time.Time); got.Format("2006-01-02 15:04:05.000") != w {
			t.Errorf("%s = %v, want %s", col, row.cell(0, col), w)
		}
	}
	if row.cell(0, "days") != int64(12) {
		t.Errorf("days = %v", row.cell(0, "days"))
	}
}

func TestPositionalParametersAndBackupWithParameters(t *testing.T) {
	f := start(t, options{})
	ctx := testCtx(t)
	c := f.conn(ctx, nil)
	o := mustQuery(t, ctx, c, "SELECT @p1 + 1 AS answer, @p2 AS name;", int64(41), "x")
	if o.sets[0].cell(0, "answer") != int64(42) || o.sets[0].cell(0, "name") != "x" {
		t.Fatalf("%+v", o.sets)
	}
	// The console's F3 with its names as parameters: messages stream from inside sp_executesql too.
	b := mustQuery(t, ctx, c, "BACKUP DATABASE @db TO DISK = @path WITH INIT, FORMAT, CHECKSUM, STATS = 25;",
		sql.Named("db", "mgc"), sql.Named("path", `\\fs01.contoso.local\pchatls\mgc_param.bak`))
	var numbers []int32
	for _, m := range b.infos {
		numbers = append(numbers, m.Number)
	}
	if len(numbers) < 3 || numbers[0] != 3211 || numbers[len(numbers)-1] != 3014 {
		t.Fatalf("backup through sp_executesql said %v", numbers)
	}
}

func TestProceduresByNameAndErrorsInsideCalls(t *testing.T) {
	f := start(t, options{})
	ctx := testCtx(t)
	c := f.conn(ctx, nil)
	// A single identifier goes as an RPC naming the procedure.
	who := mustQuery(t, ctx, c, "sp_who2")
	if len(who.sets) != 1 || len(who.sets[0].rows) == 0 || who.sets[0].cols[0] != "SPID" {
		t.Fatalf("sp_who2: %+v", who.sets)
	}
	help := mustQuery(t, ctx, c, "sp_helpdb", sql.Named("dbname", "mgc"))
	if len(help.sets) == 0 || help.sets[0].cell(0, "name") != "mgc" {
		t.Fatalf("sp_helpdb @dbname: %+v", help.sets)
	}
	// Errors inside sp_executesql come back as messages; the statements after them still run.
	o := query(ctx, c, "RAISERROR(N'boom %d', 16, 1, @x); SELECT @x AS x;", nil, sql.Named("x", int64(3)))
	if o.err != nil || len(o.errs) != 1 || o.errs[0].Number != 50000 || o.errs[0].Class != 16 || o.errs[0].Message != "boom 3" {
		t.Fatalf("errors: %v %+v", o.err, o.errs)
	}
	if len(o.sets) != 1 || o.sets[0].cell(0, "x") != int64(3) {
		t.Fatalf("after the error: %+v", o.sets)
	}
	// Without sqlexp the driver reports the error as the statement's result.
	_, err := c.ExecContext(ctx, "SELECT * FROM dbo.nosuchtable WHERE 1 = @p1;", 1)
	if e := sqlError(t, err); e.Number != 208 {
		t.Fatalf("Exec: %v", err)
	}
	if st := f.srv.Stats(); st.Batches != 0 || st.RPCs != 4 {
		t.Fatalf("stats %+v", st)
	}
}
