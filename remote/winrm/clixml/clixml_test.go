package clixml

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// decodeAll feeds data to a Decoder in pieces of size step (all at once when step <= 0) and returns the lines.
func decodeAll(data []byte, step int) []string {
	var got []string
	d := NewDecoder(func(l string) { got = append(got, l) })
	if step <= 0 {
		step = len(data) + 1
	}
	for len(data) > 0 {
		n := min(step, len(data))
		_, _ = d.Write(data[:n])
		data = data[n:]
	}
	d.Flush()
	return got
}

// realStderr is stderr as powershell.exe 5.1 writes it for a progress record, an error record and a warning.
const realStderr = "#< CLIXML\r\n" +
	`<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">` +
	`<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>` +
	`<MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil />` +
	`<PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>` +
	`<S S="Error">Set-CsPersistentChatState : Cannot find pool &amp; more_x000D__x000A_</S>` +
	`<S S="Error">At line:1 char:1_x000D__x000A_</S>` +
	`<S S="Error">    + FullyQualifiedErrorId : Microsoft.Rtc.Management.X_x000D__x000A_</S>` +
	`<S S="Error"> _x000D__x000A_</S>` +
	`<S S="warning">The pool is still FailedOver._x000D__x000A_</S>` +
	`<S S="verbose">Performing the operation_x000D__x000A_</S>` +
	`<S S="debug">state=1_x000D__x000A_</S>` +
	`</Objs>`

func TestDecoderReadsPowerShellStderr(t *testing.T) {
	want := []string{
		"Set-CsPersistentChatState : Cannot find pool & more",
		"At line:1 char:1",
		"    + FullyQualifiedErrorId : Microsoft.Rtc.Management.X",
		" ",
		"WARNING: The pool is still FailedOver.",
		"VERBOSE: Performing the operation",
		"DEBUG: state=1",
	}
	for _, step := range []int{0, 1, 7, 64} {
		if got := decodeAll([]byte(realStderr), step); !slices.Equal(got, want) {
			t.Errorf("step %d:\n got %q\nwant %q", step, got, want)
		}
	}
}

func TestDecoderEmitsRecordsBeforeTheBlockEnds(t *testing.T) {
	var got []string
	d := NewDecoder(func(l string) { got = append(got, l) })
	_, _ = d.Write([]byte("#< CLIXML\r\n<Objs Version=\"1.1.0.1\"><S S=\"warning\">first_x000D__x000A_</S><S S=\"Err"))
	if !slices.Equal(got, []string{"WARNING: first"}) {
		t.Fatalf("a finished record waited for </Objs>: %q", got)
	}
	_, _ = d.Write([]byte("or\">second_x000D__x000A_</S>"))
	if !slices.Equal(got, []string{"WARNING: first", "second"}) {
		t.Fatalf("%q", got)
	}
}

