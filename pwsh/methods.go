package pwsh

import (
	"strings"
	"time"
	"unicode/utf16"
)

// The .NET methods scripts call on strings, arrays, hashtables, numbers and script blocks.

// builtinMethod calls a method the interpreter implements itself; found is false when there is none.
func (in *interp) builtinMethod(target Value, name string, args []Value, ex extent) (v Value, found bool, err error) {
	switch name {
	case "where", "foreach":
		if len(args) >= 1 {
			if b, ok := args[0].(*scriptBlock); ok {
				v, err := in.magicMethod(name, target, b)
				return v, true, err
			}
		}
	}
	switch t := target.(type) {
	case string:
		return in.stringMethod(t, name, args, ex)
	case []Value:
		return in.arrayMethod(t, name, args)
	case *Hashtable:
		return in.hashMethod(t, name, args, ex)
	case time.Time:
		return in.dateMethod(t, name, args, ex)
	case int64, float64:
		if name == "tostring" && len(args) == 1 {
			s, err := in.formatValue(t, toStr(args[0]), ex)
			return s, true, err
		}
	case *scriptBlock:
		if name == "invoke" || name == "invokereturnasis" {
			saved := in.vars["args"]
			in.vars["args"] = append([]Value{}, args...)
			defer func() { in.vars["args"] = saved }()
			var out []Value
			err := in.invokeBlock(t, nil, false, func(v Value) { out = append(out, v) })
			return collapse(out), true, err
		}
	}
	return nil, false, nil
}

