package transcript

import "iter"

// TextLines yields the line's text one physical line at a time: the text is split at CR LF, LF and lone CR (the
// three line endings SQL Server, PowerShell and Windows tools produce), and line breaks at the very end are
// dropped, so "done\r\n" is one line and an empty text is one empty line. Both the log file and the log pane split
// with it, so a multi-line message occupies the same lines in both.
func (l Line) TextLines() iter.Seq[string] {
	return func(yield func(string) bool) {
		s := trimBreaks(l.Text)
		for {
			i := indexBreak(s)
			if i < 0 {
				yield(s)
				return
			}
			if !yield(s[:i]) {
				return
			}
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			s = s[i+1:]
		}
	}
}

// MultiLine reports whether the text has a line break other than at its end, that is whether TextLines yields
// more than one line. Callers use it to keep the common single-line case free of iteration.
func (l Line) MultiLine() bool {
	return indexBreak(trimBreaks(l.Text)) >= 0
}

func trimBreaks(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}

func indexBreak(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || s[i] == '\r' {
			return i
		}
	}
	return -1
}