func TestDecoderPassesPlainTextAndLaterBlocks(t *testing.T) {
	in := "'foo' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n" +
		"#< CLIXML\r\n<Objs Version=\"1.1.0.1\"><S S=\"Error\">one_x000D__x000A_</S></Objs>" +
		"#< CLIXML\r\n<Objs Version=\"1.1.0.1\"><Obj S=\"Error\" RefId=\"0\"><ToString>two</ToString></Obj></Objs>\r\n" +
		"tail without newline"
	want := []string{
		"'foo' is not recognized as an internal or external command,",
		"operable program or batch file.",
		"one", "two", "tail without newline",
	}
	if got := decodeAll([]byte(in), 3); !slices.Equal(got, want) {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
}

func TestDecoderKeepsWhatItCannotParse(t *testing.T) {
	got := decodeAll([]byte("#< CLIXML\r\n<Objs><S S=\"Error\">cut off"), 0)
	if len(got) != 1 || !strings.Contains(got[0], "cut off") {
		t.Fatalf("an unfinished record was lost: %q", got)
	}
	got = decodeAll([]byte("#< CLIXML\r\n<Objs><S S=\"Error\">bad &nosuch; entity</S></Objs>"), 0)
	if len(got) != 1 || !strings.Contains(got[0], "bad &nosuch; entity") {
		t.Fatalf("an element XML cannot read was lost: %q", got)
	}
}

func TestDecoderBoundsAnUnfinishedElement(t *testing.T) {
	var got []string
	d := NewDecoder(func(l string) { got = append(got, l) })
	_, _ = d.Write([]byte("#< CLIXML\r\n<Objs><S S=\"Error\">"))
	chunk := []byte(strings.Repeat("a", 64<<10))
	for i := 0; i < 20; i++ {
		_, _ = d.Write(chunk)
	}
	if len(got) == 0 || len(d.buf) > MaxElement {
		t.Fatalf("held %d bytes, emitted %d lines", len(d.buf), len(got))
	}
}

func TestEscapeRoundTrips(t *testing.T) {
	for _, s := range []string{
		"", "plain", "tab\there", "cr\rlf\n", "_x000D_ typed by a script", "_x0041\x01", "__x0041_x0042_",
		"a_b_", "<tag> & \"q\" 'a'", "emoji 😀 and é", "\x7f\uFFFE", "_x005F_",
	} {
		esc := Escape(s)
		if strings.ContainsAny(esc, "\r\n\t\x01\x7f") {
			t.Errorf("Escape(%q) = %q keeps a control character", s, esc)
		}
		if got := Unescape(esc); got != s {
			t.Errorf("Unescape(Escape(%q)) = %q (escaped %q)", s, got, esc)
		}
	}
	if got := Unescape("_xD83D__xDE00_ _xD83D_ _x00e9_ _X0041_"); got != "😀 \uFFFD é _X0041_" {
		t.Errorf("surrogates and case: %q", got)
	}
}

func TestEncoderAndDecoderAgree(t *testing.T) {
	lines := []string{"Cmdlet : it failed", "WARNING: careful", "VERBOSE: doing it", "DEBUG: x=1", "", " ",
		"WARNING:no space is an error line", "a <b> & _x000A_ c"}
	var e Encoder
	var out []byte
	for _, l := range lines {
		out = append(out, e.Line(l)...)
	}
	out = append(out, e.Close()...)
	if !strings.HasPrefix(string(out), Header+"\r\n<Objs ") || !strings.Contains(string(out), `<S S="warning">careful_x000D__x000A_</S>`) {
		t.Fatalf("encoded %q", out)
	}
	if got := decodeAll(out, 5); !slices.Equal(got, lines) {
		t.Fatalf("\n got %q\nwant %q", got, lines)
	}
	if e.Close() != nil {
		t.Fatal("Close twice wrote twice")
	}
}

func FuzzDecoder(f *testing.F) {
	f.Add([]byte(realStderr), uint8(1))
	f.Add([]byte("#< CLIXML\r\n<Objs><S S=\"Error\">a_x000D__x000A_</S>"), uint8(3))
	f.Add([]byte("#< CLIXML<Objs><Obj S=\"x\"><ToString>y</ToString><Obj><Obj/></Obj></Obj></Objs>tail"), uint8(2))
	f.Add([]byte("<!-- c --><?xml v?>plain\r\n#< CLIXML\r\n<S S='warning' x=\"a>b\">q</S>"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		whole := decodeAll(data, 0)
		pieces := decodeAll(data, int(step))
		for _, l := range whole {
			if !utf8.ValidString(l) || strings.Contains(l, "\n") {
				t.Fatalf("bad line %q", l)
			}
		}
		if !slices.Equal(whole, pieces) {
			t.Fatalf("chunking changed the lines:\n%q\n%q", whole, pieces)
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	f.Add("WARNING: x")
	f.Add("_x0041_\x01")
	f.Add("plain <&> text")
	f.Fuzz(func(t *testing.T, line string) {
		if !utf8.ValidString(line) || strings.ContainsAny(line, "\r\n") {
			return
		}
		var e Encoder
		out := append(e.Line(line), e.Close()...)
		got := decodeAll(out, 0)
		if len(got) != 1 || got[0] != line {
			t.Fatalf("%q came back as %q via %q", line, got, out)
		}
	})
}

func TestDecoderReadsTextAfterAnUnclosedBlockAtOnce(t *testing.T) {
	var got []string
	d := NewDecoder(func(l string) { got = append(got, l) })
	_, _ = d.Write([]byte("#< CLIXML\r\n<Objs><S S=\"Error\">a_x000D__x000A_</S>plain text\r\n"))
	if !slices.Equal(got, []string{"a", "plain text"}) {
		t.Fatalf("%q", got)
	}
}
