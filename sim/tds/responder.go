package tds

import (
	"pcfailback/tsql"
)

// responder turns what a batch or call produces (tsql.Output) into the tokens of one response, written as it
// happens. Messages are pushed to the client at once in a short packet, so BACKUP's "n percent processed."
// reaches the console while the statement still runs; rows go out as packets fill.
//
// The interpreter does not mark statement boundaries, so the responder closes a statement when the next thing
// it sees belongs to another one: a result set is closed by its row count (or by whatever comes next), and a
// run of errors (3201 then 3013) by the next message or result set. Each close is a DONE (DONEINPROC inside an
// RPC) with MORE set; the last token of the response carries no MORE.
type responder struct {
	pw     *packetWriter
	server string
	rpc    bool
	// openSet: a result set was sent and its DONE is still to come.
	openSet bool
	// errs: errors were sent since the last DONE; anyErr: since the response began.
	errs, anyErr bool
	scratch      []byte
}

var _ tsql.Output = (*responder)(nil)

func (r *responder) stmtToken() byte {
	if r.rpc {
		return tokDoneInProc
	}
	return tokDone
}

// emit writes tokens built in the scratch buffer.
func (r *responder) emit(b []byte) {
	r.pw.Write(b)
	r.scratch = b[:0]
}

// closeStatement sends the DONE of an open result set or of a failed statement.
func (r *responder) closeStatement() {
	if !r.openSet && !r.errs {
		return
	}
	status, cmd := uint16(doneMore), uint16(0)
	if r.openSet {
		cmd = cmdSelect
	}
	if r.errs {
		status |= doneError
	}
	r.emit(appendDone(r.scratch[:0], r.stmtToken(), status, cmd, 0))
	r.openSet, r.errs = false, false
}

// Info implements tsql.Output.
func (r *responder) Info(m tsql.Message) {
	r.closeStatement()
	r.emit(appendMessage(r.scratch[:0], tokInfo, m, r.server))
	r.pw.flush(false)
}

// Error implements tsql.Output.
func (r *responder) Error(m tsql.Message) {
	if r.openSet {
		r.closeStatement()
	}
	r.emit(appendMessage(r.scratch[:0], tokError, m, r.server))
	r.errs, r.anyErr = true, true
	r.pw.flush(false)
}

// ResultSet implements tsql.Output: COLMETADATA and one ROW per row.
func (r *responder) ResultSet(t *tsql.Table) {
	if t == nil || len(t.Columns) == 0 || len(t.Columns) > 4096 {
		return
	}
	r.closeStatement()
	cols := planColumns(t)
	r.emit(appendColMetadata(r.scratch[:0], cols))
	for _, row := range t.Rows {
		r.emit(appendRow(r.scratch[:0], cols, row))
	}
	r.openSet = true
}

// RowsAffected implements tsql.Output: the DONE of the statement, with its count.
func (r *responder) RowsAffected(n int64) {
	status, cmd := uint16(doneMore|doneCount), uint16(0)
	if r.openSet {
		cmd = cmdSelect
	}
	if r.errs {
		status |= doneError
	}
	if n < 0 {
		n = 0
	}
	r.emit(appendDone(r.scratch[:0], r.stmtToken(), status, cmd, uint64(n)))
	r.openSet, r.errs = false, false
}

// finish ends the response normally: the last statement's DONE without MORE, or for an RPC the statement
// DONEINPROCs, RETURNSTATUS and a final DONEPROC.
func (r *responder) finish(extra []byte) {
	if len(extra) > 0 {
		r.closeStatement()
		r.emit(extra)
	}
	if r.rpc {
		r.closeStatement()
		status, ret := uint16(doneFinal), int32(0)
		if r.anyErr {
			status, ret = doneError, 1
		}
		b := appendReturnStatus(r.scratch[:0], ret)
		r.emit(appendDone(b, tokDoneProc, status, 0, 0))
	} else {
		status, cmd := uint16(doneFinal), uint16(0)
		if r.openSet {
			cmd = cmdSelect
		}
		if r.errs {
			status |= doneError
		}
		r.emit(appendDone(r.scratch[:0], tokDone, status, cmd, 0))
	}
	r.pw.flush(true)
}

// attention ends the response of a cancelled request: DONE with the ATTN bit, which tells the client the
// cancel took effect and nothing more of the request follows.
func (r *responder) attention() {
	r.emit(appendDone(r.scratch[:0], tokDone, doneAttn, 0, 0))
	r.pw.flush(true)
}
