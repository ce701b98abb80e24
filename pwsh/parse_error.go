package pwsh

import (
	"fmt"
	"strings"
)

// ParseError is a syntax error. Run prints it the way powershell.exe prints a ParseException and runs nothing.
type ParseError struct {
	// Line and Column are 1-based, counted in characters.
	Line, Column int
	// ID is PowerShell's error identifier, e.g. "MissingEndCurlyBrace".
	ID string
	// Message is PowerShell's message text, e.g. "Missing closing '}' in statement block or type definition."
	Message string

	position []string
}

// Error implements error.
func (e *ParseError) Error() string {
	return fmt.Sprintf("At line:%d char:%d: %s", e.Line, e.Column, e.Message)
}

// lines renders the error record powershell.exe writes to stderr for a parse error.
func (e *ParseError) lines() []string {
	out := append([]string{}, e.position...)
	out = append(out, splitLines(e.Message)...)
	out = append(out,
		"    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException",
		"    + FullyQualifiedErrorId : "+e.ID)
	return out
}

// positionLines renders "At line:N char:M", the source line and the squiggle under ex, truncated to fit an
// 80-column console the way PowerShell 5 does it.
func positionLines(src []rune, ex extent) []string {
	start := clamp(ex.start, 0, len(src))
	end := clamp(ex.end, start, len(src))
	line, col, lineStart := lineCol(src, start)
	lineEnd := lineStart
	for lineEnd < len(src) && !isNewline(src[lineEnd]) {
		lineEnd++
	}
	head := fmt.Sprintf("At line:%d char:%d", line, col)
	source := strings.TrimRightFunc(string(src[lineStart:lineEnd]), isTrimSpace)
	if source == "" {
		return []string{head}
	}
	text := []rune(source)
	before := col - 1
	var length int
	if end <= lineEnd {
		length = end - start
	} else {
		length = len(text) - before
	}
	before = clamp(before, 0, len(text))
	length = clamp(length, 0, len(text)-before)
	if strings.ContainsRune(source, '\t') {
		b := []rune(strings.ReplaceAll(string(text[:before]), "\t", "    "))
		m := []rune(strings.ReplaceAll(string(text[before:before+length]), "\t", "    "))
		a := []rune(strings.ReplaceAll(string(text[before+length:]), "\t", "    "))
		text = append(append(b, m...), a...)
		before, length = len(b), len(m)
	}
	const maxLen = 69
	prefixDots, suffixDots := false, false
	if len(text) > maxLen {
		totalPrefix := before
		prefix := min(totalPrefix, 12)
		totalSuffix := len(text) - length - before
		suffix := min(totalSuffix, 8)
		candidate := prefix + length + suffix
		if candidate >= maxLen {
			if prefix+length >= maxLen {
				length = maxLen - prefix
			}
			suffixDots = true
		} else {
			if avail := totalPrefix - prefix; avail > 0 {
				prefix += min(avail, maxLen-candidate)
				candidate = prefix + length + suffix
			}
			if candidate < maxLen && totalSuffix > 0 {
				suffix += min(totalSuffix, maxLen-candidate)
			}
			suffixDots = suffix < totalSuffix
		}
		prefixDots = prefix < totalPrefix
		from := clamp(before-prefix, 0, len(text))
		to := clamp(from+maxLen, from, len(text))
		text = text[from:to]
		before = min(before, prefix)
		length = min(length, maxLen-before)
	}
	var sb strings.Builder
	sb.WriteString("+ ")
	if prefixDots {
		sb.WriteString("... ")
	}
	sb.WriteString(string(text))
	if suffixDots {
		sb.WriteString(" ...")
	}
	pad := before
	if prefixDots {
		pad += 4
	}
	squiggle := "+ " + strings.Repeat(" ", max(pad, 0)) + strings.Repeat("~", max(length, 1))
	return []string{head, sb.String(), squiggle}
}

// lineCol returns the 1-based line and column of offset and the offset where its line starts. "\r\n", "\r" and
// "\n" all end a line.
func lineCol(src []rune, offset int) (line, col, lineStart int) {
	line = 1
	for i := 0; i < offset && i < len(src); i++ {
		switch src[i] {
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				continue
			}
			line++
			lineStart = i + 1
		case '\n':
			line++
			lineStart = i + 1
		}
	}
	return line, offset - lineStart + 1, lineStart
}

func isTrimSpace(c rune) bool { return isSpace(c) || isNewline(c) }

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// splitLines splits text into console lines: "\r\n", "\n" and a lone "\r" all end a line.
func splitLines(text string) []string {
	if !strings.ContainsAny(text, "\r\n") {
		return []string{text}
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.Split(text, "\n")
}
