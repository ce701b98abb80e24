package logpane

import (
	"strings"
	"unicode/utf8"

	"pcfailback/transcript"

	"github.com/charmbracelet/x/ansi"
)

const (
	// maxTextBytes caps the text the pane keeps of one line. A runaway result row or script can be megabytes on
	// one line; rendering and wrapping that on every frame is what froze other log viewers. The file keeps it all.
	maxTextBytes = 16 << 10
	// maxFieldBytes caps a source or step; the pane shows at most a few dozen cells of them.
	maxFieldBytes = 256
	// tabWidth is the tab stop used to expand tabs in texts (T-SQL scripts are often indented with tabs).
	tabWidth = 4
)

// entry is one physical line as the pane shows it. Source, Step and Text of line hold display forms: escaped
// (nothing in them can drive the terminal), tabs expanded, capped. They are computed once, when the line arrives,
// so that drawing a frame only lays out the visible lines.
type entry struct {
	line  transcript.Line
	ascii bool // Text is printable ASCII, so one byte is one cell and no grapheme segmentation is needed
	width int  // width of Text in cells
	note  bool // the pane's own note (lines skipped), not a line of the log
}

// newEntry builds the entry for one physical line of l.
func newEntry(l transcript.Line, text string) entry {
	l.Text = displayText(text)
	l.Source = displayField(l.Source)
	l.Step = displayField(l.Step)
	return entry{line: l, ascii: isASCII(l.Text), width: cells(l.Text)}
}

func displayText(s string) string {
	extra := 0
	if len(s) > maxTextBytes {
		cut := maxTextBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		extra = len(s) - cut
		s = s[:cut]
	}
	s = expandTabs(transcript.Escape(s))
	if extra > 0 {
		s += " … [+" + commas(int64(extra)) + " bytes in the log file]"
	}
	return s
}

func displayField(s string) string {
	if len(s) > maxFieldBytes {
		cut := maxFieldBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return strings.ReplaceAll(transcript.Escape(s), "\t", " ")
}

// expandTabs replaces tabs with spaces up to the next tab stop, counted in cells from the start of the text.
func expandTabs(s string) string {
	i := strings.IndexByte(s, '\t')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	col := 0
	for i >= 0 {
		b.WriteString(s[:i])
		col += cells(s[:i])
		n := tabWidth - col%tabWidth
		b.WriteString("    "[:n])
		col += n
		s = s[i+1:]
		i = strings.IndexByte(s, '\t')
	}
	b.WriteString(s)
	return b.String()
}

// isASCII reports whether s is printable ASCII (display texts hold no control characters).
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cells is the display width of a display string.
func cells(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return ansi.StringWidth(s)
}

// cluster returns the length in bytes and the width in cells of the first grapheme cluster of s, which must not
// be empty. ASCII followed by ASCII is always a cluster of its own, which keeps the common case cheap.
func cluster(s string) (n, w int) {
	if s[0] < utf8.RuneSelf && (len(s) == 1 || s[1] < utf8.RuneSelf) {
		return 1, 1
	}
	c, w := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
	if len(c) == 0 {
		return 1, 0
	}
	return len(c), w
}

// cutCells returns the longest prefix of s that is at most max cells wide, and its width.
func cutCells(s string, max int) (string, int) {
	if max <= 0 {
		return "", 0
	}
	if isASCII(s) {
		if len(s) <= max {
			return s, len(s)
		}
		return s[:max], max
	}
	used := 0
	for i := 0; i < len(s); {
		n, w := cluster(s[i:])
		if used+w > max {
			return s[:i], used
		}
		used += w
		i += n
	}
	return s, used
}

// sanitize makes any string safe to show (error texts come from the operating system and may hold a path).
func sanitize(s string) string { return transcript.Escape(s) }
