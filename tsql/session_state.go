package tsql

import "context"

// SessionHost is implemented by a Host that keeps session state changed by statements the interpreter runs itself:
// SET CONTEXT_INFO, and the transaction count kept by BEGIN TRAN, COMMIT and ROLLBACK. The interface is optional so
// that a Host that has no use for them (a test double, a pure parser check) need not implement it; such a Host never
// hears of them.
type SessionHost interface {
	// SetContextInfo stores the session's context info: the value of SET CONTEXT_INFO converted to binary and cut
	// to MaxContextInfo bytes.
	SetContextInfo(ctx context.Context, info []byte) error
	// TranCountChanged reports @@TRANCOUNT after a statement changed it. 0 means the outermost transaction ended
	// (committed or rolled back), which releases what the transaction owned, such as application locks taken
	// with @LockOwner = 'Transaction'.
	TranCountChanged(n int)
}

// MaxContextInfo is the size of a session's context info in bytes (it is binary(128) on the server).
const MaxContextInfo = 128

// contextInfoStmt is SET CONTEXT_INFO { binary_str | @binary_var }.
type contextInfoStmt struct {
	stmtBase
	x expr
}

func (*contextInfoStmt) Verb() string { return "SET" }

func init() {
	// The result types of the server functions the context info and application lock statements need, so that a
	// result set carries binary as binary and the lock mode with its declared length.
	hostFuncTypes["CONTEXT_INFO"] = sqlType{kind: kBinary, size: MaxContextInfo}
	hostFuncTypes["APPLOCK_MODE"] = sqlType{kind: kNVarChar, size: 32}
	hostFuncTypes["APPLOCK_TEST"] = sqlType{kind: kSmallInt}
}

// contextInfo parses what follows SET CONTEXT_INFO. SQL Server accepts only a constant or a variable there, not an
// expression (and not NULL), so anything else is a syntax error.
func (p *parser) contextInfo(base stmtBase) (Statement, *Error) {
	switch p.peek().kind {
	case tokBinary, tokInt, tokString, tokVar:
	default:
		return nil, p.fail()
	}
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	return &contextInfoStmt{stmtBase: base, x: x}, nil
}

// execContextInfo runs SET CONTEXT_INFO: the value is converted to binary as an implicit conversion would, cut to
// MaxContextInfo bytes (a longer value is truncated, as assigning it to binary(128) does) and handed to the Host.
// A NULL variable leaves the context info as it was.
func (sc *scope) execContextInfo(s *contextInfoStmt) error {
	v, t, err := sc.eval(s.x)
	if err != nil {
		return err
	}
	sc.r.sess.rowCount = 0
	if v == nil {
		return nil
	}
	b, cerr := convert(v, t, sqlType{kind: kBinary, size: MaxContextInfo}, -1, false)
	if cerr != nil {
		return raise(cerr)
	}
	info, _ := b.([]byte)
	if len(info) > MaxContextInfo {
		info = info[:MaxContextInfo]
	}
	h, ok := sc.r.host.(SessionHost)
	if !ok {
		return nil
	}
	return h.SetContextInfo(sc.r.ctx, append([]byte(nil), info...))
}

// tranChanged tells a SessionHost the new @@TRANCOUNT.
func (sc *scope) tranChanged() {
	if h, ok := sc.r.host.(SessionHost); ok {
		h.TranCountChanged(sc.r.sess.TranCount)
	}
}
