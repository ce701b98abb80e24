package pwsh

import (
	"math"
	"strings"
	"time"
)

// Formatting and output commands, Get-Date, Start-Sleep and New-Object.

func outputCommands() []*builtin {
	input := named("InputObject", "System.Management.Automation.PSObject")
	return []*builtin{
		{name: "Format-Table", class: "FormatTableCommand",
			params: []paramSpec{positional("Property", "System.Object[]", 0, false), switchParam("AutoSize"),
				switchParam("HideTableHeaders"), switchParam("Wrap"), switchParam("Force"), named("GroupBy", "System.Object"), input},
			run: runFormatTable},
		{name: "Format-List", class: "FormatListCommand",
			params: []paramSpec{positional("Property", "System.Object[]", 0, false), switchParam("Force"),
				named("GroupBy", "System.Object"), input},
			run: runFormatList},
		{name: "Out-String", class: "OutStringCommand",
			params: []paramSpec{switchParam("Stream"), named("Width", "System.Int32"), input},
			run: func(in *interp, c *bcall) ([]Value, error) {
				lines, ok := formatLines(items(c), in.lim.stringLen)
				if !ok {
					return nil, in.tooLarge(c.inv.ex)
				}
				if c.on("Stream") {
					out := make([]Value, len(lines))
					for i, l := range lines {
						out[i] = l
					}
					return out, nil
				}
				if len(lines) == 0 {
					return nil, nil
				}
				return []Value{strings.Join(lines, "\r\n") + "\r\n"}, nil
			}},
		{name: "Out-Null", class: "OutNullCommand", params: []paramSpec{input},
			run: func(*interp, *bcall) ([]Value, error) { return nil, nil }},
		{name: "Out-Default", class: "OutDefaultCommand", params: []paramSpec{input}, run: runOutHost},
		{name: "Out-Host", class: "OutHostCommand", params: []paramSpec{switchParam("Paging"), input}, run: runOutHost},
		{name: "ConvertTo-Json", class: "ConvertToJsonCommand",
			params: []paramSpec{positional("InputObject", "System.Object", 0, false), named("Depth", "System.Int32"),
				switchParam("Compress")},
			run: runConvertToJSON},
		{name: "Get-Date", class: "GetDateCommand",
			params: []paramSpec{positional("Date", "System.DateTime", 0, false, "LastWriteTime"),
				named("Format", "System.String"), named("UFormat", "System.String"), named("Year", "System.Int32"),
				named("Month", "System.Int32"), named("Day", "System.Int32"), named("Hour", "System.Int32"),
				named("Minute", "System.Int32"), named("Second", "System.Int32"), named("Millisecond", "System.Int32"),
				named("DisplayHint", "Microsoft.PowerShell.Commands.DisplayHintType")},
			run: runGetDate},
		{name: "Start-Sleep", class: "StartSleepCommand",
			params: []paramSpec{positional("Seconds", "System.Int32", 0, false, "s"),
				named("Milliseconds", "System.Int32", "ms")},
			run: runStartSleep},
		{name: "New-Object", class: "NewObjectCommand",
			params: []paramSpec{positional("TypeName", "System.String", 0, false),
				positional("ArgumentList", "System.Object[]", 1, false, "Args"), named("ComObject", "System.String"),
				named("Property", "System.Collections.IDictionary"), switchParam("Strict")},
			run: runNewObject},
	}
}

func runOutHost(in *interp, c *bcall) ([]Value, error) {
	for _, v := range items(c) {
		in.con.put(v)
	}
	in.con.flush()
	return nil, nil
}

