package logpane

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"pcfailback/transcript"
)

// noColor is built once: building styles per input would dominate the fuzzer's time.
var noColor = themeStylesNoColor()

// fuzzKeys maps fuzz bytes to the pane's keys, so the fuzzer explores key sequences as well as content.
var fuzzKeys = []string{"j", "k", "pgup", "pgdown", "ctrl+u", "ctrl+d", "g", "G", "f", "w", "/", "n", "N", "enter", "esc", "x", "3"}

func FuzzView(f *testing.F) {
	f.Add("10 percent processed.", "SQLBACKUP", "F3", uint8(4), int32(3211), uint8(80), uint8(12), "mgc", []byte{9, 10, 11, 13, 0, 1})
	f.Add(strings.Repeat("東京👍🏽", 50), "lyncfe01.contoso.local", "F6", uint8(2), int32(0), uint8(7), uint8(3), "東", []byte{9, 13, 1, 10, 11})
	f.Add("\x1b[2J\t\u202e\xff\r\nnext", "\x00", "\t", uint8(250), int32(-5), uint8(1), uint8(1), "", []byte{0, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(strings.Repeat("word ", 400), "console", "", uint8(3), int32(3201), uint8(200), uint8(40), "wo", []byte{9, 6, 10, 13, 11, 12, 7})
	f.Add("e\u0301\u200d\u0301", "é", "F\u0301", uint8(0), int32(1), uint8(3), uint8(9), "\u0301", []byte{9, 7, 1})
	f.Fuzz(func(t *testing.T, text, source, step string, kind uint8, number int32, w, h uint8, term string, keys []byte) {
		// Sizes beyond a large terminal add rendering time per input without reaching new code.
		width, height := int(w)%160, int(h)%50
		m := New(8, noColor, cet)
		m.SetSize(width, height)
		m.SetLogPath(source + "/" + step)
		l := transcript.Line{At: t0, Source: source, Step: step, Kind: transcript.Kind(kind), Number: number, Text: text}
		m.Append([]transcript.Line{l, l}, int(kind%3))
		m.Append(numbered(0, 3), 0)
		checkBounds(t, m.View(), width, height)
		for i, k := range keys {
			if i > 40 {
				break
			}
			key := fuzzKeys[int(k)%len(fuzzKeys)]
			m = press(m, key)
			if key == "/" {
				m = typeText(m, term)
			}
			if i%5 == 0 {
				m.Append([]transcript.Line{l}, 0)
			}
			checkBounds(t, m.View(), width, height)
		}
		checkInvariants(t, m)
	})
}

// checkInvariants fails when the search results or view position point outside the scrollback.
func checkInvariants(t *testing.T, m Model) {
	t.Helper()
	d := m.data
	for i, seq := range d.search.hits {
		if !d.ring.has(seq) || i > 0 && seq <= d.search.hits[i-1] {
			t.Fatalf("hits %v outside the ring [%d, %d) or unsorted", d.search.hits, d.ring.first, d.ring.end())
		}
	}
	if d.search.cur < -1 || d.search.cur >= max(len(d.search.hits), 1) {
		t.Fatalf("current match %d of %d", d.search.cur, len(d.search.hits))
	}
	if d.ring.len() > d.ring.capacity {
		t.Fatalf("ring holds %d of %d", d.ring.len(), d.ring.capacity)
	}
}

func TestRandomOperations(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	texts := []string{"10 percent processed.", "Msg 3201 mgc", strings.Repeat("long ", 60), "東京 サーバー", "", "a\nb\r\nc", "\x1b[31m"}
	for round := 0; round < 20; round++ {
		w, h := 1+rng.IntN(120), 1+rng.IntN(30)
		m := New(1+rng.IntN(50), styles(t, themesFor(round)), cet)
		m.SetSize(w, h)
		for op := 0; op < 300; op++ {
			switch r := rng.IntN(10); {
			case r < 3:
				batch := make([]transcript.Line, rng.IntN(20))
				for i := range batch {
					batch[i] = transcript.Line{At: t0, Source: "SQLBACKUP", Step: "F3",
						Kind: transcript.Kind(rng.IntN(7)), Number: int32(rng.IntN(4000)), Text: texts[rng.IntN(len(texts))]}
				}
				m.Append(batch, rng.IntN(3))
			case r < 9:
				key := fuzzKeys[rng.IntN(len(fuzzKeys))]
				m = press(m, key)
				if key == "/" {
					m = typeText(m, []string{"mgc", "LONG", "3", "東", "zzz"}[rng.IntN(5)])
				}
			default:
				w, h = 1+rng.IntN(120), 1+rng.IntN(30)
				m.SetSize(w, h)
			}
			checkBounds(t, m.View(), w, h)
			checkInvariants(t, m)
		}
	}
}

func themesFor(i int) string { return []string{"dark", "light", "high-contrast", "no-color"}[i%4] }

func FuzzMatcher(f *testing.F) {
	for _, s := range [][2]string{{"Processed 51648 pages for database 'mgc'", "MGC"}, {"東京 サーバー", "サー"},
		{"KELVIN \u212a", "k"}, {"İstanbul", "i̇"}, {"aaa", "aa"}, {"", "x"}, {"x", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, s, term string) {
		if !utf8.ValidString(s) || !utf8.ValidString(term) {
			return // display strings and typed terms are valid UTF-8
		}
		m := newMatcher(term)
		ranges := m.ranges(s, nil)
		prev := 0
		for _, r := range ranges {
			if r[0] < prev || r[1] <= r[0] || r[1] > len(s) || !utf8.RuneStart(s[r[0]]) || r[1] < len(s) && !utf8.RuneStart(s[r[1]]) {
				t.Fatalf("bad range %v in %q (previous end %d)", r, s, prev)
			}
			if got, want := lowerRunes(s[r[0]:r[1]]), lowerRunes(term); got != want {
				t.Fatalf("range %v of %q is %q, not the term %q", r, s, s[r[0]:r[1]], term)
			}
			prev = r[1]
		}
		if want := strings.Contains(lowerRunes(s), lowerRunes(term)) && term != ""; m.contains(s) != want {
			t.Fatalf("contains(%q, %q) = %v, want %v", s, term, !want, want)
		}
	})
}

// lowerRunes lowers rune by rune, the folding the matcher promises.
func lowerRunes(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func FuzzWrap(f *testing.F) {
	f.Add("backup chain ok; backup chain ok; backup chain ok", 10, 8)
	f.Add(strings.Repeat("東京", 20), 5, 3)
	f.Add("👍🏽e\u0301 x  y", 2, 2)
	f.Add("", 4, 4)
	f.Fuzz(func(t *testing.T, s string, first, rest int) {
		if first < 2 || rest < 2 || first > 500 || rest > 500 || !utf8.ValidString(s) {
			return
		}
		s = displayText(s) // what the pane wraps is always a display text
		brk := wrapText(s, first, rest, nil)
		if len(brk) == 0 || brk[0] != 0 {
			t.Fatalf("breaks %v do not start at 0", brk)
		}
		for i := range brk {
			end := len(s)
			if i+1 < len(brk) {
				end = brk[i+1]
				if end <= brk[i] {
					t.Fatalf("breaks %v do not increase", brk)
				}
			}
			avail := rest
			if i == 0 {
				avail = first
			}
			if w := cells(s[brk[i]:end]); w > avail {
				t.Fatalf("row %d of %q is %d cells, more than %d", i, s, w, avail)
			}
		}
	})
}
