package pwsh

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestVerboseAndWarningPreferences(t *testing.T) {
	h := newFakeHost()
	h.on("Do-Thing", func(_ context.Context, _ []Param, _ []Value, st Streams) ([]Value, error) {
		st.Verbose("step")
		st.Warning("careful\nsecond line")
		st.Host("to the host")
		return nil, nil
	})
	cases := map[string][]string{
		"Do-Thing":          {"err: WARNING: careful", "err: second line", "out: to the host"},
		"Do-Thing -Verbose": {"err: VERBOSE: step", "err: WARNING: careful", "err: second line", "out: to the host"},
		"$VerbosePreference = 'Continue'; Do-Thing":                              {"err: VERBOSE: step", "err: WARNING: careful", "err: second line", "out: to the host"},
		"$VerbosePreference = 'Continue'; Do-Thing -Verbose:$false":              {"err: WARNING: careful", "err: second line", "out: to the host"},
		"Do-Thing -WarningAction SilentlyContinue":                               {"out: to the host"},
		"$WarningPreference = 'SilentlyContinue'; Do-Thing":                      {"out: to the host"},
		"Write-Verbose 'v' -Verbose; Write-Warning 'w'; Write-Verbose 'hidden'":  {"err: VERBOSE: v", "err: WARNING: w"},
		"$VerbosePreference = 'continue'; Write-Verbose 'v'; $VerbosePreference": {"err: VERBOSE: v", "out: Continue"},
		"$DebugPreference = 'Continue'; Write-Debug 'd'":                         {"err: DEBUG: d"},
	}
	for script, want := range cases {
		equalLines(t, script, run(t, h, script).all, want)
	}
	res := run(t, h, "$ErrorActionPreference = 'Sometimes'; 'not reached'")
	if res.code != 0 || res.out[0] != "not reached" ||
		!strings.HasPrefix(res.err[0], `Cannot convert value "Sometimes" to type "System.Management.Automation.ActionPreference".`) {
		t.Errorf("bad preference: %v", res.all)
	}
	if got := outText(t, h, "$ErrorActionPreference = 1; $ErrorActionPreference"); got != "Stop" {
		t.Errorf("numeric preference: %q", got)
	}
}

// A Host that is still running must see its stream lines reach the console before it returns.
func TestStreamsAreLive(t *testing.T) {
	h := newFakeHost()
	proceed := make(chan struct{})
	h.on("Install-CsMirrorDatabase", func(_ context.Context, _ []Param, _ []Value, st Streams) ([]Value, error) {
		st.Verbose("backing up")
		<-proceed
		st.Verbose("restoring")
		return nil, nil
	})
	rec := &recorder{wait: make(chan string, 16)}
	done := make(chan int)
	go func() {
		code, _ := Run(context.Background(), h, "'start'\nInstall-CsMirrorDatabase -Verbose\n'end'", rec)
		done <- code
	}()
	if l := <-rec.wait; l != "out: start" {
		t.Fatalf("first line %q", l)
	}
	if l := <-rec.wait; l != "err: VERBOSE: backing up" {
		t.Fatalf("second line %q", l)
	}
	close(proceed)
	if l := <-rec.wait; l != "err: VERBOSE: restoring" {
		t.Fatalf("third line %q", l)
	}
	if l := <-rec.wait; l != "out: end" {
		t.Fatalf("fourth line %q", l)
	}
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
}

func TestForEachObjectOutputStreams(t *testing.T) {
	h := newFakeHost()
	h.on("Do-Thing", func(_ context.Context, _ []Param, _ []Value, st Streams) ([]Value, error) {
		st.Verbose("working")
		return nil, nil
	})
	res := run(t, h, "1..2 | ForEach-Object { Do-Thing -Verbose; \"done $_\" }")
	equalLines(t, "interleaved", res.all, []string{"err: VERBOSE: working", "out: done 1", "err: VERBOSE: working", "out: done 2"})
	res = run(t, h, "$r = 1..2 | ForEach-Object { \"r$_\" }; $r.Count; 1..2 | % { $_ } | Measure-Object | % Count")
	equalLines(t, "collected", res.all, []string{"out: 2", "out: 2"})
}

func TestConcurrentStreamWrites(t *testing.T) {
	h := newFakeHost()
	var kept Streams
	h.on("Parallel-Thing", func(_ context.Context, _ []Param, _ []Value, st Streams) ([]Value, error) {
		kept = st
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 50; j++ {
					st.Warning("w")
					st.Host("h")
				}
			}()
		}
		wg.Wait()
		return []Value{"done"}, nil
	})
	res := run(t, h, "Parallel-Thing 3>&1 | Measure-Object | ForEach-Object Count")
	if len(res.out) != 401 || res.out[400] != "401" {
		t.Errorf("got %d stdout lines, last %v", len(res.out), res.out[len(res.out)-1:])
	}
	var r recorder
	if _, err := Run(context.Background(), h, "Parallel-Thing", &r); err != nil {
		t.Fatal(err)
	}
	n := len(r.lines)
	kept.Warning("after the cmdlet returned")
	kept.Host("after")
	if len(r.lines) != n {
		t.Errorf("a write after the cmdlet returned reached the console: %v", r.lines[n:])
	}
}

func TestCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if code, err := Run(ctx, newFakeHost(), "'x'", nil); !errors.Is(err, context.Canceled) || code != -1 {
		t.Errorf("cancelled before start: %d, %v", code, err)
	}

	h := newFakeHost()
	started := make(chan struct{})
	h.on("Wait-Forever", func(ctx context.Context, _ []Param, _ []Value, _ Streams) ([]Value, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	ctx, cancel = context.WithCancel(context.Background())
	errc := make(chan error)
	go func() {
		_, err := Run(ctx, h, "Wait-Forever; 'never'", nil)
		errc <- err
	}()
	<-started
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled in a cmdlet: %v", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	var once sync.Once
	out := cancelOnFirstLine{cancel: func() { once.Do(cancel) }}
	code, err := Run(ctx, h, "foreach ($i in 1..1000000) { $i }", &out)
	if !errors.Is(err, context.Canceled) || code != -1 {
		t.Errorf("cancelled in a loop: %d, %v", code, err)
	}
	if out.n > 1000 {
		t.Errorf("the loop ran on for %d lines after cancellation", out.n)
	}

	ctx, cancel = context.WithCancel(context.Background())
	h.sleep = func(ctx context.Context, _ time.Duration) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}
	if _, err := Run(ctx, h, "Start-Sleep 600; 'never'", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled in Start-Sleep: %v", err)
	}
}

type cancelOnFirstLine struct {
	cancel func()
	n      int
}

func (c *cancelOnFirstLine) Stdout(string) { c.n++; c.cancel() }
func (c *cancelOnFirstLine) Stderr(string) { c.n++; c.cancel() }

func TestLimits(t *testing.T) {
	small := limits{steps: 20_000, arrayLen: 1000, stringLen: 10_000, callDepth: 20}
	cases := map[string]string{
		"foreach ($i in 1..999) { foreach ($j in 1..999) { } }": "The script was stopped after 20000 operations",
		"$f = { & $f }; & $f":                           "The script failed due to call depth overflow.",
		"$s = 'ab'; foreach ($i in 1..20) { $s += $s }": "Exception of type 'System.OutOfMemoryException' was thrown.",
		"1..5000":             "Exception of type 'System.OutOfMemoryException' was thrown.",
		"'x' * 100000":        "Exception of type 'System.OutOfMemoryException' was thrown.",
		"@(1,2) * 100000":     "Exception of type 'System.OutOfMemoryException' was thrown.",
		"'{0,100000}' -f 1":   "Exception of type 'System.OutOfMemoryException' was thrown.",
		"'x'.PadLeft(100000)": "Exception of type 'System.OutOfMemoryException' was thrown.",
		"try { foreach ($i in 1..999) { foreach ($j in 1..999) { } } } catch { 'caught' }": "The script was stopped after 20000 operations",
	}
	for script, want := range cases {
		var r recorder
		code, err := runLimited(context.Background(), newFakeHost(), script, &r, small)
		errs := strings.Join(r.stream("err: "), "\n")
		if err != nil || code != 1 || !strings.Contains(errs, want) || len(r.stream("out: ")) != 0 {
			t.Errorf("%s: exit %d, %v, lines %v", script, code, err, r.lines)
		}
	}
}

// Work that would take minutes or gigabytes ends with an error instead, under the default limits.
func TestDefaultLimitsStopHugeWork(t *testing.T) {
	const oom = "Exception of type 'System.OutOfMemoryException' was thrown."
	cases := map[string]string{
		"$s = 'x' * 1000000; $a = ,$s * 1000; \"$a\".Length":                oom,
		"$s = 'x' * 1000000; $a = ,$s * 1000; ($a | ConvertTo-Json).Length": oom,
		"$s = 'x' * 1000000; $a = ,$s * 1000; ($a | Out-String).Length":     oom,
		"$s = 'x' * 1000000; $s -replace '', 'yyyy'":                        oom,
		"$s = 'x' * 2000000": oom,
		"1..2000000":         oom,
		"$s = 'a' * 1000000; $s -match ('(a|aa|aaa)*' * 50 + 'b')": "The text is too long (1000000 characters) to match",
		"'a' -match ('a' * 3000)":                                  "The regular expression pattern is longer than",
	}
	for script, want := range cases {
		res := run(t, newFakeHost(), script)
		if res.code != 1 || len(res.err) == 0 || !strings.HasPrefix(res.err[0], want) {
			t.Errorf("%s: exit %d %v", script, res.code, res.err)
		}
	}
	if got := outText(t, newFakeHost(), "$s = 'a' * 1000000; $s -like ('*a' * 100 + '*b'); ($s -split 'a').Count"); got != "False\n1000001" {
		t.Errorf("large but allowed work: %q", got)
	}
}
