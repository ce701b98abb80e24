package pwsh

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ConvertTo-Json as Windows PowerShell 3-5 writes it: JavaScriptSerializer's escaping (which also escapes
// < > ' &), enums as numbers, dates as "\/Date(ms)\/", values deeper than -Depth as their string form, and the
// 5.x indentation (four spaces, two after the colon, nested values aligned after their key).

// jnode is a value ready to serialise.
type jnode struct {
	raw   string // scalars, already encoded
	obj   bool
	arr   bool
	keys  []string
	items []*jnode
}

// jsonBuilder prepares values for serialisation. budget counts the characters of encoded scalars: a JSON text
// is bounded by maxText, so once the budget is spent the tree stops growing and the caller reports the value
// as too large.
type jsonBuilder struct {
	maxDepth int
	budget   int
}

// node prepares a value; depth counts containers from the top (0).
func (b *jsonBuilder) node(v Value, depth int) *jnode {
	if b.budget < 0 {
		return &jnode{raw: "null"}
	}
	n := b.build(v, depth)
	b.budget -= len(n.raw) + 1
	return n
}

func (b *jsonBuilder) build(v Value, depth int) *jnode {
	switch v := v.(type) {
	case nil:
		return &jnode{raw: "null"}
	case string:
		return &jnode{raw: jsonString(v)}
	case bool:
		if v {
			return &jnode{raw: "true"}
		}
		return &jnode{raw: "false"}
	case int64:
		return &jnode{raw: strconv.FormatInt(v, 10)}
	case float64:
		return &jnode{raw: formatRoundTrip(v)}
	case Enum:
		return &jnode{raw: strconv.FormatInt(v.Value, 10)}
	case time.Time:
		return &jnode{raw: fmt.Sprintf(`"\/Date(%d)\/"`, v.UnixMilli())}
	}
	if depth > b.maxDepth {
		return &jnode{raw: jsonString(toStr(v))}
	}
	switch v := v.(type) {
	case []Value:
		n := &jnode{arr: true}
		for _, e := range v {
			n.items = append(n.items, b.node(e, depth+1))
		}
		return n
	case *Hashtable:
		n := &jnode{obj: true}
		for i, k := range v.Keys {
			if i < len(v.Values) {
				n.keys = append(n.keys, k)
				n.items = append(n.items, b.node(v.Values[i], depth+1))
			}
		}
		return n
	case *Object:
		n := &jnode{obj: true}
		for _, p := range v.Props {
			n.keys = append(n.keys, p.Name)
			n.items = append(n.items, b.node(p.Value, depth+1))
		}
		return n
	case *errorValue:
		return b.build(v.rec.object(), depth)
	}
	return &jnode{raw: jsonString(toStr(v))}
}

// jsonString quotes s the way JavaScriptSerializer does.
func jsonString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		case '<', '>', '\'', '&':
			fmt.Fprintf(&sb, `\u%04x`, c)
		default:
			if c < 0x20 {
				fmt.Fprintf(&sb, `\u%04x`, c)
			} else {
				sb.WriteRune(c)
			}
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

func writeCompact(sb *strings.Builder, n *jnode) {
	if sb.Len() > maxText {
		return
	}
	switch {
	case n.obj:
		sb.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(jsonString(k))
			sb.WriteByte(':')
			writeCompact(sb, n.items[i])
		}
		sb.WriteByte('}')
	case n.arr:
		sb.WriteByte('[')
		for i, it := range n.items {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeCompact(sb, it)
		}
		sb.WriteByte(']')
	default:
		sb.WriteString(n.raw)
	}
}

// writePretty writes n whose opening bracket sits after pad plus extra spaces.
func writePretty(sb *strings.Builder, n *jnode, pad string, extra int) {
	if sb.Len() > maxText {
		return
	}
	if !n.obj && !n.arr {
		sb.WriteString(n.raw)
		return
	}
	open, closing := "[", "]"
	if n.obj {
		open, closing = "{", "}"
	}
	inner := pad + strings.Repeat(" ", extra) + "    "
	sb.WriteString(open + "\r\n")
	for i, it := range n.items {
		if i > 0 {
			sb.WriteString(",\r\n")
		}
		sb.WriteString(inner)
		if n.obj {
			key := jsonString(n.keys[i]) + ":  "
			sb.WriteString(key)
			writePretty(sb, it, inner, len([]rune(key)))
		} else {
			writePretty(sb, it, inner, 0)
		}
	}
	sb.WriteString("\r\n" + pad + strings.Repeat(" ", extra) + closing)
}

// jsonText serialises v, pretty unless compress. The result may be cut short past maxText; callers check its
// length against their limit.
func jsonText(v Value, maxDepth int, compress bool) string {
	b := &jsonBuilder{maxDepth: maxDepth, budget: maxText}
	n := b.node(v, 0)
	var sb strings.Builder
	if compress {
		writeCompact(&sb, n)
	} else {
		writePretty(&sb, n, "", 0)
	}
	return sb.String()
}
