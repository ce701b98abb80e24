package control

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"pcfailback/remote"
	"pcfailback/sim"
)

func TestFirstTakerGetsTheLeaseAndTheSecondIsToldWhoHoldsIt(t *testing.T) {
	s := newEstate(t)
	lease := mustTake(t, console(t, s, `CONTOSO\alice`, "JUMP01"), alice())
	if lease.Holder().Session < 51 {
		t.Fatalf("lease session %d", lease.Holder().Session)
	}
	l2, holder, err := Take(testCtx(t), console(t, s, `CONTOSO\bob`, "JUMP02"), bob())
	if !errors.Is(err, ErrHeld) || l2 != nil {
		t.Fatalf("second Take: lease %v, err %v; want ErrHeld", l2, err)
	}
	sameIdentity(t, holder, alice())
	if holder.Session != lease.Holder().Session || holder.Login != `CONTOSO\alice` || holder.FromSession {
		t.Fatalf("holder %+v, want session %d of CONTOSO\\alice", holder, lease.Holder().Session)
	}
	// The refused console keeps no session open on the backup instance.
	for _, u := range s.UserSessions(backup) {
		if u.Workstation == "JUMP02" {
			t.Fatalf("the refused console left session %d open", u.SPID)
		}
	}
}

func TestWhoSeesTheHolderAndOnlyReads(t *testing.T) {
	s := newEstate(t)
	reader := console(t, s, `CONTOSO\monitor`, "JUMP03")
	if h, held, err := Who(testCtx(t), reader); err != nil || held {
		t.Fatalf("Who before anyone took control: %+v, %v, %v", h, held, err)
	}
	lease := mustTake(t, console(t, s, `CONTOSO\alice`, "JUMP01"), alice())
	before := len(s.Executed())
	h, held, err := Who(testCtx(t), reader)
	if err != nil || !held {
		t.Fatalf("Who: %+v, %v, %v", h, held, err)
	}
	sameIdentity(t, h, alice())
	if h.Session != lease.Holder().Session {
		t.Fatalf("Who's session %d, lease's %d", h.Session, lease.Holder().Session)
	}
	ran := s.Executed()[before:]
	if len(ran) == 0 {
		t.Fatal("Who ran nothing")
	}
	for _, e := range ran {
		if e.Writes || e.Err != "" {
			t.Fatalf("Who ran %q (writes %v, err %q)", e.Text, e.Writes, e.Err)
		}
		for _, stmt := range strings.Split(e.Text, ";") {
			if f := strings.Fields(stmt); len(f) > 0 && !strings.EqualFold(f[0], "SELECT") {
				t.Fatalf("Who ran a statement other than SELECT: %q", stmt)
			}
		}
	}
}

func TestACrashedHolderFreesControl(t *testing.T) {
	s := newEstate(t)
	lease := mustTake(t, console(t, s, `CONTOSO\alice`, "JUMP01"), alice())
	bobConn := console(t, s, `CONTOSO\bob`, "JUMP02")
	if _, _, err := Take(testCtx(t), bobConn, bob()); !errors.Is(err, ErrHeld) {
		t.Fatalf("Take while held: %v", err)
	}
	// The holder's session ends without a word (its process died, or a DBA killed it).
	kill(t, s, lease.Holder().Session)
	l2 := mustTake(t, bobConn, bob())
	h, held, err := Who(testCtx(t), console(t, s, `CONTOSO\monitor`, "JUMP03"))
	if err != nil || !held {
		t.Fatalf("Who: %v %v", held, err)
	}
	sameIdentity(t, h, bob())
	if h.Session != l2.Holder().Session {
		t.Fatalf("holder session %d, want %d", h.Session, l2.Holder().Session)
	}
}

func TestCheckReportsALostSessionAndNeverTakesControlBack(t *testing.T) {
	s := newEstate(t)
	lease := mustTake(t, console(t, s, `CONTOSO\alice`, "JUMP01"), alice())
	if err := lease.Check(testCtx(t)); err != nil {
		t.Fatalf("Check while held: %v", err)
	}
	kill(t, s, lease.Holder().Session)
	err := lease.Check(testCtx(t))
	if !errors.Is(err, ErrLost) {
		t.Fatalf("Check after the session was killed: %v, want ErrLost", err)
	}
	// Nothing holds control now, and the lease stays lost rather than taking it again.
	if _, held, err := Who(testCtx(t), console(t, s, `CONTOSO\monitor`, "JUMP03")); err != nil || held {
		t.Fatalf("Who after the loss: held %v, err %v", held, err)
	}
	if err := lease.Check(testCtx(t)); !errors.Is(err, ErrLost) {
		t.Fatalf("second Check: %v", err)
	}
	if _, held, _ := Who(testCtx(t), console(t, s, `CONTOSO\monitor`, "JUMP03")); held {
		t.Fatal("a lost lease took control again")
	}
	if err := lease.Release(testCtx(t)); err != nil {
		t.Fatalf("Release of a lost lease: %v", err)
	}
}

func TestReleaseGivesControlBack(t *testing.T) {
	s := newEstate(t)
	lease := mustTake(t, console(t, s, `CONTOSO\alice`, "JUMP01"), alice())
	if err := lease.Release(testCtx(t)); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if err := lease.Check(testCtx(t)); !errors.Is(err, ErrReleased) {
		t.Fatalf("Check after Release: %v", err)
	}
	if err := lease.Release(testCtx(t)); err != nil {
		t.Fatalf("second Release: %v", err)
	}
	mustTake(t, console(t, s, `CONTOSO\bob`, "JUMP02"), bob())
	for _, u := range s.UserSessions(backup) {
		if u.Workstation == "JUMP01" {
			t.Fatalf("the released lease left session %d open", u.SPID)
		}
	}
}

