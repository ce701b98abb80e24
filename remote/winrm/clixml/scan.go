package clixml

import "bytes"

// tagKind says what scanElement found.
type tagKind int

const (
	// element is a complete element, start tag to matching end tag (or self-closing).
	element tagKind = iota
	// openTag is a start tag of the block's root (<Objs ...>), whose content comes element by element.
	openTag
	// closeTag is an end tag on its own (</Objs>).
	closeTag
	// other is a declaration, processing instruction or comment.
	other
)

// scanElement finds the end of the piece of XML at the start of b, which begins with '<'. It returns the length
// of the piece (0 when b does not hold all of it yet), the local name of its first tag and what it is. <Objs> is
// reported as an open tag on its own, since its content arrives over the whole life of the script.
func scanElement(b []byte) (int, string, tagKind) {
	depth := 0
	first := ""
	for i := 0; i < len(b); {
		if b[i] != '<' {
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				return 0, first, element
			}
			i += j
			continue
		}
		end, name, kind, selfClosing := scanTag(b[i:])
		if end == 0 {
			return 0, first, element
		}
		i += end
		if first == "" {
			first = name
			switch {
			case kind == other:
				return i, name, other
			case kind == closeTag:
				return i, name, closeTag
			case name == "Objs" && !selfClosing:
				return i, name, openTag
			}
		}
		switch {
		case kind == other || selfClosing:
		case kind == closeTag:
			depth--
		default:
			depth++
		}
		if depth <= 0 {
			return i, first, element
		}
	}
	return 0, first, element
}

// scanTag reads one tag at the start of b (b[0] == '<') and returns its length (0: incomplete), its local name,
// whether it is an end tag or something other than a start tag, and whether it closes itself.
func scanTag(b []byte) (end int, name string, kind tagKind, selfClosing bool) {
	if len(b) < 2 {
		return 0, "", element, false
	}
	switch b[1] {
	case '!':
		if bytes.HasPrefix(b, []byte("<!--")) {
			if j := bytes.Index(b[4:], []byte("-->")); j >= 0 {
				return 4 + j + 3, "", other, false
			}
			return 0, "", other, false
		}
		if j := bytes.IndexByte(b, '>'); j >= 0 {
			return j + 1, "", other, false
		}
		return 0, "", other, false
	case '?':
		if j := bytes.Index(b, []byte("?>")); j >= 0 {
			return j + 2, "", other, false
		}
		return 0, "", other, false
	case '/':
		j := bytes.IndexByte(b, '>')
		if j < 0 {
			return 0, "", closeTag, false
		}
		return j + 1, localName(b[2:j]), closeTag, false
	}
	var quote byte
	for i := 1; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1, localName(b[1:i]), element, b[i-1] == '/'
		}
	}
	return 0, "", element, false
}

// localName is the element name in a tag's text, without namespace prefix, attributes or a closing slash.
func localName(t []byte) string {
	t = bytes.TrimLeft(t, " \t\r\n")
	if j := bytes.IndexAny(t, " \t\r\n/>"); j >= 0 {
		t = t[:j]
	}
	if j := bytes.LastIndexByte(t, ':'); j >= 0 {
		t = t[j+1:]
	}
	return string(t)
}
