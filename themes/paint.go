package themes

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Paint is a style reduced to the escape sequences that switch it on and off. Panes that draw many short styled
// runs per frame (the log, the health panels) write runs with a Paint instead of calling Style.Render for each:
// Render measures, splits lines and, for underlined styles, styles every character separately, which costs most
// of a frame's budget at a few hundred runs.
type Paint struct{ on, off string }

// NewPaint extracts the escape sequences of a style by rendering a one-cell sentinel. Layout properties
// (padding, margins, borders, widths) are removed first; a style that would still add visible cells paints
// nothing rather than breaking the caller's width accounting.
func NewPaint(s lipgloss.Style) Paint {
	s = s.Inline(true).UnsetPadding().UnsetMargins().UnsetWidth().UnsetHeight().UnsetMaxWidth().
		UnsetMaxHeight().UnsetBorderStyle().UnsetBorderTop().UnsetBorderRight().UnsetBorderBottom().
		UnsetBorderLeft().UnsetTransform().UnsetHyperlink().UnsetString()
	const sentinel = "x"
	out := s.Render(sentinel)
	i := strings.Index(out, sentinel)
	if i < 0 {
		return Paint{}
	}
	p := Paint{on: out[:i], off: out[i+len(sentinel):]}
	if ansi.StringWidth(p.on) != 0 || ansi.StringWidth(p.off) != 0 {
		return Paint{}
	}
	return p
}

// Write appends s in this paint.
func (p Paint) Write(b *strings.Builder, s string) {
	if s == "" {
		return
	}
	if p.on == "" {
		b.WriteString(s)
		return
	}
	b.WriteString(p.on)
	b.WriteString(s)
	b.WriteString(p.off)
}

// Paints are the text roles of a theme as Paints, built once with the Styles.
type Paints struct {
	Text, Muted, Bold, Accent, Good, Warn, Bad, Info Paint
}

func newPaints(s Styles) Paints {
	return Paints{
		Text: NewPaint(s.Text), Muted: NewPaint(s.Muted), Bold: NewPaint(s.Bold), Accent: NewPaint(s.Accent),
		Good: NewPaint(s.Good), Warn: NewPaint(s.Warn), Bad: NewPaint(s.Bad), Info: NewPaint(s.Info),
	}
}
