package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"pcfailback/ui/internal/fixture"
)

// A standing warning (an unverified certificate, who holds control) is on screen for the whole run, under the
// header, and the screen still fits the terminal.
func TestBannerStaysOnScreenAndTheScreenFits(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	opt := options(t, e, "dark", fixture.Tick)
	opt.Banner = []string{"SQLBACKUP: server certificate NOT verified (trust_server_certificate = true)", "line\x1b[2Jbreak"}
	d := &driver{t: t, e: e, m: New(opt)}
	for _, size := range [][2]int{{120, 40}, {80, 24}, {200, 60}} {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		d.exec(d.m.Init())
		d.drain()
		lines := strings.Split(plain(d.m.View().Content), "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d rows", size[0], size[1], len(lines))
		}
		if !strings.Contains(lines[1], "certificate NOT verified") {
			t.Errorf("%dx%d: row 2 is %q, want the banner", size[0], size[1], lines[1])
		}
		if strings.Contains(d.m.View().Content, "\x1b[2J") {
			t.Fatalf("the banner's text reached the terminal unescaped")
		}
	}
}

// A warning that arrives during the run (control lost) joins the banner, first, and goes into the log.
func TestANoticeJoinsTheBanner(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	d := newDriver(t, e, "dark", 120, 40)
	d.send(NoticeMsg{Text: "CONTROL LOST (session ended): this console can no longer run steps"})
	lines := strings.Split(plain(d.m.View().Content), "\n")
	if len(lines) != 40 || !strings.Contains(lines[1], "CONTROL LOST") {
		t.Fatalf("rows %d, row 2 %q", len(lines), lines[1])
	}
	if !strings.Contains(plain(d.m.log.View()), "CONTROL LOST") {
		t.Error("the notice is not in the log")
	}
}