// magicMethod is PowerShell 4's .Where({ }) and .ForEach({ }) on any value.
func (in *interp) magicMethod(name string, target Value, b *scriptBlock) (Value, error) {
	out := []Value{}
	for _, item := range loopItems(target) {
		if err := in.tick(); err != nil {
			return nil, err
		}
		if name == "where" {
			v, err := in.blockValue(b, item)
			if err != nil {
				return nil, err
			}
			if toBool(v) {
				out = append(out, item)
			}
			continue
		}
		if err := in.invokeBlock(b, item, true, func(v Value) { out = append(out, v) }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// u16 and s16 convert between Go strings and the UTF-16 code units .NET indexes strings by.
func u16(s string) []uint16 { return utf16.Encode([]rune(s)) }
func s16(u []uint16) string { return string(utf16.Decode(u)) }

func (in *interp) stringMethod(s, name string, args []Value, ex extent) (Value, bool, error) {
	arg := func(i int) string {
		if i < len(args) {
			return toStr(args[i])
		}
		return ""
	}
	intArg := func(i int) (int, bool) {
		if i >= len(args) {
			return 0, false
		}
		n, ok := toInt(args[i])
		return int(n), ok && n >= -1<<31 && n < 1<<31
	}
	bad := func(detail string) (Value, bool, error) {
		return nil, true, in.methodError(ex, name, len(args), detail)
	}
	switch n := len(args); {
	case name == "tostring" && n == 0, name == "clone" && n == 0:
		return s, true, nil
	case name == "toupper" && n == 0, name == "toupperinvariant" && n == 0:
		return strings.ToUpper(s), true, nil
	case name == "tolower" && n == 0, name == "tolowerinvariant" && n == 0:
		return strings.ToLower(s), true, nil
	case name == "trim" && n == 0:
		return strings.TrimFunc(s, isTrimSpace), true, nil
	case name == "trimstart" && n == 0:
		return strings.TrimLeftFunc(s, isTrimSpace), true, nil
	case name == "trimend" && n == 0:
		return strings.TrimRightFunc(s, isTrimSpace), true, nil
	case name == "trim" && n > 0:
		return strings.Trim(s, joinArgs(args)), true, nil
	case name == "trimstart" && n > 0:
		return strings.TrimLeft(s, joinArgs(args)), true, nil
	case name == "trimend" && n > 0:
		return strings.TrimRight(s, joinArgs(args)), true, nil
	case name == "contains" && n == 1:
		return strings.Contains(s, arg(0)), true, nil
	case name == "startswith" && n >= 1:
		return strings.HasPrefix(s, arg(0)) || (n > 1 && isIgnoreCase(args[1]) && strings.HasPrefix(strings.ToLower(s), strings.ToLower(arg(0)))), true, nil
	case name == "endswith" && n >= 1:
		return strings.HasSuffix(s, arg(0)) || (n > 1 && isIgnoreCase(args[1]) && strings.HasSuffix(strings.ToLower(s), strings.ToLower(arg(0)))), true, nil
	case name == "replace" && n == 2:
		if arg(0) == "" {
			return bad("String cannot be of zero length.\r\nParameter name: oldValue")
		}
		out := strings.ReplaceAll(s, arg(0), arg(1))
		if len(out) > in.lim.stringLen {
			return nil, true, in.tooLarge(ex)
		}
		return out, true, nil
	case name == "indexof" && n == 1, name == "lastindexof" && n == 1:
		hay, needle := u16(s), u16(arg(0))
		return int64(indexU16(hay, needle, name == "lastindexof")), true, nil
	case name == "substring" && (n == 1 || n == 2):
		u := u16(s)
		start, ok := intArg(0)
		if !ok || start < 0 || start > len(u) {
			return bad("startIndex cannot be larger than length of string.\r\nParameter name: startIndex")
		}
		length := len(u) - start
		if n == 2 {
			if length, ok = intArg(1); !ok || length < 0 || start+length > len(u) {
				return bad("Index and length must refer to a location within the string.\r\nParameter name: length")
			}
		}
		return s16(u[start : start+length]), true, nil
	case (name == "padleft" || name == "padright") && (n == 1 || n == 2):
		w, ok := intArg(0)
		if !ok || w < 0 {
			return bad("Non-negative number required.\r\nParameter name: totalWidth")
		}
		if w > in.lim.stringLen {
			return nil, true, in.tooLarge(ex)
		}
		pad := " "
		if n == 2 {
			if r := []rune(arg(1)); len(r) > 0 {
				pad = string(r[0])
			}
		}
		fill := w - len(u16(s))
		if fill <= 0 {
			return s, true, nil
		}
		if name == "padleft" {
			return strings.Repeat(pad, fill) + s, true, nil
		}
		return s + strings.Repeat(pad, fill), true, nil
	case name == "split":
		return in.splitMethod(s, args), true, nil
	case name == "equals" && n == 1:
		return s == arg(0), true, nil
	case name == "compareto" && n == 1:
		return int64(strings.Compare(s, arg(0))), true, nil
	case name == "tochararray" && n == 0:
		var out []Value
		for _, c := range s {
			out = append(out, string(c))
		}
		return out, true, nil
	}
	return nil, false, nil
}

// isIgnoreCase reads a StringComparison argument (OrdinalIgnoreCase, CurrentCultureIgnoreCase ...).
func isIgnoreCase(v Value) bool { return strings.HasSuffix(strings.ToLower(toStr(v)), "ignorecase") }

// joinArgs gathers the characters of Trim's arguments.
func joinArgs(args []Value) string {
	var sb strings.Builder
	for _, a := range args {
		for _, e := range enumerate(a) {
			sb.WriteString(toStr(e))
		}
	}
	return sb.String()
}

// splitMethod is String.Split: each character of the separators splits (white space when there are none);
// empty entries are kept.
func (in *interp) splitMethod(s string, args []Value) Value {
	seps := joinArgs(args)
	if len(args) > 1 {
		seps = joinArgs(args[:1])
	}
	isSep := func(c rune) bool { return strings.ContainsRune(seps, c) }
	if seps == "" {
		isSep = isTrimSpace
	}
	var out []Value
	rs := []rune(s)
	start := 0
	for i, c := range rs {
		if isSep(c) {
			out = append(out, string(rs[start:i]))
			start = i + 1
		}
	}
	return append(out, string(rs[start:]))
}

func indexU16(hay, needle []uint16, last bool) int {
	if len(needle) == 0 {
		if last {
			return max(len(hay)-1, 0)
		}
		return 0
	}
	found := -1
	for i := 0; i+len(needle) <= len(hay); i++ {
		match := true
		for j := range needle {
			if hay[i+j] != needle[j] {
				match = false
				break
			}
		}
		if match {
			found = i
			if !last {
				return i
			}
		}
	}
	return found
}

func (in *interp) arrayMethod(a []Value, name string, args []Value) (Value, bool, error) {
	switch {
	case name == "contains" && len(args) == 1:
		return in.containsValue(a, args[0], true), true, nil
	case name == "indexof" && len(args) == 1:
		for i, e := range a {
			if equalValues(e, args[0], true) {
				return int64(i), true, nil
			}
		}
		return int64(-1), true, nil
	case name == "tostring" && len(args) == 0:
		return "System.Object[]", true, nil
	case name == "clone" && len(args) == 0:
		return append([]Value{}, a...), true, nil
	}
	return nil, false, nil
}

func (in *interp) hashMethod(h *Hashtable, name string, args []Value, ex extent) (Value, bool, error) {
	switch {
	case (name == "containskey" || name == "contains") && len(args) == 1:
		_, at := hashGet(h, toStr(args[0]))
		return at >= 0, true, nil
	case name == "containsvalue" && len(args) == 1:
		return in.containsValue(h.Values, args[0], true), true, nil
	case name == "add" && len(args) == 2:
		key := toStr(args[0])
		if _, at := hashGet(h, key); at >= 0 {
			return nil, true, in.methodError(ex, "Add", 2, "Item has already been added. Key in dictionary: '"+key+
				"'  Key being added: '"+key+"'")
		}
		h.Keys = append(h.Keys, key)
		h.Values = append(h.Values, args[1])
		return nil, true, nil
	case name == "remove" && len(args) == 1:
		if _, at := hashGet(h, toStr(args[0])); at >= 0 {
			h.Keys = append(h.Keys[:at], h.Keys[at+1:]...)
			h.Values = append(h.Values[:at], h.Values[at+1:]...)
		}
		return nil, true, nil
	case name == "clear" && len(args) == 0:
		h.Keys, h.Values = nil, nil
		return nil, true, nil
	case name == "getenumerator" && len(args) == 0:
		out := make([]Value, 0, len(h.Keys))
		for i, k := range h.Keys {
			if i < len(h.Values) {
				out = append(out, newObject("System.Collections.DictionaryEntry",
					Prop{"Name", k}, Prop{"Key", k}, Prop{"Value", h.Values[i]}))
			}
		}
		return out, true, nil
	case name == "clone" && len(args) == 0:
		return &Hashtable{Keys: append([]string(nil), h.Keys...), Values: append([]Value(nil), h.Values...)}, true, nil
	}
	return nil, false, nil
}

// methodError is MethodInvocationException: 'Exception calling "X" with "N" argument(s): "detail"'.
func (in *interp) methodError(ex extent, name string, n int, detail string) error {
	rec := in.record(ex, "Exception calling \""+methodTitle(name)+"\" with \""+itoa(n)+"\" argument(s): \""+detail+"\"",
		"NotSpecified", "MethodInvocationException", "ArgumentOutOfRangeException")
	return &psError{rec: rec}
}

// methodTitle capitalises a lower-cased method name for messages.
func methodTitle(name string) string {
	titles := map[string]string{"substring": "Substring", "padleft": "PadLeft", "padright": "PadRight",
		"replace": "Replace", "add": "Add", "tostring": "ToString", "adddays": "AddDays", "addmonths": "AddMonths"}
	if t, ok := titles[strings.ToLower(name)]; ok {
		return t
	}
	return name
}
