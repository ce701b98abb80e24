package probes

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"pcfailback/clock"
	"pcfailback/remote"
)

// SQLTarget is one instance the prober reads.
type SQLTarget struct {
	Role       Role
	Name, Host string
	Conn       remote.SQLConn
}

// Config says what to probe.
type Config struct {
	Names    Names
	PoolFQDN string
	LyncHost string
	PS       remote.PSRunner
	SQL      []SQLTarget
	Clock    clock.Clock
	// Timeout bounds each instance's probe, so one hung server cannot hold the others' data back.
	Timeout time.Duration
}

// Prober refreshes Snapshots. It keeps one session per instance open between refreshes (a refresh is then one
// round trip per instance) and reconnects after a transport failure.
type Prober struct {
	cfg Config

	// run serialises refreshes: a step's fresh probe waits for a tick's probe in flight rather than racing it.
	run sync.Mutex

	mu       sync.Mutex
	sessions map[Role]remote.SQLSession
	last     Snapshot
	watch    []string
	// backoff spaces out reconnection attempts to an instance that keeps refusing, so a dead server is not
	// hammered with logins every refresh (each one may cost a login timeout).
	backoff map[Role]*retry
}

// retry is the reconnection state of one instance.
type retry struct {
	failures int
	next     time.Time
	err      error
}

// maxBackoff caps the wait between reconnection attempts.
const maxBackoff = 30 * time.Second

// New returns a prober. Nothing is connected until the first Refresh.
func New(cfg Config) *Prober {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Prober{cfg: cfg, sessions: map[Role]remote.SQLSession{}, backoff: map[Role]*retry{}}
}

// Watch sets the backup files each instance should report on (xp_fileexist as its engine account).
func (p *Prober) Watch(paths ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.watch = append([]string(nil), paths...)
}

// Last returns the latest snapshot.
func (p *Prober) Last() Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// DefaultTimeout bounds one instance's (or the pool's) probe when Config.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// Refresh probes every instance and the pool concurrently and returns the new snapshot. An instance that fails
// keeps its previous data, marked unreachable with the error, so the panels can show how stale it is.
func (p *Prober) Refresh(ctx context.Context) Snapshot {
	p.run.Lock()
	defer p.run.Unlock()

	p.mu.Lock()
	prev, watch := p.last, append([]string(nil), p.watch...)
	p.mu.Unlock()

	next := Snapshot{Seq: prev.Seq + 1, Instances: map[Role]*Instance{}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, t := range p.cfg.SQL {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := p.probeSQL(ctx, t, watch, prev.Instances[t.Role])
			mu.Lock()
			next.Instances[t.Role] = in
			mu.Unlock()
		}()
	}
	if p.cfg.PS != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pool := p.probePool(ctx, prev.Pool)
			mu.Lock()
			next.Pool = pool
			mu.Unlock()
		}()
	}
	wg.Wait()
	next.At = p.cfg.Clock.Now()

	p.mu.Lock()
	p.last = next
	p.mu.Unlock()
	return next
}

func (p *Prober) probeSQL(ctx context.Context, t SQLTarget, watch []string, prev *Instance) *Instance {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	sets, err := p.query(ctx, t, HealthBatch(p.cfg.Names, watch))
	fresh := &Instance{Role: t.Role, Name: t.Name, Host: t.Host}
	var sqlErr *remote.SQLError
	var connErr *connectError
	if err != nil && (errors.As(err, &connErr) || !errors.As(err, &sqlErr)) {
		// Unreachable: keep what we knew, say why and since when.
		if prev != nil {
			stale := *prev
			stale.Reachable, stale.Err = false, err.Error()
			return &stale
		}
		fresh.Err = err.Error()
		return fresh
	}
	fresh.Reachable = true
	fresh.ProbedAt = p.cfg.Clock.Now()
	perr := ParseHealth(fresh, p.cfg.Names, sets)
	switch {
	case sqlErr != nil:
		fresh.Err = "probe incomplete: " + sqlErr.Error()
	case perr != nil:
		fresh.Err = "unexpected reply: " + perr.Error()
	}
	return fresh
}