func TestCloseFreesControlWithTheSession(t *testing.T) {
	s := newEstate(t)
	lease := mustTake(t, console(t, s, `CONTOSO\alice`, "JUMP01"), alice())
	if err := lease.Close(); err != nil {
		t.Fatal(err)
	}
	if err := lease.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	mustTake(t, console(t, s, `CONTOSO\bob`, "JUMP02"), bob())
}

func TestLongIdentityIsTruncatedNotRefused(t *testing.T) {
	s := newEstate(t)
	me := alice()
	me.User = `CONTOSO\` + strings.Repeat("ü", 150)
	me.Host = strings.Repeat("jump-host-with-a-long-name.", 10)
	if n := len(ContextInfo(me)); n > 128 {
		t.Fatalf("context info of %d bytes", n)
	}
	mustTake(t, console(t, s, `CONTOSO\alice`, "JUMP01"), me)
	h, held, err := Who(testCtx(t), console(t, s, `CONTOSO\monitor`, "JUMP03"))
	if err != nil || !held || h.FromSession {
		t.Fatalf("Who: %+v %v %v", h, held, err)
	}
	for _, got := range []struct{ got, full string }{{h.User, me.User}, {h.Host, me.Host}} {
		prefix, cut := strings.CutSuffix(got.got, "…")
		if !cut || !strings.HasPrefix(got.full, prefix) || len(prefix) < 20 {
			t.Fatalf("truncated name %q of %q", got.got, got.full)
		}
	}
	if !h.Since.Equal(me.Since) || h.PID != me.PID {
		t.Fatalf("time and pid must survive truncation: %+v", h)
	}
}

func TestHostileNamesSurvive(t *testing.T) {
	s := newEstate(t)
	me := alice()
	me.User = "O'Brien]; DROP DATABASE [mgc];--\n|%41"
	me.Host = "JUMP[01]\r\n\x1b[2J'"
	lease := mustTake(t, console(t, s, `CONTOSO\alice`, "JUMP01"), me)
	h, held, err := Who(testCtx(t), console(t, s, `CONTOSO\monitor`, "JUMP03"))
	if err != nil || !held {
		t.Fatalf("Who: %v %v", held, err)
	}
	sameIdentity(t, h, me)
	for _, e := range s.Executed() {
		if strings.Contains(e.Text, "DROP") || strings.Contains(e.Text, "\x1b") {
			t.Fatalf("a name reached the server as text: %q", e.Text)
		}
	}
	banner := h.String()
	if strings.ContainsAny(banner, "\n\r\x1b") || !strings.Contains(banner, `\x0a`) {
		t.Fatalf("banner %q must show control characters escaped", banner)
	}
	if err := lease.Check(testCtx(t)); err != nil {
		t.Fatal(err)
	}
}

func TestWhoFallsBackToTheSessionRow(t *testing.T) {
	s := newEstate(t)
	c, err := s.SQL(backup, sim.Login{User: `CONTOSO\dba`, App: "SSMS", Workstation: "DBA-PC"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := c.Connect(testCtx(t), "master")
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	// A DBA takes the lock by hand (for example to keep consoles away during maintenance), with no identity.
	if err := sess.Run(testCtx(t), "EXEC sp_getapplock @Resource = N'pcfailback.control', @LockMode = 'Exclusive', "+
		"@LockOwner = 'Session', @LockTimeout = 0", nil); err != nil {
		t.Fatal(err)
	}
	_, h, err := Take(testCtx(t), console(t, s, `CONTOSO\bob`, "JUMP02"), bob())
	if !errors.Is(err, ErrHeld) {
		t.Fatalf("Take: %v", err)
	}
	if !h.FromSession || h.User != `CONTOSO\dba` || h.Host != "DBA-PC" || h.Since.IsZero() || h.Session < 51 {
		t.Fatalf("fallback holder %+v", h)
	}
	if got := h.String(); !strings.HasPrefix(got, `CONTOSO\dba on DBA-PC since `) || !strings.HasSuffix(got, ")") {
		t.Fatalf("banner %q", got)
	}
}

func TestConsolesRacingForControlGetOneLease(t *testing.T) {
	s := newEstate(t)
	const n = 8
	type outcome struct {
		lease  *Lease
		holder Holder
		err    error
	}
	results := make(chan outcome, n)
	conns := make([]remote.SQLConn, n)
	for i := range conns {
		conns[i] = console(t, s, fmt.Sprintf(`CONTOSO\op%d`, i), fmt.Sprintf("JUMP%02d", i))
	}
	for i := range conns {
		go func(i int) {
			me := Holder{User: fmt.Sprintf(`CONTOSO\op%d`, i), Host: fmt.Sprintf("JUMP%02d", i), Since: epoch, PID: 100 + i}
			l, h, err := Take(testCtx(t), conns[i], me)
			results <- outcome{l, h, err}
		}(i)
	}
	var winner *Lease
	var refused []Holder
	for range n {
		o := <-results
		switch {
		case o.err == nil:
			if winner != nil {
				t.Fatalf("two leases: %s and %s", winner.Holder(), o.lease.Holder())
			}
			winner = o.lease
			t.Cleanup(func() { _ = o.lease.Close() })
		case errors.Is(o.err, ErrHeld):
			refused = append(refused, o.holder)
		default:
			t.Fatalf("Take: %v", o.err)
		}
	}
	if winner == nil || len(refused) != n-1 {
		t.Fatalf("winner %v, %d refused", winner, len(refused))
	}
	for _, h := range refused {
		if h.FromSession || h.User != winner.Holder().User || h.PID != winner.Holder().PID || h.Session != winner.Holder().Session {
			t.Fatalf("refused console told %s holds control; it is %s", h, winner.Holder())
		}
	}
}