// tableRows projects the input into rows for Format-Table / Format-List; hashtables become Name/Value entries.
func (in *interp) formatRows(c *bcall) ([]Value, error) {
	specs, err := in.propSpecs(c, c.get("Property"), false)
	if err != nil {
		return nil, err
	}
	var out []Value
	for _, item := range items(c) {
		if err := in.tick(); err != nil {
			return nil, err
		}
		switch v := item.(type) {
		case *Hashtable:
			for i, k := range v.Keys {
				if i < len(v.Values) {
					out = append(out, newObject("System.Collections.DictionaryEntry", Prop{"Name", k}, Prop{"Value", v.Values[i]}))
				}
			}
			continue
		case *Object:
			if len(specs) == 0 {
				out = append(out, v)
				continue
			}
		default:
			if len(specs) == 0 {
				out = append(out, item)
				continue
			}
		}
		o, err := in.project(item, specs, nil, typeName(item))
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func runFormatTable(in *interp, c *bcall) ([]Value, error) {
	rows, err := in.formatRows(c)
	if err != nil {
		return nil, err
	}
	var lines []string
	var cols []string
	var cells [][]string
	var right []bool
	flush := func() {
		if cols == nil {
			return
		}
		t := newTableLayout(cols, cells, right)
		lines = append(lines, "")
		if !c.on("HideTableHeaders") {
			lines = append(lines, t.header()...)
		}
		for _, r := range cells {
			lines = append(lines, t.row(r))
		}
		lines = append(lines, "")
		cols, cells, right = nil, nil, nil
	}
	for _, r := range rows {
		o, ok := r.(*Object)
		if !ok {
			flush()
			lines = append(lines, scalarLines(r)...)
			continue
		}
		names := propNames(o)
		if cols != nil && strings.Join(names, "\x00") != strings.Join(cols, "\x00") {
			flush()
		}
		if cols == nil {
			cols = names
			right = make([]bool, len(names))
			for i, p := range o.Props {
				right[i] = isNumeric(p.Value)
			}
		}
		for i, p := range o.Props {
			if i < len(right) {
				right[i] = right[i] && (isNumeric(p.Value) || p.Value == nil)
			}
		}
		cells = append(cells, cellRow(o))
	}
	flush()
	if len(lines) == 0 {
		return nil, nil
	}
	return []Value{&fmtText{lines: lines}}, nil
}

func runFormatList(in *interp, c *bcall) ([]Value, error) {
	rows, err := in.formatRows(c)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, r := range rows {
		if o, ok := r.(*Object); ok {
			lines = append(lines, "")
			lines = append(lines, listLines(o)...)
			continue
		}
		lines = append(lines, scalarLines(r)...)
	}
	if len(lines) == 0 {
		return nil, nil
	}
	lines = append(lines, "")
	return []Value{&fmtText{lines: lines}}, nil
}

func runConvertToJSON(in *interp, c *bcall) ([]Value, error) {
	depth := int64(2)
	if c.has("Depth") {
		d, ok := toInt(c.get("Depth"))
		if !ok || d < 1 {
			return nil, in.bindError(c.inv, c.inv.ex, "ParameterArgumentValidationError", "Cannot validate argument "+
				"on parameter 'Depth'. The %s argument is less than the minimum allowed range of 1. Supply an argument "+
				"that is greater than or equal to 1 and then try the command again.", toStr(c.get("Depth")))
		}
		if d > 100 {
			return nil, in.terminatingError(c, "InvalidOperation", "InvalidOperationException",
				"ReachedMaximumDepthAllowed", "The maximum depth allowed for serialization is 100.")
		}
		depth = d
	}
	var list []Value
	if c.has("InputObject") {
		list = []Value{c.get("InputObject")}
	} else {
		for _, v := range c.input {
			if v != nil {
				list = append(list, v)
			}
		}
	}
	if len(list) == 0 {
		return nil, nil
	}
	var v Value = list
	if len(list) == 1 {
		v = list[0]
	}
	text := jsonText(v, int(depth), c.on("Compress"))
	if len(text) > in.lim.stringLen {
		return nil, in.tooLarge(c.inv.ex)
	}
	return []Value{text}, nil
}

func runGetDate(in *interp, c *bcall) ([]Value, error) {
	t := in.host.Now()
	if c.has("Date") {
		d, ok := asTimeIn(c.get("Date"), t.Location())
		if !ok {
			return nil, in.bindError(c.inv, c.inv.ex, "CannotConvertArgumentNoMessage", "Cannot bind parameter 'Date'. "+
				"Cannot convert value \"%s\" to type \"System.DateTime\". Error: \"String was not recognized as a "+
				"valid DateTime.\"", toStr(c.get("Date")))
		}
		t = d
	}
	set := func(name string, apply func(n int) time.Time) error {
		if !c.has(name) {
			return nil
		}
		n, ok := toInt(c.get(name))
		if !ok || n < 0 || n > 9999 {
			return in.bindError(c.inv, c.inv.ex, "ParameterArgumentValidationError",
				"Cannot validate argument on parameter '%s'.", name)
		}
		t = apply(int(n))
		return nil
	}
	y, mo, d := t.Date()
	for _, f := range []struct {
		name  string
		apply func(n int) time.Time
	}{
		{"Year", func(n int) time.Time {
			return time.Date(n, mo, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
		}},
		{"Month", func(n int) time.Time {
			return time.Date(y, time.Month(n), d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
		}},
		{"Day", func(n int) time.Time {
			return time.Date(y, mo, n, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
		}},
		{"Hour", func(n int) time.Time {
			return time.Date(y, mo, d, n, t.Minute(), t.Second(), t.Nanosecond(), t.Location())
		}},
		{"Minute", func(n int) time.Time {
			return time.Date(y, mo, d, t.Hour(), n, t.Second(), t.Nanosecond(), t.Location())
		}},
		{"Second", func(n int) time.Time {
			return time.Date(y, mo, d, t.Hour(), t.Minute(), n, t.Nanosecond(), t.Location())
		}},
	} {
		if err := set(f.name, f.apply); err != nil {
			return nil, err
		}
		y, mo, d = t.Date()
	}
	switch {
	case c.has("Format"):
		return []Value{formatDate(t, toStr(c.get("Format")))}, nil
	case c.has("UFormat"):
		return []Value{uformat(t, toStr(c.get("UFormat")))}, nil
	}
	return []Value{t}, nil
}

// uformat is Get-Date -UFormat's Unix-style %Y %m %d %H %M %S subset.
func uformat(t time.Time, f string) string {
	repl := map[byte]string{'Y': "yyyy", 'y': "yy", 'm': "MM", 'd': "dd", 'e': "%d", 'H': "HH", 'I': "hh", 'M': "mm",
		'S': "ss", 'p': "tt", 'A': "dddd", 'a': "ddd", 'B': "MMMM", 'b': "MMM", 'h': "MMM", 'Z': "zz", 'z': "zz",
		'D': "MM/dd/yy", 'T': "HH:mm:ss", 'R': "HH:mm", 'F': "yyyy-MM-dd", 'c': "ddd MMM dd HH:mm:ss yyyy"}
	var sb strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] == '%' && i+1 < len(f) {
			if r, ok := repl[f[i+1]]; ok {
				sb.WriteString(formatDate(t, r))
				i++
				continue
			}
		}
		sb.WriteByte(f[i])
	}
	return sb.String()
}

func runStartSleep(in *interp, c *bcall) ([]Value, error) {
	var d time.Duration
	read := func(name string, unit time.Duration) error {
		if !c.has(name) {
			return nil
		}
		n, ok := toNumber(c.get(name))
		f := toFloat(n)
		if !ok || math.IsNaN(f) || f < 0 || f > 1e9 {
			return in.bindError(c.inv, c.inv.ex, "CannotConvertArgumentNoMessage", "Cannot bind parameter '%s'. "+
				"Cannot convert value \"%s\" to type \"System.Int32\".", name, toStr(c.get(name)))
		}
		d += time.Duration(math.RoundToEven(f)) * unit
		return nil
	}
	if err := read("Seconds", time.Second); err != nil {
		return nil, err
	}
	if err := read("Milliseconds", time.Millisecond); err != nil {
		return nil, err
	}
	in.con.flush()
	if err := in.host.Sleep(in.ctx, d); err != nil {
		if cerr := in.ctx.Err(); cerr != nil {
			return nil, cerr
		}
		return nil, in.terminatingError(c, "NotSpecified", "Exception", "SleepFailed", "%s", err.Error())
	}
	return nil, nil
}

// runNewObject creates the objects a script builds itself (PSObject with -Property, hashtables); everything
// else (COM objects such as Scripting.FileSystemObject) is the Host's.
func runNewObject(in *interp, c *bcall) ([]Value, error) {
	if !c.has("ComObject") {
		name := strings.ToLower(strings.TrimPrefix(strings.ToLower(toStr(c.get("TypeName"))), "system."))
		switch name {
		case "psobject", "pscustomobject", "management.automation.psobject", "management.automation.pscustomobject", "object":
			o := newObject("")
			if h, ok := c.get("Property").(*Hashtable); ok {
				for i, k := range h.Keys {
					if i < len(h.Values) {
						o.Props = append(o.Props, Prop{Name: k, Value: h.Values[i]})
					}
				}
			}
			return []Value{o}, nil
		case "collections.hashtable", "hashtable":
			return []Value{&Hashtable{}}, nil
		}
	}
	return in.invokeHost(c.inv)
}
