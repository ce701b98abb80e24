package pwsh

import (
	"strings"
)

// Property lists as Select-Object, Sort-Object and Format-Table take them: names (with wildcards), script blocks
// and calculated properties such as @{n='Name';e={$_.Identity}}.

type propSpec struct {
	name       string       // output name
	source     string       // property read from the input, when expr is nil
	expr       *scriptBlock // calculated value
	wild       bool         // name has wildcards and stands for the matching properties
	descending *bool        // Sort-Object's per-property direction
}

// propSpecs reads a -Property argument.
func (in *interp) propSpecs(c *bcall, v Value, forSort bool) ([]propSpec, error) {
	var specs []propSpec
	for _, e := range enumerate(v) {
		switch e := e.(type) {
		case nil:
		case *scriptBlock:
			specs = append(specs, propSpec{name: strings.TrimSpace(e.text), expr: e})
		case *Hashtable:
			s, err := in.calculatedProp(c, e, forSort)
			if err != nil {
				return nil, err
			}
			specs = append(specs, s)
		default:
			name := toStr(e)
			specs = append(specs, propSpec{name: name, source: name, wild: strings.ContainsAny(name, "*?[")})
		}
	}
	return specs, nil
}

// calculatedProp reads @{Name=...; Expression=...} (keys may be abbreviated: n, l, e; Sort-Object also takes
// Ascending and Descending).
func (in *interp) calculatedProp(c *bcall, h *Hashtable, forSort bool) (propSpec, error) {
	var s propSpec
	hasExpr := false
	for i, k := range h.Keys {
		var v Value
		if i < len(h.Values) {
			v = h.Values[i]
		}
		key := strings.ToLower(k)
		switch {
		case key != "" && (strings.HasPrefix("name", key) || strings.HasPrefix("label", key)):
			s.name = toStr(v)
		case key != "" && strings.HasPrefix("expression", key):
			hasExpr = true
			switch ev := v.(type) {
			case *scriptBlock:
				s.expr = ev
				if s.name == "" {
					s.name = strings.TrimSpace(ev.text)
				}
			default:
				s.source = toStr(ev)
				if s.name == "" {
					s.name = s.source
				}
			}
		case forSort && key != "" && strings.HasPrefix("ascending", key):
			d := !toBool(v)
			s.descending = &d
		case forSort && key != "" && strings.HasPrefix("descending", key):
			d := toBool(v)
			s.descending = &d
		case !forSort && (key == "width" || key == "alignment" || key == "formatstring"):
		default:
			return s, in.terminatingError(c, "InvalidArgument", "NotSupportedException", "IllegalKey",
				"The %s key is not valid.", k)
		}
	}
	if !hasExpr {
		return s, in.terminatingError(c, "InvalidArgument", "NotSupportedException", "MissingExpressionKey",
			"Missing an Expression key in the hash table.")
	}
	return s, nil
}

// propNames lists the properties of a value, for wildcards and Format-List *.
func propNames(v Value) []string {
	switch v := v.(type) {
	case *Object:
		names := make([]string, len(v.Props))
		for i, p := range v.Props {
			names[i] = p.Name
		}
		return names
	case *Hashtable:
		return append([]string(nil), v.Keys...)
	case string:
		return []string{"Length"}
	}
	return nil
}

// hasMember reports whether a value has a property of that name.
func hasMember(v Value, name string) bool {
	for _, n := range propNames(v) {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// project builds the object Select-Object and Format-Table show for one input.
func (in *interp) project(item Value, specs []propSpec, exclude []string, typeName string) (*Object, error) {
	o := newObject(typeName)
	add := func(name string, v Value) {
		for _, x := range exclude {
			if m, _ := in.wildcardMatch(name, x, false, extent{}); m {
				return
			}
		}
		if _, at := objGet(o, name); at < 0 {
			o.Props = append(o.Props, Prop{Name: name, Value: v})
		}
	}
	for _, s := range specs {
		switch {
		case s.expr != nil:
			v, err := in.blockValue(s.expr, item)
			if err != nil {
				return nil, err
			}
			add(s.name, v)
		case s.wild:
			for _, n := range propNames(item) {
				if m, _ := in.wildcardMatch(n, s.name, false, extent{}); m {
					add(n, in.getMember(item, n, 0))
				}
			}
		default:
			name := s.name
			for _, n := range propNames(item) {
				if strings.EqualFold(n, s.source) && s.name == s.source {
					name = n
				}
			}
			add(name, in.getMember(item, s.source, 0))
		}
	}
	return o, nil
}

// propValue evaluates one property spec for an item.
func (in *interp) propValue(item Value, s propSpec) (Value, error) {
	if s.expr != nil {
		return in.blockValue(s.expr, item)
	}
	return in.getMember(item, s.source, 0), nil
}
