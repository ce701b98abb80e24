package pwsh

import (
	"sort"
	"strings"
)

// Select-Object, Where-Object, ForEach-Object, Sort-Object and Measure-Object.

func objectCommands() []*builtin {
	whereParams := []paramSpec{positional("FilterScript", "System.Management.Automation.ScriptBlock", 0, false),
		named("Property", "System.String"), positional("Value", "System.Object", 1, false)}
	for _, op := range whereOperators {
		whereParams = append(whereParams, switchParam(op))
	}
	return []*builtin{
		{name: "Select-Object", class: "SelectObjectCommand",
			params: []paramSpec{positional("Property", "System.Object[]", 0, false),
				named("ExcludeProperty", "System.String[]"), named("ExpandProperty", "System.String"),
				named("First", "System.Int32"), named("Last", "System.Int32"), named("Skip", "System.Int32"),
				named("Index", "System.Int32[]"), switchParam("Unique"), named("InputObject", "System.Management.Automation.PSObject")},
			run: runSelect},
		{name: "Where-Object", class: "WhereObjectCommand", params: whereParams, run: runWhere},
		{name: "ForEach-Object", class: "ForEachObjectCommand",
			params: []paramSpec{positional("Process", "System.Management.Automation.ScriptBlock[]", 0, true, "MemberName"),
				named("Begin", "System.Management.Automation.ScriptBlock"),
				named("End", "System.Management.Automation.ScriptBlock"),
				named("ArgumentList", "System.Object[]", "Args"), named("InputObject", "System.Management.Automation.PSObject")},
			run: runForEach},
		{name: "Sort-Object", class: "SortObjectCommand",
			params: []paramSpec{positional("Property", "System.Object[]", 0, false), switchParam("Descending"),
				switchParam("Unique"), switchParam("CaseSensitive"), named("InputObject", "System.Management.Automation.PSObject")},
			run: runSort},
		{name: "Measure-Object", class: "MeasureObjectCommand",
			params: []paramSpec{positional("Property", "System.String[]", 0, false), switchParam("Sum"),
				switchParam("Average"), switchParam("Maximum"), switchParam("Minimum"),
				named("InputObject", "System.Management.Automation.PSObject")},
			run: runMeasure},
	}
}

// items is a command's input: the pipeline, or -InputObject.
func items(c *bcall) []Value {
	if c.has("InputObject") {
		return []Value{c.get("InputObject")}
	}
	return c.input
}

