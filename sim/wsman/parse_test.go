package wsman

import (
	"strings"
	"testing"
	"time"

	mw "github.com/masterzen/winrm"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"PT60S": 60 * time.Second, "PT20.500S": 20500 * time.Millisecond, "PT1M30S": 90 * time.Second,
		"P1DT1H": maxOperationTimeout, " PT0S ": 0, "PT0.2S": 200 * time.Millisecond,
		"": time.Minute, "60": time.Minute, "PT": time.Minute, "PTS": time.Minute, "PT5": time.Minute,
		"P1M": time.Minute, "PT1D": time.Minute, "PT-1S": time.Minute, "PT1.2.3S": time.Minute,
	} {
		if got := parseDuration(in, time.Minute); got != want {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
}

func TestParseCommandLine(t *testing.T) {
	for _, c := range []struct {
		line   string
		script string
		stdin  bool
		exit   int
	}{
		{"powershell.exe -NoProfile -NonInteractive -EncodedCommand " + encodeUTF16("Get-Date\n'é'"), "Get-Date\n'é'", false, 0},
		{`C:\Windows\System32\WindowsPowerShell\v1.0\PowerShell.EXE -nop -noni -enc ` + encodeUTF16("1"), "1", false, 0},
		{"powershell -ExecutionPolicy Bypass -OutputFormat Text -ec " + encodeUTF16("2"), "2", false, 0},
		{"powershell.exe -NoProfile -NonInteractive -Command -", "", true, 0},
		{`powershell -Command "Get-CsPool | Select Identity"`, "Get-CsPool | Select Identity", false, 0},
		{"powershell.exe -File x.ps1", "", false, 1},
		{"powershell.exe -NoProfile", "", false, 1},
		{"powershell.exe -EncodedCommand", "", false, 1},
		{"powershell.exe -Bogus 1", "", false, 1},
		{"powershell.exe -EncodedCommand QQ==", "", false, 1}, // odd number of bytes
		{"cmd /c dir", "", false, 9009},
		{"   ", "", false, 1},
	} {
		inv := parseCommandLine(c.line)
		if inv.script != c.script || inv.stdin != c.stdin || inv.exit != c.exit || (c.exit != 0) != (inv.problem != "") {
			t.Errorf("%.60q: %+v", c.line, inv)
		}
	}
}

func TestParseRequestReadsWhatTheClientSends(t *testing.T) {
	p := mw.NewParameters("PT20S", "en-US", 153600)
	r, err := parseRequest([]byte(mw.NewSendInputRequest("https://h:5986/wsman", "SHELL-1", "CMD-1", []byte("abc"), true, p).String()))
	if err != nil || r.Action != actionSend || r.ShellID != "SHELL-1" || r.CommandID != "CMD-1" || string(r.Input) != "abc" ||
		!r.InputEnd || r.Timeout != 20*time.Second || r.Envelope != 153600 || !strings.HasPrefix(r.MessageID, "uuid:") {
		t.Fatalf("%+v %v", r, err)
	}
	r, err = parseRequest([]byte(mw.NewExecuteCommandRequest("https://h:5986/wsman", "S", "powershell.exe -enc & <x>", []string{"a b"}, p).String()))
	if err != nil || r.Command != "powershell.exe -enc & <x> a b" {
		t.Fatalf("%+v %v", r, err)
	}
	r, err = parseRequest([]byte(mw.NewSignalRequest("u", "S", "C", p).String()))
	if err != nil || r.SignalCode != signalTerminate || r.CommandID != "C" {
		t.Fatalf("%+v %v", r, err)
	}
	for _, bad := range []string{
		strings.Replace(mw.NewSendInputRequest("u", "S", "C", []byte("x"), false, p).String(), `Name="stdin"`, `Name="stdout"`, 1),
		strings.Replace(mw.NewGetOutputRequest("u", "S", "C", "stdout", p).String(), "Receive>", "Nothing>", -1),
	} {
		if _, err := parseRequest([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func FuzzParseRequest(f *testing.F) {
	p := mw.NewParameters("PT20S", "en-US", 153600)
	for _, m := range []string{
		mw.NewOpenShellRequest("https://h/wsman", p).String(),
		mw.NewExecuteCommandRequest("u", "S", encoded("Get-Date"), nil, p).String(),
		mw.NewGetOutputRequest("u", "S", "C", "stdout stderr", p).String(),
		mw.NewSendInputRequest("u", "S", "C", []byte("x"), true, p).String(),
		mw.NewSignalRequest("u", "S", "C", p).String(),
		mw.NewDeleteShellRequest("u", "S", p).String(),
	} {
		f.Add([]byte(m))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := parseRequest(body)
		if err != nil {
			return
		}
		if r.Action == "" || r.Timeout < 0 || r.Timeout > maxOperationTimeout || r.Envelope < 8192 {
			t.Fatalf("%+v", r)
		}
		inv := parseCommandLine(r.Command)
		if inv.stdin && inv.script != "" {
			t.Fatalf("%+v", inv)
		}
	})
}

func FuzzCommandLine(f *testing.F) {
	f.Add("powershell.exe -NoProfile -NonInteractive -EncodedCommand " + encodeUTF16("x"))
	f.Add(`powershell -c "a b" c`)
	f.Add("powershell.exe -NoProfile -NonInteractive -Command -")
	f.Add(`"C:\Program Files\x.exe" /y`)
	f.Fuzz(func(t *testing.T, line string) {
		inv := parseCommandLine(line)
		if (inv.problem == "") == (inv.exit != 0) {
			t.Fatalf("problem %q with exit %d", inv.problem, inv.exit)
		}
		if inv.stdin && inv.script != "" {
			t.Fatalf("%+v", inv)
		}
	})
}
