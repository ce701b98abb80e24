// Package pwsh parses and runs the small subset of Windows PowerShell that administrators type into the Lync
// Server Management Shell during a failback: cmdlet invocations with named parameters, switch parameters,
// arrays, hashtables (PSListModifier values such as @{Add="a","b"}), $null/$true/$false, variables, member
// access and method calls, pipelines through Select-Object, Where-Object, Format-List and ConvertTo-Json,
// $ErrorActionPreference, Write-* and exit.
//
// The package knows the language; the cmdlets come from a Host. The simulator is the Host for the Lync cmdlets,
// which keeps the parser fuzzable on its own and the estate's behaviour in one place.
package pwsh

import (
	"context"
	"fmt"
	"time"
)

// Value is a PowerShell value: nil ($null), string, int64, float64, bool, []Value, *Hashtable or *Object. A Host
// may also return Enum (a .NET enum such as PoolState) and time.Time; other Go numbers, []string and Stringers
// are converted when they reach a script.
type Value = any

// Prop is one property of an Object.
type Prop struct {
	Name  string
	Value Value
}

// Object is a PSObject with ordered properties, as cmdlets return them.
type Object struct {
	// TypeName is the .NET type name shown by Get-Member and used by the default formatter.
	TypeName string
	Props    []Prop
}

// Get returns a property by case-insensitive name.
func (o *Object) Get(name string) (Value, bool) {
	for _, p := range o.Props {
		if equalFold(p.Name, name) {
			return p.Value, true
		}
	}
	return nil, false
}

// Hashtable is an @{...} literal with its keys in written order.
type Hashtable struct {
	Keys   []string
	Values []Value
}

// Get returns a key's value by case-insensitive key.
func (h *Hashtable) Get(key string) (Value, bool) {
	for i, k := range h.Keys {
		if equalFold(k, key) {
			return h.Values[i], true
		}
	}
	return nil, false
}

// Param is one parameter of a cmdlet invocation.
type Param struct {
	// Name is the parameter name without the leading '-', as written; "" for a positional argument.
	Name string
	// Value is the argument. For a switch written without a value (-Force) it is true; -Confirm:$false gives false.
	Value Value
	// Switch is true when the parameter was written without a separate argument (-Force, -Confirm:$false).
	Switch bool
}

// Streams receives what a cmdlet writes besides its output objects, as it happens.
type Streams interface {
	// Verbose writes a verbose record (shown only when -Verbose was given; the Host decides).
	Verbose(text string)
	// Warning writes a warning record ("WARNING: ..." on the console).
	Warning(text string)
	// Host writes a line straight to the console (Write-Host).
	Host(text string)
}

// CmdletError is a non-terminating or terminating error a cmdlet raises, rendered by the interpreter the way
// powershell.exe prints an ErrorRecord.
type CmdletError struct {
	Cmdlet      string
	Message     string
	Category    string // e.g. "InvalidArgument", "ObjectNotFound", "PermissionDenied"
	ErrorID     string // FullyQualifiedErrorId
	Terminating bool
}

// Error implements error.
func (e *CmdletError) Error() string { return fmt.Sprintf("%s : %s", e.Cmdlet, e.Message) }

// ErrUnknownCommand is returned by Host.Invoke for names the Host does not provide; the interpreter turns it into
// PowerShell's CommandNotFoundException text.
var ErrUnknownCommand = fmt.Errorf("command not found")

// Host provides the cmdlets a script calls. Methods may block in simulated time and must return ctx.Err()
// promptly when ctx is done.
type Host interface {
	// Now is the host's current time (Get-Date).
	Now() time.Time
	// Invoke runs one cmdlet with its parameters and pipeline input, and returns its output objects. It returns
	// ErrUnknownCommand when the Host has no such command, and *CmdletError for cmdlet errors.
	Invoke(ctx context.Context, name string, params []Param, input []Value, streams Streams) ([]Value, error)
	// CallMethod calls a method on an object the Host returned (for example GetDrive on a FileSystemObject).
	CallMethod(ctx context.Context, obj *Object, method string, args []Value) (Value, error)
	// Sleep waits d of host time (Start-Sleep).
	Sleep(ctx context.Context, d time.Duration) error
}

// Output receives the script's console output, one complete line at a time, as it is produced.
type Output interface {
	Stdout(line string)
	Stderr(line string)
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
