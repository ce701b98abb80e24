package control

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestContextInfoReadsLikeALine(t *testing.T) {
	h := Holder{User: "alice", Host: "jump01", Since: time.Date(2024, 3, 12, 14, 3, 10, 500, time.FixedZone("", 3600)),
		PID: 4242}
	if got, want := string(ContextInfo(h)), "pcfailback|2024-03-12T14:03:10+01:00|4242|alice|jump01"; got != want {
		t.Fatalf("ContextInfo = %q, want %q", got, want)
	}
}

func TestContextInfoRoundTrip(t *testing.T) {
	cases := []Holder{
		alice(),
		{User: "", Host: "", PID: 0},
		{User: "%|%", Host: "a\x00b\x7f\n", Since: time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("", -5*3600)), PID: 1},
		{User: "日本語のユーザー", Host: "ホスト", Since: epoch, PID: 99999},
	}
	for _, h := range cases {
		ci := ContextInfo(h)
		// SQL Server hands CONTEXT_INFO() back padded with zero bytes to 128.
		padded := append(append([]byte(nil), ci...), make([]byte, maxContextInfo-len(ci))...)
		for _, in := range [][]byte{ci, padded} {
			got, ok := ParseContextInfo(in)
			if !ok {
				t.Fatalf("ParseContextInfo(%q) failed", in)
			}
			if got.User != h.User || got.Host != h.Host || !got.Since.Equal(h.Since) || got.PID != h.PID {
				t.Fatalf("round trip of %+v gave %+v", h, got)
			}
		}
	}
}

func TestContextInfoCutsNamesAtSafePlaces(t *testing.T) {
	h := Holder{User: strings.Repeat("%", 100), Host: strings.Repeat("é", 100), Since: epoch, PID: 1}
	ci := ContextInfo(h)
	if len(ci) > maxContextInfo || !utf8.Valid(ci) {
		t.Fatalf("context info %d bytes, valid UTF-8 %v", len(ci), utf8.Valid(ci))
	}
	got, ok := ParseContextInfo(ci)
	if !ok {
		t.Fatalf("a cut identity must still parse: %q", ci)
	}
	if !strings.HasSuffix(got.User, "…") || strings.Trim(strings.TrimSuffix(got.User, "…"), "%") != "" {
		t.Fatalf("user cut to %q", got.User)
	}
	if !strings.HasSuffix(got.Host, "…") || strings.Trim(strings.TrimSuffix(got.Host, "…"), "é") != "" {
		t.Fatalf("host cut to %q", got.Host)
	}
	// A short user keeps all of it; the long host takes the rest.
	h = Holder{User: "al", Host: strings.Repeat("h", 300), Since: epoch, PID: 1}
	got, _ = ParseContextInfo(ContextInfo(h))
	if got.User != "al" || len(ContextInfo(h)) != maxContextInfo-2 && len(ContextInfo(h)) != maxContextInfo {
		t.Fatalf("user %q, %d bytes", got.User, len(ContextInfo(h)))
	}
}

func TestParseContextInfoRefusesWhatAConsoleDidNotWrite(t *testing.T) {
	for _, in := range []string{
		"", "alice", "pcfailback", "pcfailback|x|1|a|b", "pcfailback|2024-03-12T14:03:10Z|-1|a|b",
		"pcfailback|2024-03-12T14:03:10Z|01|a|b", "pcfailback|2024-03-12T14:03:10Z|1|a|b|c",
		"pcfailback|2024-03-12T14:03:10Z|1|%4|b", "pcfailback|2024-03-12T14:03:10Z|1|%zz|b",
		"pcfailback|2024-03-12T14:03:10Z|1|%FF|b", "other|2024-03-12T14:03:10Z|1|a|b",
		"pcfailback|2024-03-12T14:03:10Z|1|a|b" + strings.Repeat("x", 200),
		"pcfailback|2024-03-12T14:03:10.5Z|1|a|b", "pcfailback|2024-03-12T14:03:10Z|1|a\nb|c",
	} {
		if h, ok := ParseContextInfo([]byte(in)); ok {
			t.Errorf("ParseContextInfo(%q) = %+v, want refused", in, h)
		}
	}
	if _, ok := ParseContextInfo([]byte("pcfailback|2024-03-12T14:03:10Z|1|\xff|b")); ok {
		t.Error("invalid UTF-8 accepted")
	}
}

