package pwsh

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
)

// Member access, method calls and indexing.

func (in *interp) evalMember(x *memberExpr) (Value, error) {
	target, err := in.eval(x.target)
	if err != nil {
		return nil, err
	}
	nv, err := in.eval(x.name)
	if err != nil {
		return nil, err
	}
	name := toStr(nv)
	if x.static {
		t, ok := target.(*typeRef)
		if !ok {
			return nil, in.rtError(x.extent, "InvalidOperation", "StaticMemberOnInstance",
				"Unable to find type or static member on [%s].", typeName(target))
		}
		return in.staticProperty(t, name, x.extent)
	}
	return in.getMember(target, name, 0), nil
}

// getMember reads a property. Missing properties are $null (PowerShell without strict mode). On an array it
// maps over the elements (member enumeration), unless the array itself has the member (Count, Length).
func (in *interp) getMember(target Value, name string, depth int) Value {
	lower := strings.ToLower(name)
	switch t := target.(type) {
	case nil:
		if lower == "count" || lower == "length" {
			return int64(0)
		}
		return nil
	case []Value:
		if lower == "count" || lower == "length" || lower == "longlength" {
			return int64(len(t))
		}
		if depth > 4 {
			return nil
		}
		var out []Value
		for _, e := range t {
			v := in.getMember(e, name, depth+1)
			if v == nil {
				continue
			}
			if a, ok := v.([]Value); ok {
				out = append(out, a...)
			} else {
				out = append(out, v)
			}
		}
		return collapse(out)
	case *Hashtable:
		if v, at := hashGet(t, name); at >= 0 {
			return v
		}
		switch lower {
		case "count":
			return int64(len(t.Keys))
		case "keys":
			keys := make([]Value, len(t.Keys))
			for i, k := range t.Keys {
				keys[i] = k
			}
			return keys
		case "values":
			return append([]Value{}, t.Values...)
		}
		return nil
	case *Object:
		if v, at := objGet(t, name); at >= 0 {
			return v
		}
		if lower == "count" || lower == "length" {
			return int64(1)
		}
		return nil
	case string:
		switch lower {
		case "length":
			return int64(len(utf16.Encode([]rune(t))))
		case "count":
			return int64(1)
		}
		return nil
	case time.Time:
		return dateMember(t, lower)
	case Enum:
		if lower == "value__" {
			return t.Value
		}
	case *errorValue:
		v, _ := objGet(t.rec.object(), name)
		return v
	case *typeRef:
		switch lower {
		case "name":
			return shortTypeName(t.name)
		case "fullname":
			return t.name
		}
		return nil
	}
	if lower == "count" || lower == "length" {
		return int64(1)
	}
	return nil
}

func (in *interp) evalInvoke(x *invokeExpr) (Value, error) {
	target, err := in.eval(x.target)
	if err != nil {
		return nil, err
	}
	nv, err := in.eval(x.name)
	if err != nil {
		return nil, err
	}
	name := toStr(nv)
	args := make([]Value, len(x.args))
	for i, a := range x.args {
		if args[i], err = in.eval(a); err != nil {
			return nil, err
		}
	}
	if x.static {
		t, ok := target.(*typeRef)
		if !ok {
			return nil, in.rtError(x.extent, "InvalidOperation", "StaticMemberOnInstance",
				"Unable to find type or static member on [%s].", typeName(target))
		}
		return in.staticMethod(t, name, args, x.extent)
	}
	return in.callMethod(target, name, args, x.extent)
}

// callMethod calls a method on a value.
func (in *interp) callMethod(target Value, name string, args []Value, ex extent) (Value, error) {
	if target == nil {
		return nil, in.rtError(ex, "InvalidOperation", "InvokeMethodOnNull",
			"You cannot call a method on a null-valued expression.")
	}
	lower := strings.ToLower(name)
	if o, ok := target.(*Object); ok {
		if orig, fromHost := in.origin[o]; fromHost && lower != "gettype" {
			return in.hostMethod(o, orig, name, args, ex)
		}
	}
	switch lower {
	case "gettype":
		if len(args) == 0 {
			return &typeRef{name: typeName(target), kind: typeObject}, nil
		}
	case "equals":
		if len(args) == 1 {
			return equalValues(target, args[0], true), nil
		}
	}
	v, found, err := in.builtinMethod(target, lower, args, ex)
	if err != nil {
		return nil, err
	}
	if found {
		return v, nil
	}
	if lower == "tostring" && len(args) == 0 {
		return toStr(target), nil
	}
	return nil, in.rtError(ex, "InvalidOperation", "MethodNotFound",
		"Method invocation failed because [%s] does not contain a method named '%s'.", typeName(target), name)
}

