package transcript

import (
	"slices"
	"testing"
)

func TestTextLines(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"single", "10 percent processed.", []string{"10 percent processed."}},
		{"empty", "", []string{""}},
		{"trailing CRLF dropped", "done\r\n", []string{"done"}},
		{"only breaks", "\r\n\n\r", []string{""}},
		{"LF", "a\nb", []string{"a", "b"}},
		{"CRLF", "a\r\nb\r\nc", []string{"a", "b", "c"}},
		{"lone CR", "a\rb", []string{"a", "b"}},
		{"LF CR is two breaks", "a\n\rb", []string{"a", "", "b"}},
		{"blank line inside kept", "BACKUP DATABASE [mgc]\n\nWITH STATS = 10", []string{"BACKUP DATABASE [mgc]", "", "WITH STATS = 10"}},
		{"leading break kept", "\nx", []string{"", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := Line{Text: tt.text}
			got := slices.Collect(l.TextLines())
			if !slices.Equal(got, tt.want) {
				t.Fatalf("TextLines(%q) = %q, want %q", tt.text, got, tt.want)
			}
			if l.MultiLine() != (len(tt.want) > 1) {
				t.Fatalf("MultiLine(%q) = %v, want %v", tt.text, l.MultiLine(), len(tt.want) > 1)
			}
		})
	}
}

func TestTextLinesStopsWhenAsked(t *testing.T) {
	n := 0
	for range (Line{Text: "a\nb\nc"}).TextLines() {
		n++
		break
	}
	if n != 1 {
		t.Fatalf("iteration continued after break: %d", n)
	}
}