func runSelect(in *interp, c *bcall) ([]Value, error) {
	list := items(c)
	if c.has("Skip") {
		n, _ := toInt(c.get("Skip"))
		list = list[min(max(int(n), 0), len(list)):]
	}
	if c.has("Index") {
		var picked []Value
		for _, i := range enumerate(c.get("Index")) {
			if n, ok := toInt(i); ok && n >= 0 && n < int64(len(list)) {
				picked = append(picked, list[n])
			}
		}
		list = picked
	}
	if c.has("First") || c.has("Last") {
		var head, tail []Value
		if c.has("First") {
			n, _ := toInt(c.get("First"))
			head = list[:min(max(int(n), 0), len(list))]
		}
		if c.has("Last") {
			n, _ := toInt(c.get("Last"))
			tail = list[len(list)-min(max(int(n), 0), len(list)):]
		}
		list = append(append([]Value{}, head...), tail...)
	}
	var out []Value
	switch {
	case c.has("ExpandProperty"):
		name := toStr(c.get("ExpandProperty"))
		for _, item := range list {
			if !hasMember(item, name) && in.getMember(item, name, 0) == nil {
				if err := in.cmdletError(c, "InvalidArgument", "ExpandPropertyNotFound",
					"Property \"%s\" cannot be found.", name); err != nil {
					return nil, err
				}
				continue
			}
			if v := in.getMember(item, name, 0); v != nil {
				out = append(out, enumerate(v)...)
			}
		}
	case c.has("Property"):
		specs, err := in.propSpecs(c, c.get("Property"), false)
		if err != nil {
			return nil, err
		}
		var exclude []string
		for _, e := range enumerate(c.get("ExcludeProperty")) {
			if e != nil {
				exclude = append(exclude, toStr(e))
			}
		}
		for _, item := range list {
			if err := in.tick(); err != nil {
				return nil, err
			}
			o, err := in.project(item, specs, exclude, "Selected."+typeName(item))
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
	default:
		out = list
	}
	if c.on("Unique") {
		seen := map[string]bool{}
		uniq := out[:0:0]
		for _, v := range out {
			k := typeName(v) + "\x00" + toStr(v)
			if !seen[k] {
				seen[k] = true
				uniq = append(uniq, v)
			}
		}
		out = uniq
	}
	return out, nil
}

// whereOperators are Where-Object's comparison switches.
var whereOperators = []string{"EQ", "NE", "GT", "GE", "LT", "LE", "Like", "NotLike", "Match", "NotMatch",
	"Contains", "NotContains", "In", "NotIn", "Is", "IsNot", "CEQ", "CNE", "CGT", "CGE", "CLT", "CLE", "CLike",
	"CNotLike", "CMatch", "CNotMatch", "CContains", "CNotContains", "CIn", "CNotIn"}

func runWhere(in *interp, c *bcall) ([]Value, error) {
	var out []Value
	if fs, ok := c.get("FilterScript").(*scriptBlock); ok {
		for _, item := range items(c) {
			if err := in.tick(); err != nil {
				return nil, err
			}
			v, err := in.blockValue(fs, item)
			if err != nil {
				return nil, err
			}
			if toBool(v) {
				out = append(out, item)
			}
		}
		return out, nil
	}
	prop := toStr(c.get("Property"))
	value := c.get("Value")
	if c.has("Property") && c.has("FilterScript") && !c.has("Value") {
		// Where-Object -Property Length -EQ 3: the 3 belongs to -Value in that parameter set.
		value = c.get("FilterScript")
	}
	if !c.has("Property") {
		if !c.has("FilterScript") {
			return nil, in.bindError(c.inv, c.inv.ex, "MissingArgument", "Missing an argument for parameter "+
				"'FilterScript'. Specify a parameter of type 'System.Management.Automation.ScriptBlock' and try again.")
		}
		prop = toStr(c.get("FilterScript"))
	}
	op := ""
	for _, o := range whereOperators {
		if c.on(o) {
			op = strings.ToLower(o)
			break
		}
	}
	for _, item := range items(c) {
		if err := in.tick(); err != nil {
			return nil, err
		}
		v := in.getMember(item, prop, 0)
		keep := toBool(v)
		if op != "" {
			r, err := in.whereCompare(op, v, value, c.inv.ex)
			if err != nil {
				return nil, err
			}
			keep = toBool(r)
		}
		if keep {
			out = append(out, item)
		}
	}
	return out, nil
}

func (in *interp) whereCompare(op string, l, r Value, ex extent) (Value, error) {
	switch op {
	case "is", "isnot":
		return in.typeOp(op, l, r, ex)
	}
	cs := false
	if strings.HasPrefix(op, "c") && comparisonOps[op[1:]] && op != "contains" {
		op, cs = op[1:], true
	}
	return in.compareOp(op, l, r, cs, ex)
}

func runForEach(in *interp, c *bcall) ([]Value, error) {
	var out []Value
	emit := func(v Value) { out = append(out, v) }
	if c.inv.emit != nil {
		emit = c.inv.emit
	}
	list := items(c)
	if c.inv.first && !c.has("InputObject") {
		list = []Value{nil}
	}
	proc := c.get("Process")
	if name, ok := proc.(string); ok {
		for _, item := range list {
			if err := in.tick(); err != nil {
				return nil, err
			}
			if hasMember(item, name) || in.getMember(item, name, 0) != nil {
				if v := in.getMember(item, name, 0); v != nil {
					out = append(out, enumerate(v)...)
				}
				continue
			}
			var args []Value
			if c.has("ArgumentList") {
				args = enumerate(c.get("ArgumentList"))
			}
			v, err := in.callMethod(item, name, args, c.inv.ex)
			if err != nil {
				return nil, err
			}
			if v != nil {
				out = append(out, enumerate(v)...)
			}
		}
		return out, nil
	}
	var blocks []*scriptBlock
	for _, b := range enumerate(proc) {
		if sb, ok := b.(*scriptBlock); ok {
			blocks = append(blocks, sb)
		} else if b != nil {
			return nil, in.bindError(c.inv, c.inv.ex, "CannotConvertArgument", "Cannot bind parameter 'Process'. "+
				"Cannot convert the \"%s\" value of type \"%s\" to type \"System.Management.Automation.ScriptBlock\".",
				toStr(b), typeName(b))
		}
	}
	begin, _ := c.get("Begin").(*scriptBlock)
	end, _ := c.get("End").(*scriptBlock)
	if len(blocks) >= 2 && begin == nil {
		begin, blocks = blocks[0], blocks[1:]
		if len(blocks) >= 2 && end == nil {
			end, blocks = blocks[len(blocks)-1], blocks[:len(blocks)-1]
		}
	}
	if begin != nil {
		if err := in.invokeBlock(begin, nil, false, emit); err != nil {
			return nil, err
		}
	}
	for _, item := range list {
		for _, b := range blocks {
			if err := in.tick(); err != nil {
				return nil, err
			}
			if err := in.invokeBlock(b, item, true, emit); err != nil {
				return nil, err
			}
		}
	}
	if end != nil {
		if err := in.invokeBlock(end, nil, false, emit); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func runSort(in *interp, c *bcall) ([]Value, error) {
	list := append([]Value{}, items(c)...)
	specs, err := in.propSpecs(c, c.get("Property"), true)
	if err != nil {
		return nil, err
	}
	cs := c.on("CaseSensitive")
	desc := c.on("Descending")
	keys := make([][]Value, len(list))
	for i, item := range list {
		if err := in.tick(); err != nil {
			return nil, err
		}
		if len(specs) == 0 {
			keys[i] = []Value{item}
			continue
		}
		for _, s := range specs {
			v, err := in.propValue(item, s)
			if err != nil {
				return nil, err
			}
			keys[i] = append(keys[i], v)
		}
	}
	idx := make([]int, len(list))
	for i := range idx {
		idx[i] = i
	}
	compares := 0
	aborted := false
	compare := func(a, b int) int {
		// A sort of many long strings can take a while; stay responsive to cancellation.
		if compares++; compares&0x3ff == 0 && in.ctx.Err() != nil {
			aborted = true
		}
		if aborted {
			return 0
		}
		for k := range keys[a] {
			r := in.sortCompare(keys[a][k], keys[b][k], cs)
			d := desc
			if k < len(specs) && specs[k].descending != nil {
				d = *specs[k].descending
			}
			if d {
				r = -r
			}
			if r != 0 {
				return r
			}
		}
		return 0
	}
	sort.SliceStable(idx, func(i, j int) bool { return compare(idx[i], idx[j]) < 0 })
	if aborted {
		return nil, in.ctx.Err()
	}
	out := make([]Value, 0, len(list))
	for n, i := range idx {
		if c.on("Unique") && n > 0 && compare(idx[n-1], i) == 0 {
			continue
		}
		out = append(out, list[i])
	}
	return out, nil
}

func runMeasure(in *interp, c *bcall) ([]Value, error) {
	var props []string
	for _, p := range enumerate(c.get("Property")) {
		if p != nil {
			props = append(props, toStr(p))
		}
	}
	if len(props) == 0 {
		props = []string{""}
	}
	var out []Value
	for _, prop := range props {
		var vals []Value
		for _, item := range items(c) {
			v := item
			if prop != "" {
				v = in.getMember(item, prop, 0)
			}
			if v != nil {
				vals = append(vals, v)
			}
		}
		var sum, minV, maxV float64
		numeric := 0
		for _, v := range vals {
			n, ok := toNumber(v)
			if !ok {
				if c.on("Sum") || c.on("Average") || c.on("Maximum") || c.on("Minimum") {
					if err := in.cmdletError(c, "InvalidType", "NonNumericInputObject",
						"Input object \"%s\" is not numeric.", toStr(v)); err != nil {
						return nil, err
					}
				}
				continue
			}
			f := toFloat(n)
			if numeric == 0 || f < minV {
				minV = f
			}
			if numeric == 0 || f > maxV {
				maxV = f
			}
			sum += f
			numeric++
		}
		pick := func(on bool, v float64) Value {
			if !on || (numeric == 0 && v == 0 && !c.on("Sum")) {
				return nil
			}
			return v
		}
		var avg float64
		if numeric > 0 {
			avg = sum / float64(numeric)
		}
		var propVal Value
		if prop != "" {
			propVal = prop
		}
		out = append(out, newObject("Microsoft.PowerShell.Commands.GenericMeasureInfo",
			Prop{"Count", int64(len(vals))}, Prop{"Average", pick(c.on("Average"), avg)},
			Prop{"Sum", pick(c.on("Sum"), sum)}, Prop{"Maximum", pick(c.on("Maximum"), maxV)},
			Prop{"Minimum", pick(c.on("Minimum"), minV)}, Prop{"Property", propVal}))
	}
	return out, nil
}
