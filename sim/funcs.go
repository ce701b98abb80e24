package sim

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"pcfailback/tsql"
)

// Func implements tsql.Host for the server functions the interpreter leaves to the server.
func (ss *session) Func(ctx context.Context, name string, args []tsql.Value) (tsql.Value, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, true, err
	}
	s := ss.sim
	s.lock()
	defer s.unlock()
	in := ss.inst
	argc := func(lo, hi int) error {
		if len(args) < lo || len(args) > hi {
			if lo == hi {
				return sqlError(174, 15, 1, "The %s function requires %d argument(s).", strings.ToLower(name), lo)
			}
			return sqlError(174, 15, 1, "The %s function requires %d to %d arguments.", strings.ToLower(name), lo, hi)
		}
		return nil
	}
	switch strings.ToUpper(name) {
	case "DB_ID":
		if err := argc(0, 1); err != nil {
			return nil, true, err
		}
		if len(args) == 0 {
			return ss.dbID(), true, nil
		}
		if args[0] == nil {
			return nil, true, nil
		}
		if d := in.db(strings.Trim(toText(args[0]), "[]")); d != nil {
			return int64(d.id), true, nil
		}
		return nil, true, nil
	case "DB_NAME":
		if err := argc(0, 1); err != nil {
			return nil, true, err
		}
		if len(args) == 0 {
			return ss.db, true, nil
		}
		if args[0] == nil {
			return nil, true, nil
		}
		id, err := toInt(args[0])
		if err != nil {
			return nil, true, err
		}
		if d := in.dbByID(int(id)); d != nil {
			return d.name, true, nil
		}
		return nil, true, nil
	case "SERVERPROPERTY":
		if err := argc(1, 1); err != nil {
			return nil, true, err
		}
		return serverProperty(in, toText(args[0])), true, nil
	case "SUSER_SNAME", "SUSER_NAME":
		if err := argc(0, 1); err != nil {
			return nil, true, err
		}
		if len(args) == 0 {
			return ss.login, true, nil
		}
		return in.loginBySID(toText(args[0])), true, nil
	case "SUSER_SID":
		if err := argc(0, 1); err != nil {
			return nil, true, err
		}
		who := ss.login
		if len(args) == 1 {
			who = toText(args[0])
		}
		if l := in.login(who); l != nil {
			return l.sid, true, nil
		}
		return sidOf(who), true, nil
	case "ORIGINAL_LOGIN":
		return ss.login, true, nil
	case "HOST_NAME":
		return ss.host, true, nil
	case "APP_NAME":
		return ss.app, true, nil
	case "USER_NAME", "CURRENT_USER", "USER":
		return "dbo", true, nil
	case "OBJECT_ID", "OBJECT_NAME", "SCHEMA_ID", "SCHEMA_NAME":
		return nil, true, nil
	case "IS_SRVROLEMEMBER", "IS_MEMBER", "HAS_DBACCESS", "HAS_PERMS_BY_NAME":
		if ss.isSysadmin {
			return int64(1), true, nil
		}
		return int64(0), true, nil
	case "DATABASEPROPERTYEX":
		if err := argc(2, 2); err != nil {
			return nil, true, err
		}
		d := in.db(toText(args[0]))
		if d == nil {
			return nil, true, nil
		}
		return databaseProperty(d, toText(args[1])), true, nil
	case "SESSIONPROPERTY":
		return nil, true, nil
	case "CONTEXT_INFO", "APPLOCK_MODE", "APPLOCK_TEST":
		v, err := ss.appLockFunc(strings.ToUpper(name), args)
		return v, true, err
	}
	return nil, false, nil
}

// loginBySID finds a login's name by SID (NULL when unknown).
func (in *instance) loginBySID(sid string) tsql.Value {
	for _, l := range in.logins {
		if strings.EqualFold(l.sid, sid) {
			return l.name
		}
	}
	return nil
}

