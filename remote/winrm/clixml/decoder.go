package clixml

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// MaxElement bounds how much of one unfinished element the Decoder holds; beyond it the bytes are given out as
// text, so a stream that never closes its element cannot grow memory without limit.
const MaxElement = 1 << 20

// Decoder turns what powershell.exe writes to stderr into text lines, as the bytes arrive: plain lines pass
// through, a "#< CLIXML" block is decoded element by element (so a warning reaches the log while the script is
// still running, long before </Objs>), progress records are dropped, and warning, verbose and debug records get
// the console's "WARNING: ", "VERBOSE: " and "DEBUG: " prefixes back. Lines are valid UTF-8, without line ends.
// A Decoder is not safe for concurrent use.
type Decoder struct {
	emit func(string)
	buf  []byte
	xml  bool // after a header line, until </Objs>
	// ended is set by </Objs>: the line break that may follow it ends the block, not an empty line of text.
	ended bool
}

// NewDecoder returns a Decoder that calls emit once per line.
func NewDecoder(emit func(line string)) *Decoder {
	if emit == nil {
		emit = func(string) {}
	}
	return &Decoder{emit: emit}
}

// Write consumes p and emits every line it completes. It never fails.
func (d *Decoder) Write(p []byte) (int, error) {
	d.buf = append(d.buf, p...)
	d.drain()
	return len(p), nil
}

// Flush emits what is left: an unterminated plain line, or an unfinished CLIXML element as its raw text so that
// nothing the server said is lost.
func (d *Decoder) Flush() {
	d.drain()
	if len(bytes.TrimSpace(d.buf)) > 0 {
		d.text(d.buf)
	}
	d.buf = d.buf[:0]
	d.xml, d.ended = false, false
}

// drain handles as much of the buffer as is complete.
func (d *Decoder) drain() {
	for len(d.buf) > 0 {
		var n int
		wasXML := d.xml
		if d.xml {
			n = d.element()
		} else {
			n = d.plainLine()
		}
		if n == 0 && d.xml != wasXML {
			continue // the block ended without </Objs>: read what follows as plain text now, not at the next Write
		}
		if n == 0 {
			if len(d.buf) > MaxElement {
				d.text(d.buf)
				d.buf = d.buf[:0]
				d.xml = false
			}
			break
		}
		d.buf = d.buf[n:]
	}
	if len(d.buf) == 0 {
		d.buf = nil // let a large buffer go once it is empty
	}
}

// plainLine handles one complete line outside CLIXML and returns how many bytes it used (0: incomplete).
func (d *Decoder) plainLine() int {
	// A header can be followed directly by <Objs without a line break in between.
	if bytes.HasPrefix(d.buf, []byte(Header+"<Objs")) {
		d.xml, d.ended = true, false
		return len(Header)
	}
	i := bytes.IndexByte(d.buf, '\n')
	if i < 0 {
		return 0
	}
	line := bytes.TrimSuffix(d.buf[:i], []byte("\r"))
	ended := d.ended
	d.ended = false
	switch {
	case ended && len(line) == 0:
	case string(bytes.TrimSpace(line)) == Header:
		d.xml = true
	default:
		d.emit(clean(string(line)))
	}
	return i + 1
}

// element handles one complete piece of a CLIXML block and returns how many bytes it used (0: incomplete).
func (d *Decoder) element() int {
	b := d.buf
	ws := len(b) - len(bytes.TrimLeft(b, " \t\r\n"))
	if ws == len(b) {
		return ws
	}
	if b[ws] != '<' {
		// Something that is not XML: the block ended without </Objs>; read the rest as plain lines.
		d.xml = false
		return ws
	}
	end, name, kind := scanElement(b[ws:])
	switch {
	case end == 0:
		return 0
	case kind == closeTag && name == "Objs":
		d.xml, d.ended = false, true
	case kind == openTag || kind == closeTag || kind == other:
		// <Objs ...>, <?xml ...?>, a stray end tag: nothing to say.
	default:
		d.record(b[ws : ws+end])
	}
	return ws + end
}

// node is any element, for decoding one record.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []node     `xml:",any"`
}

// attr returns the value of the attribute named name (any namespace).
func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// record decodes one whole element: <S S="...">text</S> or <Obj S="...">...</Obj>.
func (d *Decoder) record(raw []byte) {
	var n node
	if err := xml.Unmarshal(raw, &n); err != nil {
		d.text(raw)
		return
	}
	stream := n.attr("S")
	switch n.XMLName.Local {
	case "S":
		d.lines(stream, n.Text)
	case "Obj":
		if strings.EqualFold(stream, "progress") || stream == "" {
			return
		}
		// A whole record object (an ErrorRecord, say): its ToString is the text a console would print.
		for i := range n.Children {
			if n.Children[i].XMLName.Local == "ToString" {
				d.lines(stream, n.Children[i].Text)
				return
			}
		}
	}
}

// lines emits the text of one record line (which may hold several lines) with its stream's console prefix.
func (d *Decoder) lines(stream, escaped string) {
	text := Unescape(escaped)
	text = strings.TrimSuffix(text, "\n")
	text = strings.TrimSuffix(text, "\r")
	prefix := ""
	for _, p := range prefixes {
		if strings.EqualFold(stream, string(p.stream)) {
			prefix = p.prefix
		}
	}
	for i, l := range strings.Split(text, "\n") {
		l = strings.TrimSuffix(l, "\r")
		if i == 0 {
			l = prefix + l
		}
		d.emit(clean(l))
	}
}

// text emits raw bytes as plain lines.
func (d *Decoder) text(raw []byte) {
	s := strings.TrimRight(string(raw), "\r\n")
	for _, l := range strings.Split(s, "\n") {
		d.emit(clean(strings.TrimSuffix(l, "\r")))
	}
}

// clean makes a line valid UTF-8.
func clean(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
