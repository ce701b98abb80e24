package sim

import (
	"time"
)

// maxEventsPerAdvance bounds the work of one advance. A clock that jumps years ahead would otherwise run every
// two-minute alert job of those years; past the bound the estate skips ahead (jobs resume from the new time).
const maxEventsPerAdvance = 200_000

// advance brings the estate from s.now up to to: it runs, in time order, every event due in between (SQL Agent
// job starts and finishes, Persistent Chat servers polling and draining, applications reconnecting) and lets
// the writes of connected servers land second by second. Callers hold the lock.
func (s *Sim) advance(to time.Time) {
	if !to.After(s.now) {
		return
	}
	for n := 0; n < maxEventsPerAdvance; n++ {
		at, fire := s.nextEvent(to)
		if fire == nil {
			break
		}
		s.applyWrites(at)
		if at.After(s.now) {
			s.now = at
		}
		fire()
		s.syncMirrors()
	}
	s.applyWrites(to)
	s.now = to
	s.syncMirrors()
	for _, in := range s.insts {
		for _, j := range in.msdb.jobs {
			if j.run == nil && !j.nextRun.IsZero() && !j.nextRun.After(to) {
				in.scheduleJob(j, to)
			}
		}
	}
}

// nextEvent returns the earliest event due no later than to, in a fixed order for ties.
func (s *Sim) nextEvent(to time.Time) (time.Time, func()) {
	var best time.Time
	var fire func()
	consider := func(at time.Time, f func()) {
		if at.IsZero() || at.After(to) {
			return
		}
		if fire == nil || at.Before(best) {
			best, fire = at, f
		}
	}
	for _, in := range s.insts {
		in := in
		if !in.agentRunning {
			continue
		}
		for _, j := range in.msdb.jobs {
			j := j
			if j.run != nil {
				consider(j.run.finish, func() { s.finishJob(in, j) })
				continue
			}
			if j.enabled && j.nextSchedule != nil {
				consider(j.nextRun, func() { s.startScheduled(in, j) })
			}
		}
	}
	for _, pc := range s.pcs {
		pc := pc
		consider(pc.drainAt, func() { s.pcDrain(pc) })
		consider(pc.nextCheck, func() { s.pcPoll(pc) })
	}
	for _, a := range s.apps {
		a := a
		consider(a.nextCheck, func() { s.appPoll(a) })
	}
	consider(s.lateWriteAt, s.lateWrite)
	if fire != nil && best.Before(s.now) {
		best = s.now
	}
	return best, fire
}

// applyWrites lets the connected Persistent Chat servers write from s.now up to to, one whole second at a time,
// so the result does not depend on how often the estate was looked at.
func (s *Sim) applyWrites(to time.Time) {
	secs := to.Unix() - s.now.Unix()
	if secs <= 0 {
		return
	}
	for _, pc := range s.pcs {
		if pc.target == nil {
			continue
		}
		if pc.count(s.topo.ChatDB) > 0 {
			if d := pc.target.db(s.topo.ChatDB); d != nil && d.state == stateOnline && !d.readOnly {
				d.pos += secs * chatWriteRate
				d.content += secs
				d.noteWrites(to, secs)
			}
		}
		if pc.count(s.topo.ComplianceDB) > 0 {
			if d := pc.target.db(s.topo.ComplianceDB); d != nil && d.state == stateOnline && !d.readOnly {
				d.pos += secs * compWriteRate
				d.noteWrites(to, secs)
			}
		}
	}
}

// syncMirrors makes every synchronized mirror database follow its principal.
func (s *Sim) syncMirrors() {
	for _, in := range s.insts {
		for _, d := range in.dbs {
			m := d.mirror
			if m == nil || m.role != rolePrincipal || m.partner == nil {
				continue
			}
			md := m.partner.db(d.name)
			if md == nil || md.mirror == nil {
				continue
			}
			if m.state == mirrorSynchronized || m.state == mirrorSynchronizing {
				md.pos, md.content = d.pos, d.content
				md.redoPos = d.pos
				m.state, md.mirror.state = mirrorSynchronized, mirrorSynchronized
			}
		}
	}
}