// serverProperty answers SERVERPROPERTY for the properties DBAs look at; unknown ones are NULL.
func serverProperty(in *instance, prop string) tsql.Value {
	major, minor, build := in.versionParts()
	switch strings.ToLower(strings.TrimSpace(prop)) {
	case "productversion":
		return in.spec.Version
	case "productlevel":
		return productLevel(in.spec.Version)
	case "productmajorversion":
		return strconv.Itoa(major)
	case "productminorversion":
		return strconv.Itoa(minor)
	case "productbuild":
		return strconv.Itoa(build)
	case "edition":
		return "Enterprise Edition (64-bit)"
	case "editionid":
		return int64(1804890536)
	case "engineedition":
		return int64(3)
	case "machinename", "computernamephysicalnetbios":
		return in.machine
	case "servername":
		return in.spec.Server
	case "instancename":
		return nil
	case "isclustered", "ishadrenabled", "issingleuser", "isintegratedsecurityonly":
		return int64(0)
	case "isfulltextinstalled":
		return int64(1)
	case "collation":
		return "SQL_Latin1_General_CP1_CI_AS"
	case "processid":
		return int64(1876)
	case "buildclrversion":
		return "v4.0.30319"
	case "licensetype":
		return "DISABLED"
	case "resourceversion":
		return in.spec.Version
	case "resourcelastupdatedatetime":
		return in.engineStart.Add(-30 * 24 * time.Hour)
	}
	return nil
}

// databaseProperty answers DATABASEPROPERTYEX.
func databaseProperty(d *database, prop string) tsql.Value {
	switch strings.ToLower(strings.TrimSpace(prop)) {
	case "status":
		return d.state.desc()
	case "recovery":
		return d.recovery.desc()
	case "useraccess":
		return d.access.desc()
	case "updateability":
		if d.readOnly {
			return "READ_ONLY"
		}
		return "READ_WRITE"
	case "isinstandby":
		return boolInt(d.standby)
	case "version":
		return int64(706)
	case "collation":
		return "SQL_Latin1_General_CP1_CI_AS"
	case "comparisonstyle":
		return int64(196609)
	}
	return nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// toText renders a value as SQL Server converts it to nvarchar.
func toText(v tsql.Value) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case time.Time:
		return x.Format("2006-01-02 15:04:05.000")
	case tsql.GUID:
		return x.String()
	}
	return fmt.Sprint(v)
}

// toInt converts a value to int the way an implicit conversion does (245 for text that is not a number).
func toInt(v tsql.Value) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case float64:
		return int64(x), nil
	case bool:
		return boolInt(x), nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			return 0, sqlError(245, 16, 1, "Conversion failed when converting the nvarchar value '%s' to data type int.", x)
		}
		return n, nil
	case nil:
		return 0, nil
	}
	return 0, sqlError(206, 16, 2, "Operand type clash: %T is incompatible with int", v)
}

// toBool converts a bit argument.
func toBool(v tsql.Value) bool {
	n, err := toInt(v)
	return err == nil && n != 0
}

// toGUID converts a uniqueidentifier argument (a GUID or its text).
func toGUID(v tsql.Value) (tsql.GUID, bool) {
	switch x := v.(type) {
	case tsql.GUID:
		return x, true
	case string:
		return parseGUID(x)
	}
	return tsql.GUID{}, false
}

// parseGUID parses "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX" (braces allowed), the form GUID.String writes.
func parseGUID(s string) (tsql.GUID, bool) {
	var g tsql.GUID
	s = strings.Trim(strings.TrimSpace(s), "{}")
	hexs := strings.ReplaceAll(s, "-", "")
	if len(hexs) != 32 || len(s) != 36 {
		return g, false
	}
	for i := 0; i < 16; i++ {
		b, err := strconv.ParseUint(hexs[2*i:2*i+2], 16, 8)
		if err != nil {
			return g, false
		}
		g[i] = byte(b)
	}
	return g, true
}
