package logpane

import (
	"strings"

	"pcfailback/themes"
	"pcfailback/transcript"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// paint is a theme style reduced to the escape sequences that switch it on and off. The pane writes styled runs
// itself instead of calling Style.Render for each one: Render measures, splits lines and, for underlined styles,
// styles every character separately, which would cost most of a frame's budget at 60 rows of several runs each.
type paint struct{ on, off string }

// newPaint extracts the escape sequences of a style by rendering a one-cell sentinel. Layout properties
// (padding, margins, borders, widths) are removed first; a style that still adds visible cells is not used at all
// rather than breaking the pane's width accounting.
func newPaint(s lipgloss.Style) paint {
	s = s.Inline(true).UnsetPadding().UnsetMargins().UnsetWidth().UnsetHeight().UnsetMaxWidth().
		UnsetMaxHeight().UnsetBorderStyle().UnsetBorderTop().UnsetBorderRight().UnsetBorderBottom().
		UnsetBorderLeft().UnsetTransform().UnsetHyperlink().UnsetString()
	const sentinel = "x"
	out := s.Render(sentinel)
	i := strings.Index(out, sentinel)
	if i < 0 {
		return paint{}
	}
	p := paint{on: out[:i], off: out[i+len(sentinel):]}
	if ansi.StringWidth(p.on) != 0 || ansi.StringWidth(p.off) != 0 {
		return paint{}
	}
	return p
}

// write appends s in this paint.
func (p paint) write(b *strings.Builder, s string) {
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

// paints holds every paint the pane draws with, derived once from the theme.
type paints struct {
	time, source, step                          paint
	err, warn, info, progress, console, stmt    paint
	match, current, marker                      paint
	title, titleFocused, muted, bad, statusInfo paint
}

func newPaints(st themes.Styles) *paints {
	return &paints{
		time:         newPaint(st.LogTime),
		source:       newPaint(st.LogSource),
		step:         newPaint(st.LogStep),
		err:          newPaint(st.LogError),
		warn:         newPaint(st.LogWarn),
		info:         newPaint(st.LogInfo),
		progress:     newPaint(st.LogProgress),
		console:      newPaint(st.LogConsole),
		stmt:         newPaint(st.LogStatement),
		match:        newPaint(st.Match),
		current:      newPaint(st.CurrentMatch),
		marker:       newPaint(st.Accent),
		title:        newPaint(st.Title),
		titleFocused: newPaint(st.TitleFocused),
		muted:        newPaint(st.Muted),
		bad:          newPaint(st.Bad),
		statusInfo:   newPaint(st.Info),
	}
}

// kindTag is the glyph and word that mark a kind without colour ("" for ordinary output and information), and
// its width in cells.
func kindTag(k transcript.Kind) (string, int) {
	switch k {
	case transcript.Error:
		return tagError, tagErrorCells
	case transcript.Warning:
		return tagWarn, tagWarnCells
	case transcript.Progress:
		return tagProgress, tagProgressCells
	case transcript.Console:
		return tagConsole, tagConsoleCells
	case transcript.Statement:
		return tagStatement, tagStatementCells
	}
	return "", 0
}

// The tags and the current-match marker, with their widths measured once the way every other text is.
const (
	tagError     = "✗ ERROR"
	tagWarn      = "! WARN"
	tagProgress  = "»"
	tagConsole   = "●"
	tagStatement = ">"
	matchMarker  = "▸"
)

var (
	tagErrorCells     = ansi.StringWidth(tagError)
	tagWarnCells      = ansi.StringWidth(tagWarn)
	tagProgressCells  = ansi.StringWidth(tagProgress)
	tagConsoleCells   = ansi.StringWidth(tagConsole)
	tagStatementCells = ansi.StringWidth(tagStatement)
	markerCells       = ansi.StringWidth(matchMarker)
)

// numberLabel shows a SQL Server message number the way operators know it: "Msg 3201" for errors, as SSMS and
// sqlcmd print them, and "[3211]" for informational messages.
func numberLabel(k transcript.Kind, n int32) string {
	if n == 0 {
		return ""
	}
	if k == transcript.Error {
		return "Msg " + itoa(n)
	}
	return "[" + itoa(n) + "]"
}

func (p *paints) kind(k transcript.Kind) paint {
	switch k {
	case transcript.Error:
		return p.err
	case transcript.Warning:
		return p.warn
	case transcript.Progress:
		return p.progress
	case transcript.Console:
		return p.console
	case transcript.Statement:
		return p.stmt
	}
	return p.info
}