// hostMethod calls a method on an object the Host returned, on the Host's own object.
func (in *interp) hostMethod(o, orig *Object, name string, args []Value, ex extent) (Value, error) {
	hostArgs := make([]Value, len(args))
	for i, a := range args {
		hostArgs[i] = toHost(a, 0)
	}
	in.con.flush()
	v, err := in.host.CallMethod(in.ctx, orig, name, hostArgs)
	if err == nil {
		return in.fromHost(v, 0), nil
	}
	if cerr := in.ctx.Err(); cerr != nil {
		return nil, cerr
	}
	if errors.Is(err, ErrUnknownCommand) {
		if strings.EqualFold(name, "ToString") && len(args) == 0 {
			return toStr(o), nil
		}
		return nil, in.rtError(ex, "InvalidOperation", "MethodNotFound",
			"Method invocation failed because [%s] does not contain a method named '%s'.", typeName(o), name)
	}
	msg := err.Error()
	fqid := "ComMethodTargetInvocation"
	var ce *CmdletError
	if errors.As(err, &ce) {
		msg = ce.Message
		if ce.ErrorID != "" {
			fqid = ce.ErrorID
		}
	}
	rec := in.record(ex, fmt.Sprintf("Exception calling \"%s\" with \"%d\" argument(s): \"%s\"", name, len(args), msg),
		"NotSpecified", "MethodInvocationException", fqid)
	return nil, &psError{rec: rec}
}

func (in *interp) evalIndex(x *indexExpr) (Value, error) {
	target, err := in.eval(x.target)
	if err != nil {
		return nil, err
	}
	idx, err := in.eval(x.index)
	if err != nil {
		return nil, err
	}
	return in.index(target, idx, x.extent)
}

// index is $a[i]: negative indexes count from the end, a list of indexes gives a list, out of range is $null.
func (in *interp) index(target, idx Value, ex extent) (Value, error) {
	if list, ok := idx.([]Value); ok {
		if _, isHash := target.(*Hashtable); !isHash || len(list) != 1 {
			out := make([]Value, 0, len(list))
			for _, i := range list {
				v, err := in.index(target, i, ex)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			return out, nil
		}
		idx = list[0]
	}
	switch t := target.(type) {
	case nil:
		return nil, in.rtError(ex, "InvalidOperation", "NullArray", "Cannot index into a null array.")
	case *Hashtable:
		v, _ := hashGet(t, toStr(idx))
		return v, nil
	case []Value:
		i, ok := toInt(idx)
		if !ok {
			return nil, in.convertError(ex, idx, "System.Int32")
		}
		if i < 0 {
			i += int64(len(t))
		}
		if i < 0 || i >= int64(len(t)) {
			return nil, nil
		}
		return t[i], nil
	case string:
		i, ok := toInt(idx)
		if !ok {
			return nil, in.convertError(ex, idx, "System.Int32")
		}
		u := utf16.Encode([]rune(t))
		if i < 0 {
			i += int64(len(u))
		}
		if i < 0 || i >= int64(len(u)) {
			return nil, nil
		}
		return string(utf16.Decode(u[i : i+1])), nil
	case *Object, *errorValue, *typeRef, *scriptBlock:
		return nil, in.rtError(ex, "InvalidOperation", "CannotIndex", "Unable to index into an object of type %s.",
			typeName(target))
	}
	i, ok := toInt(idx)
	if ok && (i == 0 || i == -1) {
		return target, nil
	}
	return nil, nil
}

// setMember assigns $obj.Name = v.
func (in *interp) setMember(target Value, name string, v Value, ex extent) error {
	switch t := target.(type) {
	case *Hashtable:
		hashSet(t, name, v)
		return nil
	case *Object:
		if _, at := objGet(t, name); at >= 0 {
			t.Props[at].Value = v
			return nil
		}
	case nil:
		return in.rtError(ex, "InvalidOperation", "PropertyNotFound",
			"The property '%s' cannot be found on this object. Verify that the property exists and can be set.", name)
	}
	return in.rtError(ex, "InvalidOperation", "PropertyAssignmentException",
		"The property '%s' cannot be found on this object. Verify that the property exists and can be set.", name)
}

// setIndex assigns $a[i] = v.
func (in *interp) setIndex(target, idx, v Value, ex extent) error {
	switch t := target.(type) {
	case *Hashtable:
		hashSet(t, toStr(idx), v)
		return nil
	case []Value:
		i, ok := toInt(idx)
		if !ok {
			return in.convertError(ex, idx, "System.Int32")
		}
		if i < 0 {
			i += int64(len(t))
		}
		if i < 0 || i >= int64(len(t)) {
			return in.rtError(ex, "OperationStopped", "System.IndexOutOfRangeException",
				"Index was outside the bounds of the array.")
		}
		t[i] = v
		return nil
	case nil:
		return in.rtError(ex, "InvalidOperation", "NullArray", "Cannot index into a null array.")
	}
	return in.rtError(ex, "InvalidOperation", "CannotIndex", "Unable to index into an object of type %s.", typeName(target))
}
