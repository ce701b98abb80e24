package tsql

import "fmt"

// newErr builds an error with state 1, the state SQL Server uses for most of the messages the interpreter raises.
func newErr(number int32, class uint8, format string, args ...any) *Error {
	return Errorf(number, class, format, args...)
}

// abortErr builds an error that ends the whole batch (SQL Server's batch-aborting errors: conversion failures,
// THROW, nesting limits).
func abortErr(number int32, class uint8, format string, args ...any) *Error {
	e := Errorf(number, class, format, args...)
	e.Abort = true
	return e
}

// scopeAbortNumbers are the errors that end the current scope (the batch or the dynamic SQL that raised them)
// in SQL Server: name resolution failures found when a statement is compiled just before it runs. They are
// reported with the statement's line and the caller of a dynamic SQL scope carries on.
var scopeAbortNumbers = map[int32]bool{
	207: true, 208: true, 209: true, 4104: true, 8120: true, 8127: true, 195: true, 4121: true, 1011: true,
	145: true, 104: true, 107: true, 108: true, 205: true, 8155: true, 263: true, 130: true, 147: true, 144: true,
	1033: true, 141: true, 4145: true, 174: true, 243: true, 2715: true, 213: true, 109: true, 110: true,
}

// supported is the end of every "not supported" message: it tells a trainee what the simulated server does.
const supported = "it answers SELECT over system views, the stored procedures of the failback procedure, BACKUP, " +
	"RESTORE and ALTER DATABASE."

// unsupportedErr builds the readable error for a statement or construct the simulated server cannot run.
func unsupportedErr(what string) *Error {
	return newErr(50000, 16, "The training simulator does not support %s: %s", what, supported)
}

// syntaxErr builds Msg 102 or 156 for an unexpected token.
func syntaxErr(t token) *Error {
	var e *Error
	switch {
	case t.kind == tokEOF:
		e = newErr(102, 15, "Incorrect syntax near '%s'.", "")
	case t.isReserved():
		e = newErr(156, 15, "Incorrect syntax near the keyword '%s'.", t.text)
	default:
		e = newErr(102, 15, "Incorrect syntax near '%s'.", nearText(t))
	}
	e.Line = int32(t.line)
	e.Abort = true
	return e
}

// nearText is how SQL Server quotes a token in "Incorrect syntax near": strings keep their quotes, long texts are
// cut.
func nearText(t token) string {
	s := t.text
	if t.kind == tokString {
		s = t.val
	}
	if len(s) > 128 {
		s = s[:128]
	}
	return s
}

// asErrors flattens an error returned by a Host into SQL errors. ok is false for errors that are not SQL errors.
func asErrors(err error) ([]*Error, bool) {
	switch e := err.(type) {
	case *Error:
		if e == nil {
			return nil, true
		}
		return []*Error{e}, true
	case Errors:
		var out []*Error
		for _, x := range e {
			if x != nil {
				out = append(out, x)
			}
		}
		return out, true
	}
	return nil, false
}

// foreignErr turns an error a Host returned that is neither *Error nor Errors into a SQL error, so the trainee
// still sees a message and the batch follows SQL Server's rules.
func foreignErr(err error) *Error {
	return newErr(50000, 16, "%s", fmt.Sprint(err))
}

// undeclared is Msg 137 for a variable (or @@ name) that was never declared.
func undeclared(name string) *Error {
	e := newErr(137, 15, "Must declare the scalar variable \"%s\".", name)
	e.State = 2
	return e
}

// undeclaredTable is Msg 1087 for a table variable that was never declared.
func undeclaredTable(name string) *Error {
	e := newErr(1087, 15, "Must declare the table variable \"%s\".", name)
	e.State = 2
	return e
}
