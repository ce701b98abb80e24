package mssql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/golang-sql/sqlexp"
	mssqldb "github.com/microsoft/go-mssqldb"

	"pcfailback/clock"
	"pcfailback/remote"
)

// exchange sends one batch in the driver's message-queue mode and relays every message, result set and row count
// in the order the server sent them. It returns ctx.Err() when cancelled, a transport or protocol error, or else the
// batch's first SQL error.
func (s *Session) exchange(ctx context.Context, batch string, emit func(remote.SQLEvent)) error {
	clk := s.conn.opts.clock()
	password := s.conn.opts.Password
	send := func(ev remote.SQLEvent) {
		// Nothing the console sends holds the login's password, so no message should either; if one does, it is
		// not shown.
		ev.Text, _ = redactText(ev.Text, password)
		emit(ev)
	}
	rm := &sqlexp.ReturnMessage{}
	// QueryContext, not ExecContext: only Query hands the messages over as they come.
	rows, err := s.sc.QueryContext(ctx, batch, rm)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("send the batch: %w", err)
	}
	defer rows.Close()

	// When the socket fails the driver's reader stops without queueing anything more, so waiting for the next
	// message would wait forever: the failure wakes the loop instead, which then collects the error.
	msgCtx, stopMsgs := context.WithCancel(ctx)
	defer stopMsgs()
	if failed := s.guard.failed(); failed != nil {
		go func() {
			select {
			case <-failed:
				stopMsgs()
			case <-msgCtx.Done():
			}
		}()
	}

	var first *remote.SQLError
	var broken error
	for more := true; more; {
		switch m := rm.Message(msgCtx).(type) {
		case sqlexp.MsgNotice:
			if ev, ok := noticeEvent(m.Message); ok {
				ev.At = clk.Now()
				send(ev)
			}
		case sqlexp.MsgError:
			var e mssqldb.Error
			if !errors.As(m.Error, &e) {
				// A driver failure (a malformed stream): its reader has stopped; collect what is left and end.
				broken = m.Error
				for rows.NextResultSet() {
				}
				more = false
				continue
			}
			ev := messageEvent(remote.SQLErrorMsg, e)
			ev.At = clk.Now()
			send(ev)
			if first == nil {
				first = sqlError(e)
			}
		case sqlexp.MsgRowsAffected:
			emit(remote.SQLEvent{Kind: remote.SQLRowsAffected, At: clk.Now(), Count: m.Count})
		case sqlexp.MsgNext:
			// A result set starts: drain it now, or the driver's token queue fills and no message gets through.
			if ctx.Err() != nil {
				continue // the attention below ends it
			}
			if err := drain(rows, emit, clk); err != nil && broken == nil && ctx.Err() == nil {
				broken = err
			}
		case sqlexp.MsgNextResultSet:
			more = rows.NextResultSet()
		}
	}
	err = rows.Err()
	var fatal mssqldb.ServerError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil && first != nil && errors.As(err, &fatal):
		// Severity 20 and above: the server reported the error, then closed the connection.
		return first
	case err != nil:
		// The socket failed in the middle of the batch: the server ends a session whose client is gone and
		// aborts what it was running, so the batch did not complete; the panels show what it left behind.
		return fmt.Errorf("%w in the middle of the batch (%w); the server ends the session and aborts what it was running",
			remote.ErrConnectionLost, err)
	case broken != nil:
		return fmt.Errorf("malformed reply: %w", broken)
	case first != nil:
		return first
	}
	return nil
}

// drain relays one result set: its columns, then its rows.
func drain(rows *sql.Rows, emit func(remote.SQLEvent), clk clock.Clock) (err error) {
	defer func() {
		// The driver panics on column metadata it cannot name; a server must not be able to crash the console.
		if r := recover(); r != nil {
			err = fmt.Errorf("result set: %v", r)
		}
	}()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	cols := make([]remote.Column, len(cts))
	kinds := make([]string, len(cts))
	for i, ct := range cts {
		kinds[i] = ct.DatabaseTypeName()
		cols[i] = remote.Column{Name: ct.Name(), Type: strings.ToLower(kinds[i])}
	}
	emit(remote.SQLEvent{Kind: remote.SQLResultStart, At: clk.Now(), Columns: cols})
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		out := make([]any, len(vals))
		for i, v := range vals {
			out[i] = convert(v, kinds[i])
		}
		emit(remote.SQLEvent{Kind: remote.SQLRow, At: clk.Now(), Values: out})
	}
	return rows.Err()
}

// noticeEvent turns an informational message into an event. The driver hands an mssql.Error value; anything else
// keeps its text.
func noticeEvent(m fmt.Stringer) (remote.SQLEvent, bool) {
	switch e := m.(type) {
	case nil:
		return remote.SQLEvent{}, false
	case mssqldb.Error:
		return messageEvent(remote.SQLInfoMsg, e), true
	case *mssqldb.Error:
		if e == nil {
			return remote.SQLEvent{}, false
		}
		return messageEvent(remote.SQLInfoMsg, *e), true
	}
	return remote.SQLEvent{Kind: remote.SQLInfoMsg, Text: m.String()}, true
}

// messageEvent copies a server message field by field (its Error() text would read "mssql: ... (n)").
func messageEvent(kind remote.SQLEventKind, e mssqldb.Error) remote.SQLEvent {
	return remote.SQLEvent{Kind: kind, Number: e.Number, Class: e.Class, State: e.State, Line: e.LineNo,
		Proc: e.ProcName, Server: e.ServerName, Text: e.Message}
}
