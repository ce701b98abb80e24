package pwsh

import (
	"math"
	"strings"
	"time"
)

// Type literals: the casts, -is/-as checks and static members a failback script is likely to use.

type typeKind int

const (
	typeString typeKind = iota
	typeChar
	typeInt32
	typeInt64
	typeByte
	typeDouble
	typeBool
	typeDateTime
	typeArray
	typeHashtable
	typeOrdered
	typePSObject
	typeObject
	typeScriptBlock
	typeVoid
	typeStatic // types used only for their static members: [math], [string]::Join ...
	typeRegex
	typeEnvironment
)

var typeNames = map[string]*typeRef{
	"string": {name: "System.String", kind: typeString}, "char": {name: "System.Char", kind: typeChar},
	"int": {name: "System.Int32", kind: typeInt32}, "int32": {name: "System.Int32", kind: typeInt32},
	"long": {name: "System.Int64", kind: typeInt64}, "int64": {name: "System.Int64", kind: typeInt64},
	"byte": {name: "System.Byte", kind: typeByte}, "double": {name: "System.Double", kind: typeDouble},
	"float": {name: "System.Single", kind: typeDouble}, "single": {name: "System.Single", kind: typeDouble},
	"decimal": {name: "System.Decimal", kind: typeDouble}, "bool": {name: "System.Boolean", kind: typeBool},
	"boolean": {name: "System.Boolean", kind: typeBool}, "datetime": {name: "System.DateTime", kind: typeDateTime},
	"array": {name: "System.Array", kind: typeArray}, "hashtable": {name: "System.Collections.Hashtable", kind: typeHashtable},
	"collections.hashtable":                {name: "System.Collections.Hashtable", kind: typeHashtable},
	"ordered":                              {name: "System.Collections.Specialized.OrderedDictionary", kind: typeOrdered},
	"pscustomobject":                       {name: "System.Management.Automation.PSObject", kind: typePSObject},
	"psobject":                             {name: "System.Management.Automation.PSObject", kind: typePSObject},
	"management.automation.pscustomobject": {name: "System.Management.Automation.PSObject", kind: typePSObject},
	"management.automation.psobject":       {name: "System.Management.Automation.PSObject", kind: typePSObject},
	"object":                               {name: "System.Object", kind: typeObject},
	"scriptblock":                          {name: "System.Management.Automation.ScriptBlock", kind: typeScriptBlock},
	"management.automation.scriptblock":    {name: "System.Management.Automation.ScriptBlock", kind: typeScriptBlock},
	"void":                                 {name: "System.Void", kind: typeVoid},
	"math":                                 {name: "System.Math", kind: typeStatic},
	"regex":                                {name: "System.Text.RegularExpressions.Regex", kind: typeRegex},
	"text.regularexpressions.regex":        {name: "System.Text.RegularExpressions.Regex", kind: typeRegex},
	"environment":                          {name: "System.Environment", kind: typeEnvironment},
}

// lookupType resolves a type name as written inside [ ]; "System." is optional and T[] is an array of T.
func lookupType(name string) (*typeRef, bool) {
	n := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	if strings.HasSuffix(n, "[]") {
		elem, ok := lookupType(name[:strings.LastIndex(name, "[")])
		if !ok {
			return nil, false
		}
		return &typeRef{name: elem.name + "[]", kind: typeArray, of: elem}, true
	}
	n = strings.TrimPrefix(n, "system.")
	t, ok := typeNames[n]
	return t, ok
}

func (in *interp) typeNotFound(ex extent, name string) error {
	rec := in.record(ex, "Unable to find type ["+name+"].", "InvalidOperation", "RuntimeException", "TypeNotFound")
	rec.targetName, rec.targetType = name, "TypeName"
	return &psError{rec: rec}
}

func (in *interp) evalCast(x *castExpr) (Value, error) {
	v, err := in.eval(x.x)
	if err != nil {
		return nil, err
	}
	return in.cast(x.typ, v, x.extent)
}

// cast converts v to the named type, or fails with PowerShell's conversion error.
func (in *interp) cast(name string, v Value, ex extent) (Value, error) {
	t, ok := lookupType(name)
	if !ok {
		return nil, in.typeNotFound(ex, name)
	}
	out, ok := in.convert(t, v)
	if !ok {
		if _, isNum := toNumber(v); isNum && (t.kind == typeInt32 || t.kind == typeInt64 || t.kind == typeByte) {
			return nil, in.rtError(ex, "InvalidArgument", "InvalidCastIConvertible", "Cannot convert value \"%s\" to "+
				"type \"%s\". Error: \"Value was either too large or too small for %s.\"", toStr(v), t.name,
				map[typeKind]string{typeInt32: "an Int32", typeInt64: "an Int64", typeByte: "an unsigned byte"}[t.kind])
		}
		return nil, in.convertError(ex, v, t.name)
	}
	return out, nil
}

