package config

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// positions maps the dotted path of every key, table and array element of a document to its line, so that
// semantic errors (which the TOML decoder knows nothing about) can cite a line too.
//
// Paths use "." between parts and quote any part that is not a bare key, so `"a.b" = 1` and `a.b = 1` do not
// collide; array elements are "path[i]". Keys of the schema are all bare, so lookups use plain dotted strings.
type positions struct {
	lines    map[string]int
	newlines []int // byte offsets of '\n', for offset → line by binary search
}

// indexPositions walks the document with go-toml's parser. It is called only after the decoder accepted the
// document, but it still stops quietly at a parse error: a missing line is only a less precise message.
func indexPositions(data []byte) *positions {
	p := &positions{lines: make(map[string]int)}
	for i, c := range data {
		if c == '\n' {
			p.newlines = append(p.newlines, i)
		}
	}
	var parser unstable.Parser
	parser.Reset(data)
	var table []string
	for parser.NextExpression() {
		expr := parser.Expression()
		switch expr.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = p.keyParts(expr.Key(), nil)
			p.recordChain(table, p.lineOfKey(expr.Key()))
		case unstable.KeyValue:
			p.keyValue(expr, table)
		}
	}
	return p
}

// keyValue records a key-value (possibly dotted, possibly an inline table or array) under the table prefix.
func (p *positions) keyValue(kv *unstable.Node, prefix []string) {
	line := p.lineOfKey(kv.Key())
	path := p.keyParts(kv.Key(), prefix)
	p.recordChain(path, line)
	p.value(kv.Value(), path, line)
}

// value records what sits inside inline tables and arrays.
func (p *positions) value(v *unstable.Node, path []string, fallback int) {
	if v == nil {
		return
	}
	switch v.Kind {
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			if n := it.Node(); n.Kind == unstable.KeyValue {
				p.keyValue(n, path)
			}
		}
	case unstable.Array:
		it := v.Children()
		i := 0
		for it.Next() {
			n := it.Node()
			if n.Kind == unstable.Comment {
				continue
			}
			elem := joinPath(path) + "[" + strconv.Itoa(i) + "]"
			line := p.lineOfNode(n, fallback)
			p.record(elem, line)
			p.value(n, []string{elem}, line)
			i++
		}
	}
}

// keyParts appends the parts of a key to a copy of prefix, quoting parts that are not bare keys.
func (p *positions) keyParts(it unstable.Iterator, prefix []string) []string {
	out := append([]string(nil), prefix...)
	for it.Next() {
		out = append(out, quoteKeyPart(string(it.Node().Data)))
	}
	return out
}

// lineOfKey returns the line of the first part of a key.
func (p *positions) lineOfKey(it unstable.Iterator) int {
	if it.Next() {
		return p.lineOfNode(it.Node(), 0)
	}
	return 0
}

// lineOfNode returns the line of a node, or fallback for nodes that carry no range (arrays).
func (p *positions) lineOfNode(n *unstable.Node, fallback int) int {
	if n.Raw.Length == 0 {
		return fallback
	}
	return p.lineAt(int(n.Raw.Offset))
}

// lineAt turns a byte offset into a 1-based line.
func (p *positions) lineAt(offset int) int {
	return sort.SearchInts(p.newlines, offset) + 1
}

// recordChain records every prefix of path (implicitly defined tables) and path itself, keeping first sightings.
func (p *positions) recordChain(path []string, line int) {
	for i := 1; i <= len(path); i++ {
		p.record(joinPath(path[:i]), line)
	}
}

// record keeps the first line a path was seen on: that is where the operator defined it.
func (p *positions) record(path string, line int) {
	if line <= 0 {
		return
	}
	if _, ok := p.lines[path]; !ok {
		p.lines[path] = line
	}
}

// line returns the line of path, or of its nearest recorded parent, or 0.
func (p *positions) line(path string) int {
	if p == nil {
		return 0
	}
	for path != "" {
		if l, ok := p.lines[path]; ok {
			return l
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			return 0
		}
		path = path[:cut]
	}
	return 0
}

// exact returns the line of path itself, or 0 when the key is not in the file.
func (p *positions) exact(path string) int {
	if p == nil {
		return 0
	}
	return p.lines[path]
}

// joinPath joins already-quoted parts.
func joinPath(parts []string) string { return strings.Join(parts, ".") }

// quoteKeyPart leaves bare keys as they are and quotes the rest the way TOML would. Very long parts are cut so a
// pathological key cannot flood a message; the cut part is always quoted, so it cannot pass for a real key.
func quoteKeyPart(s string) string {
	const limit = 64
	if s == "" {
		return `""`
	}
	if len(s) > limit {
		if r := []rune(s); len(r) > limit {
			return strconv.Quote(string(r[:limit]) + "…")
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return strconv.Quote(s)
		}
	}
	return s
}