func TestHolderStringIsABanner(t *testing.T) {
	h := alice()
	want := `CONTOSO\alice on JUMP01 since ` + h.Since.Local().Format("15:04:05") + " (pid 4242)"
	if got := h.String(); got != want {
		t.Fatalf("String = %q, want %q", got, want)
	}
	if got := (Holder{}).String(); !strings.Contains(got, "could not be read") {
		t.Fatalf("zero holder: %q", got)
	}
	if got := (Holder{User: "a\u202eb\x1b[31m"}).String(); strings.ContainsAny(got, "\u202e\x1b") {
		t.Fatalf("control characters reach the banner: %q", got)
	}
}

func FuzzParseContextInfo(f *testing.F) {
	f.Add([]byte("pcfailback|2024-03-12T14:03:10+01:00|4242|alice|jump01"))
	f.Add(ContextInfo(Holder{User: "%|\n", Host: "é", Since: epoch, PID: 7}))
	f.Add(append(ContextInfo(alice()), make([]byte, 60)...))
	f.Add([]byte("pcfailback|0001-01-01T00:00:00Z|0||"))
	f.Add([]byte("pcfailback|2024-03-12T14:03:10Z|1|%4"))
	f.Add([]byte{0xff, 0xfe, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		h, ok := ParseContextInfo(in)
		if !ok {
			if h != (Holder{}) {
				t.Fatalf("refused input gave %+v", h)
			}
			return
		}
		if !utf8.ValidString(h.User) || !utf8.ValidString(h.Host) || h.PID < 0 {
			t.Fatalf("parsed %+v", h)
		}
		// What was read writes back to the same bytes, padding aside, when it fits.
		again := ContextInfo(h)
		if trimmed := bytes.TrimRight(in, "\x00"); len(again) <= maxContextInfo && !bytes.Equal(again, trimmed) {
			h2, ok := ParseContextInfo(again)
			if !ok || h2.User != h.User || h2.Host != h.Host || !h2.Since.Equal(h.Since) || h2.PID != h.PID {
				t.Fatalf("%q parsed to %+v, which writes %q, which parses to %+v", in, h, again, h2)
			}
		}
		_ = h.String()
	})
}

func FuzzContextInfo(f *testing.F) {
	f.Add("alice", "jump01", int64(1710252190), 4242)
	f.Add(strings.Repeat("%", 80), strings.Repeat("|", 80), int64(0), 0)
	f.Add("\xff\xfe", "é"+strings.Repeat("\n", 60), int64(-62135596800), -5)
	f.Fuzz(func(t *testing.T, user, host string, unix int64, pid int) {
		h := Holder{User: user, Host: host, Since: time.Unix(unix, 0).UTC(), PID: pid}
		ci := ContextInfo(h)
		if len(ci) > maxContextInfo || !utf8.Valid(ci) {
			t.Fatalf("ContextInfo(%+v) = %q (%d bytes)", h, ci, len(ci))
		}
		got, ok := ParseContextInfo(ci)
		if !ok {
			t.Fatalf("ContextInfo(%+v) = %q does not parse", h, ci)
		}
		fits := len(escapeName(strings.ToValidUTF8(user, "\uFFFD")))+len(escapeName(strings.ToValidUTF8(host, "\uFFFD"))) <= 70
		if fits && (got.User != strings.ToValidUTF8(user, "\uFFFD") || got.Host != strings.ToValidUTF8(host, "\uFFFD")) {
			t.Fatalf("names %q %q came back as %q %q", user, host, got.User, got.Host)
		}
	})
}
