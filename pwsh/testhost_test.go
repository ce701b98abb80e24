package pwsh

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test doubles: a Host whose commands are functions, and an Output that records lines in order.

type cmdFunc func(ctx context.Context, params []Param, input []Value, st Streams) ([]Value, error)

type invocationRecord struct {
	name   string
	params []Param
	input  []Value
}

type fakeHost struct {
	mu      sync.Mutex
	now     time.Time
	cmds    map[string]cmdFunc
	methods map[string]func(obj *Object, args []Value) (Value, error)
	calls   []invocationRecord
	slept   []time.Duration
	sleep   func(ctx context.Context, d time.Duration) error
}

func newFakeHost() *fakeHost {
	return &fakeHost{
		now:     time.Date(2024, 5, 6, 14, 3, 4, 0, time.UTC),
		cmds:    map[string]cmdFunc{},
		methods: map[string]func(*Object, []Value) (Value, error){},
	}
}

func (h *fakeHost) on(name string, f cmdFunc) *fakeHost {
	h.cmds[strings.ToLower(name)] = f
	return h
}

// returns registers a command that returns fixed values.
func (h *fakeHost) returns(name string, vals ...Value) *fakeHost {
	return h.on(name, func(context.Context, []Param, []Value, Streams) ([]Value, error) { return vals, nil })
}

func (h *fakeHost) Now() time.Time { return h.now }

func (h *fakeHost) Sleep(ctx context.Context, d time.Duration) error {
	h.mu.Lock()
	h.slept = append(h.slept, d)
	h.mu.Unlock()
	if h.sleep != nil {
		return h.sleep(ctx, d)
	}
	return ctx.Err()
}

func (h *fakeHost) Invoke(ctx context.Context, name string, params []Param, input []Value, st Streams) ([]Value, error) {
	h.mu.Lock()
	h.calls = append(h.calls, invocationRecord{name: name, params: params, input: input})
	f := h.cmds[strings.ToLower(name)]
	h.mu.Unlock()
	if f == nil {
		return nil, ErrUnknownCommand
	}
	return f(ctx, params, input, st)
}

func (h *fakeHost) CallMethod(ctx context.Context, obj *Object, method string, args []Value) (Value, error) {
	f := h.methods[strings.ToLower(method)]
	if f == nil {
		return nil, ErrUnknownCommand
	}
	return f(obj, args)
}

func (h *fakeHost) lastCall(t *testing.T) invocationRecord {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.calls) == 0 {
		t.Fatal("the host was never called")
	}
	return h.calls[len(h.calls)-1]
}

// recorder keeps every line in order, with its stream.
type recorder struct {
	mu    sync.Mutex
	lines []string // "out: text" or "err: text"
	wait  chan string
}

func (r *recorder) Stdout(s string) { r.add("out: " + s) }
func (r *recorder) Stderr(s string) { r.add("err: " + s) }

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.lines = append(r.lines, s)
	w := r.wait
	r.mu.Unlock()
	if w != nil {
		w <- s
	}
}

func (r *recorder) stream(prefix string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, l := range r.lines {
		if strings.HasPrefix(l, prefix) {
			out = append(out, strings.TrimPrefix(l, prefix))
		}
	}
	return out
}

type result struct {
	code int
	out  []string
	err  []string
	all  []string
}

// run runs a script on host and returns what it printed.
func run(t *testing.T, host Host, script string) result {
	t.Helper()
	var r recorder
	code, err := Run(context.Background(), host, script, &r)
	if err != nil {
		t.Fatalf("Run(%q) error: %v", script, err)
	}
	return result{code: code, out: r.stream("out: "), err: r.stream("err: "), all: r.lines}
}

// outText runs a script that must succeed and returns its stdout joined by newlines.
func outText(t *testing.T, host Host, script string) string {
	t.Helper()
	res := run(t, host, script)
	if res.code != 0 || len(res.err) > 0 {
		t.Fatalf("script %q failed with %d:\n%s", script, res.code, strings.Join(res.all, "\n"))
	}
	return strings.Join(res.out, "\n")
}

func equalLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// lyncHost is a host with the cmdlets of the console's probe script.
func lyncHost() *fakeHost {
	h := newFakeHost()
	h.on("Import-Module", func(_ context.Context, params []Param, _ []Value, _ Streams) ([]Value, error) {
		if len(params) == 1 && params[0].Name == "" && strings.EqualFold(toStr(params[0].Value), "Lync") {
			return nil, nil
		}
		return nil, &CmdletError{Cmdlet: "Import-Module", Message: "The specified module was not loaded because no " +
			"valid module file was found in any module directory.", Category: "ResourceUnavailable",
			ErrorID: "Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand"}
	})
	h.returns("Get-CsPersistentChatState", &Object{TypeName: "Microsoft.Rtc.Management.PersistentChat.PoolStateInfo",
		Props: []Prop{{"Identity", "service:pchat.contoso.local"},
			{"PoolState", Enum{Type: "PoolState", Name: "FailedOver", Value: 1}}}})
	h.returns("Get-CsService", &Object{TypeName: "Microsoft.Rtc.Management.Xds.DisplayPersistentChatServer",
		Props: []Prop{{"Identity", "PersistentChatServer:pchat.contoso.local"}, {"PoolFqdn", "pchat.contoso.local"},
			{"ActiveServers", []string{"pc03.contoso.local", "pc04.contoso.local"}},
			{"InactiveServers", []Value{"pc01.contoso.local", "pc02.contoso.local"}}}})
	return h
}
