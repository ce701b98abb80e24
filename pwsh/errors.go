package pwsh

import (
	"fmt"
	"strings"
)

// errorRecord is what powershell.exe prints for an error:
//
//	Header : message
//	At line:1 char:1
//	+ source line
//	+ ~~~~~~~~~~~
//	    + CategoryInfo          : Category: (Target:Type) [Activity], Reason
//	    + FullyQualifiedErrorId : ErrorId
type errorRecord struct {
	header     string // the command as invoked; "" for errors that come from the script itself
	message    string
	src        []rune
	ex         extent
	hasPos     bool
	category   string
	targetName string
	targetType string
	activity   string
	reason     string
	fqid       string
}

// lines renders the record.
func (r *errorRecord) lines() []string {
	first := r.message
	if r.header != "" {
		first = r.header + " : " + r.message
	}
	out := splitLines(first)
	if r.hasPos {
		out = append(out, positionLines(r.src, r.ex)...)
	}
	cat := r.category
	if cat == "" {
		cat = "NotSpecified"
	}
	out = append(out,
		fmt.Sprintf("    + CategoryInfo          : %s: (%s:%s) [%s], %s", cat, r.targetName, r.targetType, r.activity, r.reason),
		"    + FullyQualifiedErrorId : "+r.fqid)
	return out
}

// errKind says how far an error unwinds.
type errKind int

const (
	// stmtTerminating errors end the statement; the script goes on unless $ErrorActionPreference is Stop.
	stmtTerminating errKind = iota
	// scriptTerminating errors (throw, and errors escalated by Stop) end the script unless caught.
	scriptTerminating
)

// psError carries an error record up through the interpreter.
type psError struct {
	rec    *errorRecord
	kind   errKind
	thrown bool // from a throw statement
}

func (e *psError) Error() string { return e.rec.message }

// exitFlow is the exit statement on its way to the top.
type exitFlow struct{ code int }

func (e *exitFlow) Error() string { return fmt.Sprintf("exit %d", e.code) }

// loopFlow is break (brk) or continue on its way to the enclosing loop.
type loopFlow struct{ brk bool }

func (e *loopFlow) Error() string { return "break" }

// returnFlow is return on its way to the enclosing script block.
type returnFlow struct{}

func (e *returnFlow) Error() string { return "return" }

// limitError stops a script that exceeded the interpreter's budget; no catch block can hold it.
type limitError struct{ rec *errorRecord }

func (e *limitError) Error() string { return e.rec.message }

// record builds an error record positioned at ex.
func (in *interp) record(ex extent, message, category, reason, fqid string) *errorRecord {
	return &errorRecord{message: message, src: in.src, ex: ex, hasPos: true, category: category, reason: reason, fqid: fqid}
}

// rtError is a statement-terminating runtime error in an expression, such as calling a method on $null.
func (in *interp) rtError(ex extent, category, fqid, format string, args ...any) error {
	rec := in.record(ex, fmt.Sprintf(format, args...), category, "RuntimeException", fqid)
	return &psError{rec: rec}
}

// convertError is PowerShell's "Cannot convert value" error.
func (in *interp) convertError(ex extent, v Value, target string) error {
	detail := "Input string was not in a correct format."
	id := "InvalidCastFromStringToInteger"
	if _, isStr := v.(string); !isStr {
		detail = fmt.Sprintf("Invalid cast from '%s' to '%s'.", typeName(v), target)
		id = "InvalidCastException"
	}
	return in.rtError(ex, "InvalidArgument", id, "Cannot convert value \"%s\" to type \"%s\". Error: \"%s\"",
		toStr(v), target, detail)
}

// commandNotFound is the CommandNotFoundException record for an unknown command name.
func (in *interp) commandNotFound(name string, ex extent) error {
	rec := in.record(ex, fmt.Sprintf("The term '%s' is not recognized as the name of a cmdlet, function, script file, "+
		"or operable program. Check the spelling of the name, or if a path was included, verify that the path is "+
		"correct and try again.", name), "ObjectNotFound", "CommandNotFoundException", "CommandNotFoundException")
	rec.header = name
	rec.targetName, rec.targetType = name, "String"
	return &psError{rec: rec}
}

// cmdletRecord turns a Host's CmdletError into an error record for the command c invoked as name.
func (in *interp) cmdletRecord(e *CmdletError, name string, ex extent) *errorRecord {
	activity := e.Cmdlet
	if activity == "" {
		activity = name
	}
	category := e.Category
	if category == "" {
		category = "NotSpecified"
	}
	reason := exceptionFor(category)
	fqid := e.ErrorID
	if fqid == "" {
		fqid = reason + "," + activity
	}
	rec := in.record(ex, e.Message, category, reason, fqid)
	rec.header = name
	rec.activity = activity
	return rec
}

// exceptionFor names the .NET exception PowerShell cmdlets typically raise for an error category; it fills the
// Reason part of CategoryInfo, which a CmdletError does not carry.
func exceptionFor(category string) string {
	switch strings.ToLower(category) {
	case "invalidargument":
		return "ArgumentException"
	case "invaliddata":
		return "InvalidDataException"
	case "invalidoperation":
		return "InvalidOperationException"
	case "objectnotfound":
		return "ItemNotFoundException"
	case "permissiondenied":
		return "UnauthorizedAccessException"
	case "resourceunavailable", "connectionerror":
		return "IOException"
	case "operationtimeout":
		return "TimeoutException"
	case "notimplemented":
		return "NotImplementedException"
	case "notinstalled":
		return "FileNotFoundException"
	}
	return "Exception"
}

// errorObject exposes an error record's members ($_.Exception.Message, $_.FullyQualifiedErrorId ...).
func (r *errorRecord) object() *Object {
	line, col, _ := lineCol(r.src, clamp(r.ex.start, 0, len(r.src)))
	lineText := ""
	if r.hasPos {
		_, _, ls := lineCol(r.src, clamp(r.ex.start, 0, len(r.src)))
		le := ls
		for le < len(r.src) && !isNewline(r.src[le]) {
			le++
		}
		lineText = string(r.src[ls:le])
	}
	var pos []string
	if r.hasPos {
		pos = positionLines(r.src, r.ex)
	}
	exc := newObject("System.Management.Automation."+r.reason,
		Prop{"Message", r.message}, Prop{"HResult", int64(-2146233087)})
	cat := newObject("System.Management.Automation.ErrorCategoryInfo",
		Prop{"Category", r.category}, Prop{"Activity", r.activity}, Prop{"Reason", r.reason},
		Prop{"TargetName", r.targetName}, Prop{"TargetType", r.targetType})
	inv := newObject("System.Management.Automation.InvocationInfo",
		Prop{"ScriptLineNumber", int64(line)}, Prop{"OffsetInLine", int64(col)}, Prop{"Line", lineText},
		Prop{"PositionMessage", strings.Join(pos, "\n")}, Prop{"InvocationName", r.header})
	return newObject("System.Management.Automation.ErrorRecord",
		Prop{"Exception", exc}, Prop{"CategoryInfo", cat}, Prop{"FullyQualifiedErrorId", r.fqid},
		Prop{"InvocationInfo", inv}, Prop{"TargetObject", nil}, Prop{"ErrorDetails", nil})
}
