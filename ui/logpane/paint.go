package logpane

import (
	"pcfailback/themes"
	"pcfailback/transcript"

	"github.com/charmbracelet/x/ansi"
)

// paints holds every paint the pane draws with, derived once from the theme.
type paints struct {
	time, source, step                          themes.Paint
	err, warn, info, progress, console, stmt    themes.Paint
	match, current, marker                      themes.Paint
	title, titleFocused, muted, bad, statusInfo themes.Paint
}

func newPaints(st themes.Styles) *paints {
	return &paints{
		time:         themes.NewPaint(st.LogTime),
		source:       themes.NewPaint(st.LogSource),
		step:         themes.NewPaint(st.LogStep),
		err:          themes.NewPaint(st.LogError),
		warn:         themes.NewPaint(st.LogWarn),
		info:         themes.NewPaint(st.LogInfo),
		progress:     themes.NewPaint(st.LogProgress),
		console:      themes.NewPaint(st.LogConsole),
		stmt:         themes.NewPaint(st.LogStatement),
		match:        themes.NewPaint(st.Match),
		current:      themes.NewPaint(st.CurrentMatch),
		marker:       themes.NewPaint(st.Accent),
		title:        themes.NewPaint(st.Title),
		titleFocused: themes.NewPaint(st.TitleFocused),
		muted:        themes.NewPaint(st.Muted),
		bad:          themes.NewPaint(st.Bad),
		statusInfo:   themes.NewPaint(st.Info),
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

func (p *paints) kind(k transcript.Kind) themes.Paint {
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
