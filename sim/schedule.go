package sim

import (
	"time"
)

// SQL Agent schedule frequencies (sysschedules.freq_type) and sub-day units (freq_subday_type).
const (
	freqOnce       = 1
	freqDaily      = 4
	freqWeekly     = 8
	freqMonthly    = 16
	freqMonthlyRel = 32
	freqAgentStart = 64
	freqIdle       = 128

	subdayAt      = 1
	subdaySeconds = 2
	subdayMinutes = 4
	subdayHours   = 8
)

// maxScheduleDays bounds the search for the next occurrence of a schedule.
const maxScheduleDays = 800

// dateFromInt turns a yyyymmdd int into midnight of that day in loc; ok is false for values that are not dates.
func dateFromInt(v int, loc *time.Location) (time.Time, bool) {
	y, m, d := v/10000, (v/100)%100, v%100
	if y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// secsOfTimeInt turns hhmmss into seconds after midnight.
func secsOfTimeInt(v int) int {
	if v < 0 {
		return 0
	}
	h, m, s := v/10000, (v/100)%100, v%100
	if h > 23 {
		h = 23
	}
	if m > 59 {
		m = 59
	}
	if s > 59 {
		s = 59
	}
	return h*3600 + m*60 + s
}

func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// nextAfter returns the first time the schedule fires strictly after t, the way SQL Server Agent computes
// next_run_date/next_run_time. Agent-start, idle and relative-monthly schedules never fire in the simulator.
func (sc *schedule) nextAfter(t time.Time) (time.Time, bool) {
	if !sc.enabled {
		return time.Time{}, false
	}
	loc := t.Location()
	start, ok := dateFromInt(sc.activeStartDate, loc)
	if !ok {
		start = time.Date(1990, 1, 1, 0, 0, 0, 0, loc)
	}
	end, ok := dateFromInt(sc.activeEndDate, loc)
	if !ok {
		end = time.Date(9999, 12, 31, 0, 0, 0, 0, loc)
	}
	day := midnight(t)
	if day.Before(start) {
		day = start
	}
	for i := 0; i < maxScheduleDays && !day.After(end); i++ {
		if sc.dayMatches(day, start) {
			if at, ok := sc.firstInDay(day, t); ok {
				return at, true
			}
		}
		day = midnight(day.AddDate(0, 0, 1))
		if sc.freqType == freqOnce && day.After(start) {
			break
		}
	}
	return time.Time{}, false
}

// dayMatches says the schedule runs on day.
func (sc *schedule) dayMatches(day, start time.Time) bool {
	days := int(day.Sub(start).Hours()/24 + 0.5)
	switch sc.freqType {
	case freqOnce:
		return days == 0
	case freqDaily:
		return days%max(1, sc.freqInterval) == 0
	case freqWeekly:
		if sc.freqInterval&(1<<int(day.Weekday())) == 0 {
			return false
		}
		return (days/7)%max(1, sc.freqRecurrence) == 0
	case freqMonthly:
		months := (day.Year()-start.Year())*12 + int(day.Month()) - int(start.Month())
		return day.Day() == sc.freqInterval && months%max(1, sc.freqRecurrence) == 0
	}
	return false
}

// firstInDay returns the first run time on day strictly after t.
func (sc *schedule) firstInDay(day, t time.Time) (time.Time, bool) {
	first := secsOfTimeInt(sc.activeStartTime)
	last := secsOfTimeInt(sc.activeEndTime)
	step := 0
	switch sc.freqSubdayType {
	case subdaySeconds:
		step = sc.freqSubdayInterval
	case subdayMinutes:
		step = sc.freqSubdayInterval * 60
	case subdayHours:
		step = sc.freqSubdayInterval * 3600
	}
	if sc.freqType == freqOnce || step <= 0 {
		at := day.Add(time.Duration(first) * time.Second)
		return at, at.After(t)
	}
	k := 0
	if since := t.Sub(day); since >= time.Duration(first)*time.Second {
		k = int((since-time.Duration(first)*time.Second)/(time.Duration(step)*time.Second)) + 1
	}
	secs := first + k*step
	if secs > last || secs >= 86400 {
		return time.Time{}, false
	}
	return day.Add(time.Duration(secs) * time.Second), true
}

// scheduleJob computes a job's next scheduled run after from (none when the job, its schedules or Agent are
// off).
func (in *instance) scheduleJob(j *job, from time.Time) {
	j.nextRun, j.nextSchedule = time.Time{}, nil
	if !j.enabled || !in.agentRunning {
		return
	}
	for _, sc := range in.msdb.schedulesOf(j) {
		if at, ok := sc.nextAfter(from); ok && (j.nextRun.IsZero() || at.Before(j.nextRun)) {
			j.nextRun, j.nextSchedule = at, sc
		}
	}
}

// rescheduleAll recomputes every job's next run (after Agent starts or a schedule changes).
func (in *instance) rescheduleAll(from time.Time) {
	for _, j := range in.msdb.jobs {
		in.scheduleJob(j, from)
	}
}
