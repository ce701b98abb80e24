package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pcfailback/config"
	"pcfailback/control"
	"pcfailback/estate"
	"pcfailback/journal"
	"pcfailback/probes"
	"pcfailback/ui"
)

// controlTimeout bounds asking the backup instance for control at start-up.
const controlTimeout = 30 * time.Second

// takeControl makes this console the only one that may run steps against the estate, or makes it read-only. A
// console that may change the estate takes the lock on the backup instance; when another console holds it, or it
// cannot be asked, this one starts read-only — reconnected with read-only intent — and says why. A read-only console
// only looks at who holds control. The outcome is journaled and shown in the banner.
func (s *session) takeControl(j *journal.Journal) (notices []string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), controlTimeout)
	defer cancel()
	backup := s.estate.SQL[probes.Backup]
	if s.mode == ui.ReadOnly {
		if h, held, err := control.Who(ctx, backup); err == nil && held {
			return []string{"control held by " + h.String()}, nil
		}
		return nil, nil
	}
	lease, holder, err := control.Take(ctx, backup, control.Me(s.estate.Clock.Now()))
	if err == nil {
		s.lease = lease
		_, jerr := j.Append(journal.Record{At: s.estate.Clock.Now(), Kind: journal.KindControl, Control: journal.ControlTaken,
			Holder: lease.Holder().String(), Detail: "lock " + control.Resource + " on " + s.estate.Names.Instance(probes.Backup).Name})
		return nil, jerr
	}
	why := "control held by " + holder.String()
	if !errors.Is(err, control.ErrHeld) {
		why = fmt.Sprintf("control could not be taken on %s: %v", s.estate.Names.Instance(probes.Backup).Name, err)
	}
	if _, jerr := j.Append(journal.Record{At: s.estate.Clock.Now(), Kind: journal.KindControl, Control: journal.ControlReadOnly,
		Holder: holder.String(), Detail: why}); jerr != nil {
		return nil, jerr
	}
	// Read-only from here on, with read-only intent on every connection, as if started with --read-only.
	s.mode = ui.ReadOnly
	if err := s.estate.Close(); err != nil {
		return nil, err
	}
	s.liveOpts.ReadOnly = true
	if s.estate, err = estate.Live(s.estateCfg, s.liveOpts); err != nil {
		return nil, err
	}
	return []string{"READ-ONLY: " + why}, nil
}

// guard is checked before every step is sent: the lease must still be held on its session. The step is not sent
// otherwise.
func (s *session) guard(j *journal.Journal) func(context.Context) error {
	return func(ctx context.Context) error {
		if s.lease == nil {
			return errors.New("this console does not hold control")
		}
		err := s.lease.Check(ctx)
		if err != nil {
			s.lost(j, err)
		}
		return err
	}
}

// lost journals the loss of control, once.
func (s *session) lost(j *journal.Journal, err error) {
	s.lostOnce.Do(func() {
		_, _ = j.Append(journal.Record{At: s.estate.Clock.Now(), Kind: journal.KindControl, Control: journal.ControlLost, Detail: err.Error()})
	})
}

// leaseCheckEvery is how often a console holding control checks it still does, so that losing it shows at once
// rather than at the next step.
var leaseCheckEvery = 15 * time.Second

// watchControl checks the lease until ctx ends; when it is lost, the console is told (a red banner) and the loss
// is journaled. Steps are refused by the guard from then on.
func (s *session) watchControl(ctx context.Context, j *journal.Journal, tell func(text string)) {
	if s.lease == nil {
		return
	}
	t := time.NewTicker(leaseCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cctx, cancel := context.WithTimeout(ctx, controlTimeout)
		err := s.lease.Check(cctx)
		cancel()
		if err != nil && ctx.Err() == nil {
			s.lost(j, err)
			tell(fmt.Sprintf("CONTROL LOST (%v): this console can no longer run steps; restart it to take control again", err))
			return
		}
	}
}

// releaseControl gives control back at exit (closing the session would too; releasing says so at once).
func (s *session) releaseControl() {
	if s.lease == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.lease.Release(ctx)
	_ = s.lease.Close()
	s.lease = nil
}

// remember keeps how the estate was built, so it can be rebuilt read-only.
func (s *session) remember(cfg *config.Config, o estate.LiveOptions) {
	s.estateCfg, s.liveOpts = cfg, o
}
