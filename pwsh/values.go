package pwsh

import (
	"strings"
	"time"
)

// Enum is a .NET enumeration value a Host returns, such as a pool's PoolState. Like the real thing it prints and
// interpolates as its name, compares with strings by name (case-insensitively), and ConvertTo-Json writes its
// number, as Windows PowerShell 3-5 does.
type Enum struct {
	// Type is the .NET type name, e.g. "Microsoft.Rtc.Management.PersistentChat.PoolState".
	Type string
	// Name is the member name, e.g. "FailedOver".
	Name string
	// Value is the member's number.
	Value int64
}

// The values below exist only inside a running script.

// scriptBlock is a { ... } value.
type scriptBlock struct {
	body *block
	text string
}

// typeRef is a [type] literal used as a value ([math]::Round, $x -is [string]).
type typeRef struct {
	name string // resolved full name, e.g. "System.Int32"
	kind typeKind
	of   *typeRef // element type of an array type ([string[]])
}

// errorValue is an ErrorRecord as a value: $_ in a catch block, $Error[0], errors merged by 2>&1.
type errorValue struct{ rec *errorRecord }

// streamRecord is a warning, verbose or information record merged into the output by 3>&1, 4>&1 or 6>&1.
type streamRecord struct {
	prefix string // "WARNING: ", "VERBOSE: " or ""
	text   string
}

// fmtText is what Format-Table and Format-List produce: lines printed as they are.
type fmtText struct{ lines []string }

// typeName is the .NET type name of a value, for GetType() and error messages.
func typeName(v Value) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "System.String"
	case int64:
		if v >= -1<<31 && v < 1<<31 {
			return "System.Int32"
		}
		return "System.Int64"
	case float64:
		return "System.Double"
	case bool:
		return "System.Boolean"
	case []Value:
		return "System.Object[]"
	case *Hashtable:
		return "System.Collections.Hashtable"
	case *Object:
		if v.TypeName == "" {
			return pscustomobject
		}
		return v.TypeName
	case time.Time:
		return "System.DateTime"
	case Enum:
		if v.Type == "" {
			return "System.Enum"
		}
		return v.Type
	case *scriptBlock:
		return "System.Management.Automation.ScriptBlock"
	case *typeRef:
		return "System.RuntimeType"
	case *errorValue:
		return "System.Management.Automation.ErrorRecord"
	case *streamRecord:
		switch v.prefix {
		case "WARNING: ":
			return "System.Management.Automation.WarningRecord"
		case "VERBOSE: ":
			return "System.Management.Automation.VerboseRecord"
		}
		return "System.Management.Automation.InformationRecord"
	case *fmtText:
		return "Microsoft.PowerShell.Commands.Internal.Format.FormatStartData"
	}
	return "System.Object"
}

const pscustomobject = "System.Management.Automation.PSCustomObject"

// shortTypeName is the last segment of a type name, as error messages and GetType().Name show it.
func shortTypeName(full string) string {
	if i := strings.LastIndexByte(full, '.'); i >= 0 {
		return full[i+1:]
	}
	return full
}

// newObject builds a PSCustomObject.
func newObject(typeName string, props ...Prop) *Object {
	if typeName == "" {
		typeName = pscustomobject
	}
	return &Object{TypeName: typeName, Props: props}
}

// objGet is a bounds-safe, case-insensitive property lookup that also tells the index.
func objGet(o *Object, name string) (Value, int) {
	for i, p := range o.Props {
		if strings.EqualFold(p.Name, name) {
			return p.Value, i
		}
	}
	return nil, -1
}

// hashGet is a bounds-safe, case-insensitive key lookup.
func hashGet(h *Hashtable, key string) (Value, int) {
	for i, k := range h.Keys {
		if strings.EqualFold(k, key) && i < len(h.Values) {
			return h.Values[i], i
		}
	}
	return nil, -1
}

// hashSet sets or adds a key.
func hashSet(h *Hashtable, key string, v Value) {
	if _, i := hashGet(h, key); i >= 0 {
		h.Values[i] = v
		return
	}
	h.Keys = append(h.Keys, key)
	h.Values = append(h.Values, v)
}
