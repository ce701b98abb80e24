package sim

import (
	"context"
	"strconv"
	"strings"
	"time"

	"pcfailback/tsql"
)

// columns parses a column list written like a CREATE TABLE ("name sysname, database_id int, size
// nvarchar(60)") into result set columns. The lists are package constants, parsed once.
func columns(spec string) []tsql.Column {
	var out []tsql.Column
	for _, part := range strings.Split(spec, ",") {
		f := strings.Fields(part)
		if len(f) < 2 {
			continue
		}
		c := tsql.Column{Name: f[0]}
		typ := strings.ToLower(f[1])
		size := 0
		if i := strings.IndexByte(typ, '('); i >= 0 {
			if n, err := strconv.Atoi(strings.TrimSuffix(typ[i+1:], ")")); err == nil {
				size = n
			}
			typ = typ[:i]
		}
		switch typ {
		case "sysname":
			c.Type, c.Size = tsql.TypeNVarChar, 128
		case "nvarchar", "nchar":
			c.Type, c.Size = tsql.TypeNVarChar, size
		case "varchar", "char", "varbinary":
			c.Type, c.Size = tsql.TypeVarChar, size
		case "int":
			c.Type = tsql.TypeInt
		case "bigint":
			c.Type = tsql.TypeBigInt
		case "smallint":
			c.Type = tsql.TypeSmallInt
		case "tinyint":
			c.Type = tsql.TypeTinyInt
		case "bit":
			c.Type = tsql.TypeBit
		case "datetime", "datetimeoffset":
			c.Type = tsql.TypeDateTime
		case "float", "real":
			c.Type = tsql.TypeFloat
		case "numeric", "decimal":
			c.Type = tsql.TypeNumeric
		case "uniqueidentifier":
			c.Type = tsql.TypeUniqueIdentifier
		default:
			c.Type = tsql.TypeNVarChar
		}
		out = append(out, c)
	}
	return out
}

// view builds a table from a session's view of the estate (callers hold the lock). d is the database the name
// was resolved in.
type view struct {
	cols  []tsql.Column
	scope int // scopeServer, scopeDatabase or scopeMSDB
	rows  func(ss *session, d *database) [][]tsql.Value
}

// View scopes: server-wide catalog views and DMVs are visible from every database (sys schema), database
// views show the named database's contents, msdb tables exist only in msdb (dbo schema).
const (
	scopeServer = iota
	scopeDatabase
	scopeMSDB
	scopeCompat // sys.sysprocesses and friends: also reachable without a schema or through dbo
)

// views maps lower-case "schema.object" names to their definitions; it is filled by the views_*.go files.
var views = map[string]*view{}

func register(name string, scope int, cols string, rows func(ss *session, d *database) [][]tsql.Value) {
	views[name] = &view{cols: columns(cols), scope: scope, rows: rows}
}

// Table implements tsql.Host: it resolves a table or view name the way SQL Server does relative to the session's
// database and returns its current contents.
func (ss *session) Table(ctx context.Context, name tsql.ObjectName) (*tsql.Table, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := ss.sim
	s.lock()
	defer s.unlock()
	if ss.killed {
		return nil, errSessionKilled
	}
	invalid := sqlError(208, 16, 1, "Invalid object name '%s'.", name.String())
	if name.Server != "" && !ss.inst.matches(name.Server) {
		return nil, sqlError(7202, 11, 2, "Could not find server '%s' in sys.servers. Verify that the correct server "+
			"name was specified. If necessary, execute the stored procedure sp_addlinkedserver to add the server to "+
			"sys.servers.", name.Server)
	}
	dbName := name.Database
	if dbName == "" {
		dbName = ss.db
	}
	d := ss.inst.db(dbName)
	if d == nil {
		return nil, invalid
	}
	if name.Database != "" && !nameEq(name.Database, ss.db) {
		if err := openable(ss, d); err != nil {
			return nil, err
		}
	}
	schema, obj := strings.ToLower(name.Schema), strings.ToLower(name.Object)
	v := lookupView(schema, obj, d)
	if v == nil {
		return nil, invalid
	}
	if v.scope == scopeDatabase {
		if err := openable(ss, d); err != nil {
			return nil, err
		}
	}
	rows := v.rows(ss, d)
	roundTimes(rows)
	return &tsql.Table{Columns: v.cols, Rows: rows}, nil
}

// roundTimes rounds every datetime of rows to SQL Server's precision.
func roundTimes(rows [][]tsql.Value) {
	for _, row := range rows {
		for i, val := range row {
			if t, ok := val.(time.Time); ok {
				row[i] = sqlDateTime(t)
			}
		}
	}
}

// sqlDateTime rounds a time to the precision of SQL Server's datetime: 1/300 of a second, shown as
// milliseconds ending in 0, 3 or 7.
func sqlDateTime(t time.Time) time.Time {
	ticks := (int64(t.Nanosecond())*300 + 500_000_000) / 1_000_000_000
	ms := (ticks*1000 + 150) / 300
	return t.Truncate(time.Second).Add(time.Duration(ms) * time.Millisecond)
}

// lookupView finds the view a schema and object name designate in database d.
func lookupView(schema, obj string, d *database) *view {
	if v := views["sys."+obj]; v != nil {
		switch {
		case schema == "sys":
			return v
		case v.scope == scopeCompat && (schema == "" || schema == "dbo"):
			return v
		}
	}
	if v := views["msdb."+obj]; v != nil && nameEq(d.name, "msdb") && (schema == "" || schema == "dbo") {
		return v
	}
	return nil
}

// openable checks that the session could read from d (a restoring, mirror or offline database cannot be opened).
func openable(ss *session, d *database) error {
	switch {
	case d.isMirror():
		return errIsMirror(d.name)
	case d.state == stateRestoring || d.busy != "":
		return errInRestore(d.name)
	case d.state == stateOffline:
		return errOffline(d.name)
	}
	return nil
}

// Helpers that turn Go values into SQL values for rows.

// nstr is a string that is NULL when empty.
func nstr(s string) tsql.Value {
	if s == "" {
		return nil
	}
	return s
}

func i64[T ~int | ~int64 | ~int32 | ~uint8](n T) tsql.Value { return int64(n) }

func bit(b bool) tsql.Value { return b }
