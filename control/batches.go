package control

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"pcfailback/quote"
	"pcfailback/remote"
)

// Resource is the application lock's name. It is taken in master under the public principal, so that its
// resource_description in sys.dm_tran_locks is "0:[pcfailback.control]:(hash)".
const Resource = "pcfailback.control"

// lockDatabase is where the lock is taken: master exists on every instance and is never restored, mirrored or set
// single-user by the procedure.
const lockDatabase = "master"

// takeBatch writes the holder's identity on the session, then asks for the lock without waiting, and returns
// sp_getapplock's status and the session's id. The identity goes first so that no other console can ever see the
// lock held by a session that does not say whose it is; a refused session is closed, identity and all.
func takeBatch(ci []byte) string {
	return "SET CONTEXT_INFO 0x" + strings.ToUpper(hex.EncodeToString(ci)) + ";\n" +
		"DECLARE @r int;\n" +
		"EXEC @r = sp_getapplock @Resource = " + quote.String(Resource) + ", @LockMode = " + quote.String("Exclusive") +
		", @LockOwner = " + quote.String("Session") + ", @LockTimeout = 0, @DbPrincipal = " + quote.String("public") + ";\n" +
		"SELECT @r AS status, @@SPID AS spid;"
}

// checkBatch reads the session's own hold on the lock: "Exclusive" while the lease holds, "NoLock" after.
var checkBatch = "SELECT APPLOCK_MODE(" + quote.String("public") + ", " + quote.String(Resource) + ", " +
	quote.String("Session") + ") AS mode, @@SPID AS spid;"

// releaseBatch gives the lock back.
var releaseBatch = "DECLARE @r int;\n" +
	"EXEC @r = sp_releaseapplock @Resource = " + quote.String(Resource) + ", @LockOwner = " + quote.String("Session") +
	", @DbPrincipal = " + quote.String("public") + ";\n" +
	"SELECT @r AS status;"

// whoBatch finds out, with reads only, whether the lock is held and by which session. APPLOCK_TEST needs no
// permission; the two DMVs need VIEW SERVER STATE, which the monitoring login has (procedure §3.10). The resource
// description reads "<principal id>:[<name>]:(<hash>)"; the LIKE pattern escapes '[' as "[[]".
var whoBatch = "SELECT APPLOCK_TEST(" + quote.String("public") + ", " + quote.String(Resource) + ", " +
	quote.String("Exclusive") + ", " + quote.String("Session") + ") AS free;\n" +
	"SELECT TOP (1) s.session_id, s.context_info, s.host_name, s.login_name, s.login_time, s.host_process_id\n" +
	"FROM sys.dm_tran_locks AS l\n" +
	"JOIN sys.dm_exec_sessions AS s ON s.session_id = l.request_session_id\n" +
	"WHERE l.resource_type = N'APPLICATION' AND l.resource_database_id = DB_ID(" + quote.String(lockDatabase) + ")\n" +
	"  AND l.request_mode = N'X' AND l.request_status = N'GRANT'\n" +
	"  AND l.resource_description LIKE " + quote.String("%:"+likeLiteral("["+Resource+"]:(")+"%") + "\n" +
	"ORDER BY l.request_session_id;"

// likeLiteral escapes the LIKE wildcards of s with brackets.
func likeLiteral(s string) string {
	r := strings.NewReplacer("[", "[[]", "%", "[%]", "_", "[_]")
	return r.Replace(s)
}

// result is what one batch returned: its result sets (rows of values) and its messages.
type result struct {
	sets [][][]any
	msgs []remote.SQLEvent
}

// run runs a batch and collects what it returned. err is the batch's first SQL error, a transport error or the
// context's error; the result holds whatever arrived before.
func run(ctx context.Context, sess remote.SQLSession, batch string) (result, error) {
	var res result
	err := sess.Run(ctx, batch, func(ev remote.SQLEvent) {
		switch ev.Kind {
		case remote.SQLResultStart:
			res.sets = append(res.sets, nil)
		case remote.SQLRow:
			if len(res.sets) > 0 {
				res.sets[len(res.sets)-1] = append(res.sets[len(res.sets)-1], ev.Values)
			}
		case remote.SQLInfoMsg, remote.SQLErrorMsg:
			res.msgs = append(res.msgs, ev)
		}
	})
	return res, err
}

// value returns column col of the first row of result set set, nil when absent.
func (r result) value(set, col int) any {
	if set >= len(r.sets) || len(r.sets[set]) == 0 || col >= len(r.sets[set][0]) {
		return nil
	}
	return r.sets[set][0][col]
}

// message is the first message the server sent, for an error text ("" when none).
func (r result) message() string {
	for _, m := range r.msgs {
		if m.Number != 0 {
			return fmt.Sprintf("Msg %d: %s", m.Number, m.Text)
		}
	}
	return ""
}

// asInt reads an integer value as drivers hand it over.
func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int:
		return int64(x), true
	case int16:
		return int64(x), true
	case uint8:
		return int64(x), true
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	}
	return 0, false
}

// asText reads a character value.
func asText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

// asBytes reads a binary value; a driver that hands binary over as its text ("0x0102") is understood too.
func asBytes(v any) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		if h, ok := strings.CutPrefix(x, "0x"); ok {
			if b, err := hex.DecodeString(h); err == nil {
				return b
			}
		}
	}
	return nil
}

// holderFromRow builds the holder from the row of whoBatch's second result set: session_id, context_info,
// host_name, login_name, login_time, host_process_id.
func holderFromRow(row []any) Holder {
	if len(row) < 6 {
		return Holder{}
	}
	spid, _ := asInt(row[0])
	h, ok := ParseContextInfo(asBytes(row[1]))
	if !ok {
		h = Holder{User: asText(row[3]), Host: asText(row[2]), FromSession: true}
		if t, isTime := row[4].(time.Time); isTime {
			h.Since = t
		}
		if pid, isInt := asInt(row[5]); isInt {
			h.PID = int(pid)
		}
	}
	h.Session = int(spid)
	h.Login = asText(row[3])
	return h
}

// who runs whoBatch on sess: held is false when nobody holds the lock. When the lock is held but the login may not
// read the DMVs, the holder is the zero Holder.
func who(ctx context.Context, sess remote.SQLSession) (Holder, bool, error) {
	res, err := run(ctx, sess, whoBatch)
	free, ok := asInt(res.value(0, 0))
	if !ok {
		if err == nil {
			err = errors.New("APPLOCK_TEST returned no value")
		}
		return Holder{}, false, fmt.Errorf("control: reading who holds control: %w", err)
	}
	var sqlErr *remote.SQLError
	if err != nil && !errors.As(err, &sqlErr) {
		return Holder{}, false, fmt.Errorf("control: reading who holds control: %w", err)
	}
	if free == 1 {
		return Holder{}, false, nil
	}
	if len(res.sets) < 2 || len(res.sets[1]) == 0 {
		// Held, but no row: the login may not read the DMVs (VIEW SERVER STATE), or the holder let go between the
		// two statements. Either way the identity is unknown; a later call tells which.
		return Holder{}, true, nil
	}
	return holderFromRow(res.sets[1][0]), true, nil
}