// query runs batch on the instance's probe session and collects its result sets.
func (p *Prober) query(ctx context.Context, t SQLTarget, batch string) ([]ResultSet, error) {
	if t.Conn == nil {
		return nil, fmt.Errorf("no connection configured for %s", t.Name)
	}
	p.mu.Lock()
	sess := p.sessions[t.Role]
	p.mu.Unlock()
	if sess == nil {
		s, err := p.connect(ctx, t)
		if err != nil {
			return nil, err
		}
		sess = s
	}
	var sets []ResultSet
	err := sess.Run(ctx, batch, func(ev remote.SQLEvent) {
		switch ev.Kind {
		case remote.SQLResultStart:
			cols := make([]string, len(ev.Columns))
			for i, c := range ev.Columns {
				cols[i] = c.Name
			}
			sets = append(sets, ResultSet{Columns: cols})
		case remote.SQLRow:
			if len(sets) > 0 {
				sets[len(sets)-1].Rows = append(sets[len(sets)-1].Rows, ev.Values)
			}
		}
	})
	var sqlErr *remote.SQLError
	if err != nil && !errors.As(err, &sqlErr) {
		// The session is suspect after a transport error or a timeout: start afresh next time.
		_ = sess.Close()
		p.mu.Lock()
		if p.sessions[t.Role] == sess {
			delete(p.sessions, t.Role)
		}
		p.mu.Unlock()
	}
	return sets, err
}

// connectError is a failure to open the probe session. A refused login arrives as a SQL error (18456), but unlike
// an error inside the batch it means the instance told us nothing: it is unreachable, not answering in part.
type connectError struct{ err error }

func (e *connectError) Error() string { return e.err.Error() }
func (e *connectError) Unwrap() error { return e.err }

func (p *Prober) probePool(ctx context.Context, prev Pool) Pool {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	var out, errLines []string
	code, err := p.cfg.PS.Run(ctx, PoolScript(p.cfg.Names.Share), func(l remote.PSLine) {
		if l.Stream == remote.Stderr {
			errLines = append(errLines, l.Text)
		} else {
			out = append(out, l.Text)
		}
	})
	var pool Pool
	if err == nil {
		pool, err = ParsePool(out, p.cfg.PoolFQDN)
		if err != nil && len(errLines) > 0 {
			err = fmt.Errorf("%w: %s", err, firstLine(errLines))
		}
	}
	if err != nil {
		stale := prev
		stale.Host, stale.FQDN = p.cfg.LyncHost, p.cfg.PoolFQDN
		stale.Reachable, stale.Err = false, err.Error()
		return stale
	}
	if pool.ShareFree < 0 {
		pool.ShareErr = "free space unknown"
		if code != 0 {
			pool.ShareErr = firstLine(errLines)
		}
	}
	pool.Host, pool.Reachable, pool.ProbedAt = p.cfg.LyncHost, true, p.cfg.Clock.Now()
	return pool
}

func firstLine(lines []string) string {
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return "no error text"
}

// connect opens the probe session of an instance, unless an earlier failure says to wait: attempts are spaced
// 1 s, 2 s, 4 s ... up to maxBackoff apart, in the prober's clock.
func (p *Prober) connect(ctx context.Context, t SQLTarget) (remote.SQLSession, error) {
	now := p.cfg.Clock.Now()
	p.mu.Lock()
	b := p.backoff[t.Role]
	if b != nil && now.Before(b.next) {
		err := fmt.Errorf("%w (next attempt in %s)", b.err, b.next.Sub(now).Round(time.Second))
		p.mu.Unlock()
		return nil, &connectError{err}
	}
	p.mu.Unlock()
	s, err := t.Conn.Connect(ctx, "master")
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		if b == nil {
			b = &retry{}
			p.backoff[t.Role] = b
		}
		b.failures++
		b.err = err
		b.next = now.Add(min(time.Second<<min(b.failures-1, 5), maxBackoff))
		return nil, &connectError{err}
	}
	delete(p.backoff, t.Role)
	p.sessions[t.Role] = s
	return s, nil
}

// Close ends the probe sessions.
func (p *Prober) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for r, s := range p.sessions {
		_ = s.Close()
		delete(p.sessions, r)
	}
}