// convert converts v to type t; ok is false when PowerShell would refuse.
func (in *interp) convert(t *typeRef, v Value) (Value, bool) {
	if a, isArr := v.([]Value); isArr && t.kind != typeArray && t.kind != typeObject && t.kind != typeString &&
		t.kind != typeBool && t.kind != typeVoid && t.kind != typePSObject {
		if len(a) != 1 {
			return nil, false
		}
		v = a[0]
	}
	switch t.kind {
	case typeString:
		if v == nil {
			return "", true
		}
		return toStr(v), true
	case typeChar:
		if s, ok := v.(string); ok {
			if r := []rune(s); len(r) == 1 {
				return s, true
			}
			return nil, false
		}
		n, ok := toInt(v)
		if !ok || n < 0 || n > 0xFFFF {
			return nil, false
		}
		return string(rune(n)), true
	case typeInt32, typeInt64, typeByte:
		if _, isTime := v.(time.Time); isTime {
			return nil, false
		}
		n, ok := toInt(v)
		switch {
		case !ok:
			return nil, false
		case t.kind == typeInt32 && (n < math.MinInt32 || n > math.MaxInt32):
			return nil, false
		case t.kind == typeByte && (n < 0 || n > 255):
			return nil, false
		}
		return n, true
	case typeDouble:
		n, ok := toNumber(v)
		if !ok {
			return nil, false
		}
		return toFloat(n), true
	case typeBool:
		return toBool(v), true
	case typeDateTime:
		return asTime(v)
	case typeArray:
		var items []Value
		switch v := v.(type) {
		case nil:
			return nil, true
		case []Value:
			items = v
		default:
			items = []Value{v}
		}
		out := make([]Value, len(items))
		for i, e := range items {
			if t.of != nil && t.of.kind != typeObject {
				c, ok := in.convert(t.of, e)
				if !ok {
					return nil, false
				}
				e = c
			}
			out[i] = e
		}
		return out, true
	case typeHashtable, typeOrdered:
		h, ok := v.(*Hashtable)
		return h, ok
	case typePSObject:
		if h, ok := v.(*Hashtable); ok {
			o := newObject("")
			for i, k := range h.Keys {
				if i < len(h.Values) {
					o.Props = append(o.Props, Prop{Name: k, Value: h.Values[i]})
				}
			}
			return o, true
		}
		return v, true
	case typeObject:
		return v, true
	case typeScriptBlock:
		b, ok := v.(*scriptBlock)
		return b, ok
	case typeVoid:
		return nil, true
	}
	return nil, false
}

// typeOp is -is, -isnot and -as.
func (in *interp) typeOp(op string, l, r Value, ex extent) (Value, error) {
	t, ok := r.(*typeRef)
	if !ok {
		name := toStr(r)
		if t, ok = lookupType(name); !ok {
			return nil, in.typeNotFound(ex, name)
		}
	}
	if op == "as" {
		v, ok := in.convert(t, l)
		if !ok {
			return nil, nil
		}
		return v, nil
	}
	return isType(l, t) == (op == "is"), nil
}

// isType reports whether v is of type t.
func isType(v Value, t *typeRef) bool {
	switch t.kind {
	case typeString:
		_, ok := v.(string)
		return ok
	case typeInt32:
		n, ok := v.(int64)
		return ok && n >= math.MinInt32 && n <= math.MaxInt32
	case typeInt64:
		_, ok := v.(int64)
		return ok
	case typeDouble:
		_, ok := v.(float64)
		return ok
	case typeBool:
		_, ok := v.(bool)
		return ok
	case typeDateTime:
		_, ok := v.(time.Time)
		return ok
	case typeArray:
		_, ok := v.([]Value)
		return ok
	case typeHashtable, typeOrdered:
		_, ok := v.(*Hashtable)
		return ok
	case typePSObject:
		_, ok := v.(*Object)
		return ok
	case typeObject:
		return v != nil
	case typeScriptBlock:
		_, ok := v.(*scriptBlock)
		return ok
	}
	return false
}
