package tds

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"pcfailback/clock"
)

// gatedClock is a virtual clock whose Sleep number hold (counting from 1) blocks until the test releases it:
// a statement paced by the clock is then certainly still running, which is what a test of streaming needs,
// without any wall-clock timing.
type gatedClock struct {
	*clock.Virtual
	mu      sync.Mutex
	n, hold int
	held    chan struct{} // closed when the held Sleep starts waiting
	release chan struct{} // closed by the test to let it go on
}

func newGatedClock(hold int) *gatedClock {
	return &gatedClock{Virtual: clock.NewVirtual(epoch), hold: hold, held: make(chan struct{}), release: make(chan struct{})}
}

// Sleep implements clock.Clock.
func (g *gatedClock) Sleep(ctx context.Context, d time.Duration) error {
	g.mu.Lock()
	g.n++
	n := g.n
	g.mu.Unlock()
	if n == g.hold {
		close(g.held)
		select {
		case <-g.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return g.Virtual.Sleep(ctx, d)
}

// backupScript is the procedure's F3, on the backup instance.
const backupScript = `BACKUP DATABASE [mgc] TO DISK = N'\\fs01.contoso.local\pchatls\mgc_failback_20240312_093000.bak'
WITH INIT, FORMAT, CHECKSUM, STATS = 10;`

// await waits for ch or fails the test when the hang guard ends first.
func await(t *testing.T, ctx context.Context, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-ctx.Done():
		t.Fatalf("%s: %v", what, ctx.Err())
	}
}

func TestBackupProgressStreamsWhileTheStatementRuns(t *testing.T) {
	gate := newGatedClock(5)
	f := start(t, options{clock: gate})
	ctx := testCtx(t)
	c := f.conn(ctx, nil)
	progress := make(chan mssql.Error, 64)
	done := make(chan outcome, 1)
	go func() {
		done <- query(ctx, c, backupScript, func(e mssql.Error) { progress <- e })
	}()
	await(t, ctx, gate.held, "the backup never reached its fifth pause")
	// The backup is paused inside the server: whatever progress the client has now was sent mid-statement.
	var first mssql.Error
	select {
	case first = <-progress:
	case <-ctx.Done():
		t.Fatal("no progress message reached the client while the backup was running")
	}
	if first.Number != 3211 || first.Class != 0 || !strings.HasSuffix(first.Message, " percent processed.") {
		t.Fatalf("first message while running: %d %q", first.Number, first.Message)
	}
	// Another session sees the statement running, as sys.dm_exec_requests shows it.
	other := f.conn(ctx, nil)
	req := mustQuery(t, ctx, other, "SELECT command, percent_complete FROM sys.dm_exec_requests WHERE command LIKE N'BACKUP%';")
	if len(req.sets[0].rows) != 1 || req.sets[0].cell(0, "command") != "BACKUP DATABASE" {
		t.Fatalf("requests while the backup runs: %+v", req.sets)
	}
	close(gate.release)
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		t.Fatal("the backup did not finish")
	}
	if o.err != nil || len(o.errs) > 0 {
		t.Fatalf("backup: %v %v", o.err, o.errs)
	}
	close(progress)
	all := []mssql.Error{first}
	for e := range progress {
		all = append(all, e)
	}
	var numbers []int32
	last := 0
	for _, e := range all {
		numbers = append(numbers, e.Number)
		if e.Number == 3211 {
			var pct int
			for _, r := range strings.TrimSuffix(e.Message, " percent processed.") {
				pct = pct*10 + int(r-'0')
			}
			if pct <= last {
				t.Fatalf("progress out of order: %d after %d", pct, last)
			}
			last = pct
		}
	}
	n := len(numbers)
	if last != 100 || n < 4 || numbers[n-3] != 4035 || numbers[n-2] != 4035 || numbers[n-1] != 3014 {
		t.Fatalf("messages %v", numbers)
	}
}

func TestAttentionCancelsARunningBackupAndTheConnectionStaysUsable(t *testing.T) {
	gate := newGatedClock(3)
	f := start(t, options{clock: gate})
	ctx := testCtx(t)
	c := f.conn(ctx, nil)
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan outcome, 1)
	go func() { done <- query(qctx, c, backupScript, nil) }()
	await(t, ctx, gate.held, "the backup never reached its third pause")
	cancel()
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		t.Fatal("cancelling the backup hung")
	}
	if !errors.Is(o.err, context.Canceled) {
		t.Fatalf("cancelled backup returned %v", o.err)
	}
	if st := f.srv.Stats(); st.Attentions != 1 {
		t.Fatalf("stats %+v", st)
	}
	// The same session answers the next batch, and the estate has no backup of that file.
	after := mustQuery(t, ctx, c, `SELECT COUNT(*) AS n FROM msdb.dbo.backupmediafamily
WHERE physical_device_name LIKE N'%mgc_failback_20240312_093000.bak';`)
	if n := after.sets[0].cell(0, "n"); n != int64(0) {
		t.Fatalf("a cancelled backup left %v backup sets", n)
	}
	ex := f.sim.Executed()
	if last := ex[len(ex)-2]; !strings.HasPrefix(last.Text, "BACKUP DATABASE") || last.Err == "" {
		t.Fatalf("the simulator recorded %+v", last)
	}
}
