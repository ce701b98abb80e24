package mssql

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxRepeat bounds the count of a "GO n" line.
const MaxRepeat = 1000

// Batch is one batch of a script: the text between two GO lines, sent Count times (GO n).
type Batch struct {
	// Text is the batch exactly as it appears in the script (the GO lines themselves excluded).
	Text string
	// Count is how many times it runs: 1, or n for "GO n".
	Count int
	// Line is the script line the batch starts on (1-based), to place a server's batch-relative line numbers.
	Line int
}

// Split cuts a script at its GO lines, as sqlcmd and SSMS do: a line that holds only GO (any case), optionally
// followed by a repeat count and a -- comment, outside any string, quoted identifier, bracketed identifier or
// comment. A script without such a line is one batch, byte for byte as given. Batches that are only white space are
// dropped. The text of every batch is an exact slice of the script: nothing is rewritten (go-mssqldb's batch.Split
// drops backslash-newline pairs, and at the wrong offsets after the first batch).
func Split(script string) ([]Batch, error) {
	var out []Batch
	found := false
	start, startLine := 0, 1
	lx := lexer{}
	line := 1
	for pos := 0; pos <= len(script); {
		end := strings.IndexByte(script[pos:], '\n')
		next := len(script) + 1
		if end < 0 {
			end = len(script)
		} else {
			end += pos
			next = end + 1
		}
		text := script[pos:end]
		if lx.normal() {
			if count, ok, err := goLine(text); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			} else if ok {
				found = true
				if b := script[start:pos]; strings.TrimSpace(b) != "" {
					out = append(out, Batch{Text: b, Count: count, Line: startLine})
				}
				start, startLine = min(next, len(script)), line+1
				pos, line = next, line+1
				continue
			}
		}
		lx.scan(text)
		pos, line = next, line+1
	}
	if !found {
		return []Batch{{Text: script, Count: 1, Line: 1}}, nil
	}
	if b := script[start:]; strings.TrimSpace(b) != "" {
		out = append(out, Batch{Text: b, Count: 1, Line: startLine})
	}
	return out, nil
}

// goLine recognises a separator line: [space] GO [space count] [space] [-- comment] [\r].
func goLine(s string) (count int, ok bool, err error) {
	s = strings.TrimSuffix(s, "\r")
	s = strings.TrimLeft(s, " \t")
	if len(s) < 2 || !strings.EqualFold(s[:2], "GO") {
		return 0, false, nil
	}
	rest := s[2:]
	if c, _, found := strings.Cut(rest, "--"); found {
		rest = c
	}
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return 0, false, nil // GOTO, GO; and the like are T-SQL, not a separator
	}
	rest = strings.Trim(rest, " \t")
	if rest == "" {
		return 1, true, nil
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return 0, false, nil
		}
	}
	n, convErr := strconv.Atoi(rest)
	if convErr != nil || n < 1 || n > MaxRepeat {
		return 0, false, fmt.Errorf("GO %s: the repeat count must be 1 to %d", rest, MaxRepeat)
	}
	return n, true, nil
}

// lexer tracks whether a line starts inside a string, a quoted or bracketed identifier, or a block comment.
type lexer struct {
	// quote is the closing character of the open string or identifier (' " ]), 0 when none is open.
	quote byte
	// depth is the nesting depth of /* */ comments (T-SQL nests them).
	depth int
}

// normal reports whether the lexer is outside every string, identifier and comment.
func (l *lexer) normal() bool { return l.quote == 0 && l.depth == 0 }

// scan advances over one line (without its line feed).
func (l *lexer) scan(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case l.depth > 0:
			switch {
			case c == '*' && i+1 < len(s) && s[i+1] == '/':
				l.depth--
				i++
			case c == '/' && i+1 < len(s) && s[i+1] == '*':
				l.depth++
				i++
			}
		case l.quote != 0:
			if c == l.quote {
				if i+1 < len(s) && s[i+1] == l.quote {
					i++ // doubled: an escaped quote
				} else {
					l.quote = 0
				}
			}
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			return // a line comment runs to the end of the line
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			l.depth = 1
			i++
		case c == '\'' || c == '"':
			l.quote = c
		case c == '[':
			l.quote = ']'
		}
	}
}
