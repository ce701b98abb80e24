package pwsh

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Values cross between the script and the Host as copies. A script that changes $obj.Prop must not change the
// Host's own object (the simulator's state), and a Host's odd Go types (int32, []string, a Stringer) become the
// handful of types the interpreter knows.

// maxHostDepth bounds how deep a Host value is copied; deeper parts (or cycles) are dropped.
const maxHostDepth = 32

// fromHost copies a value a Host returned. Objects remember their original so methods reach the Host's object.
func (in *interp) fromHost(v any, depth int) Value {
	if depth > maxHostDepth {
		return nil
	}
	switch v := v.(type) {
	case nil, string, bool, int64, float64, time.Time, Enum:
		return v
	case int:
		return int64(v)
	case int8:
		return int64(v)
	case int16:
		return int64(v)
	case int32:
		return int64(v)
	case uint8:
		return int64(v)
	case uint16:
		return int64(v)
	case uint32:
		return int64(v)
	case uint:
		return fromUint(uint64(v))
	case uint64:
		return fromUint(v)
	case float32:
		return float64(v)
	case *Enum:
		if v == nil {
			return nil
		}
		return *v
	case *time.Time:
		if v == nil {
			return nil
		}
		return *v
	case []Value:
		if v == nil {
			return nil
		}
		out := make([]Value, len(v))
		for i, e := range v {
			out[i] = in.fromHost(e, depth+1)
		}
		return out
	case []string:
		out := make([]Value, len(v))
		for i, e := range v {
			out[i] = e
		}
		return out
	case []int:
		out := make([]Value, len(v))
		for i, e := range v {
			out[i] = int64(e)
		}
		return out
	case []int64:
		out := make([]Value, len(v))
		for i, e := range v {
			out[i] = e
		}
		return out
	case []*Object:
		out := make([]Value, len(v))
		for i, e := range v {
			out[i] = in.fromHost(e, depth+1)
		}
		return out
	case *Hashtable:
		if v == nil {
			return nil
		}
		n := min(len(v.Keys), len(v.Values))
		h := &Hashtable{Keys: make([]string, 0, n), Values: make([]Value, 0, n)}
		for i := 0; i < n; i++ {
			hashSet(h, v.Keys[i], in.fromHost(v.Values[i], depth+1))
		}
		return h
	case *Object:
		if v == nil {
			return nil
		}
		o := &Object{TypeName: v.TypeName, Props: make([]Prop, len(v.Props))}
		for i, p := range v.Props {
			o.Props[i] = Prop{Name: p.Name, Value: in.fromHost(p.Value, depth+1)}
		}
		if in.origin != nil {
			in.origin[o] = v
		}
		return o
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		h := &Hashtable{}
		for _, k := range keys {
			hashSet(h, k, in.fromHost(v[k], depth+1))
		}
		return h
	case fmt.Stringer:
		return v.String()
	case error:
		return v.Error()
	}
	return fmt.Sprint(v)
}

func fromUint(u uint64) Value {
	if u > math.MaxInt64 {
		return float64(u)
	}
	return int64(u)
}

// toHost copies a script value for a Host. Values only a script has (script blocks, types, error records)
// become their text.
func toHost(v Value, depth int) any {
	if depth > maxHostDepth {
		return nil
	}
	switch v := v.(type) {
	case nil, string, bool, int64, float64, time.Time, Enum:
		return v
	case []Value:
		out := make([]Value, len(v))
		for i, e := range v {
			out[i] = toHost(e, depth+1)
		}
		return out
	case *Hashtable:
		h := &Hashtable{Keys: append([]string(nil), v.Keys...), Values: make([]Value, len(v.Keys))}
		for i := range v.Keys {
			if i < len(v.Values) {
				h.Values[i] = toHost(v.Values[i], depth+1)
			}
		}
		return h
	case *Object:
		o := &Object{TypeName: v.TypeName, Props: make([]Prop, len(v.Props))}
		for i, p := range v.Props {
			o.Props[i] = Prop{Name: p.Name, Value: toHost(p.Value, depth+1)}
		}
		return o
	}
	return toStr(v)
}
