package sim

import (
	"fmt"
	"strings"
	"time"
)

// stepResult is what one job step did.
type stepResult struct {
	ok       bool
	message  string // the step's history message after "Executed as user: X. "
	msgID    int
	severity int
}

// startScheduled starts a job at its scheduled time (SQL Agent's scheduler).
func (s *Sim) startScheduled(in *instance, j *job) {
	sc := j.nextSchedule
	at := j.nextRun
	if sc == nil {
		in.scheduleJob(j, at)
		return
	}
	s.startJob(in, j, at, invokedBySchedule(sc), 1)
	in.scheduleJob(j, at)
}

// startJob begins an execution of j at at; its work happens when it finishes (see finishJob).
func (s *Sim) startJob(in *instance, j *job, at time.Time, invokedBy string, source int) {
	d := s.jobDuration(in, j)
	j.run = &jobRun{start: at, finish: at.Add(d), invokedBy: invokedBy, requestSource: source}
	j.lastRequested, j.lastSource = at, source
	j.lastStart, j.lastStop = at, time.Time{}
}

// jobDuration is how long a run takes: log-shipping steps move files at the estate's throughput.
func (s *Sim) jobDuration(in *instance, j *job) time.Duration {
	base := time.Duration(1+s.rng.IntN(3)) * time.Second
	switch j.kind {
	case jobLSBackup, jobLSCopy, jobLSRestore:
		return base + 2*time.Second
	case jobSysPolicy:
		return base + 4*time.Second
	}
	return base
}

// finishJob runs the job's steps as of its finish time and writes the history rows SQL Agent writes: one per
// step, then the job outcome (step_id 0).
func (s *Sim) finishJob(in *instance, j *job) {
	run := j.run
	j.run = nil
	if in.ownerLookupFails && isDomainAccount(j.owner) {
		s.ownerFailure(in, j, run)
		return
	}
	var res stepResult
	switch j.kind {
	case jobLSBackup:
		res = s.runLSBackup(in, j, run)
	case jobLSCopy:
		res = s.runLSCopy(in, j, run)
	case jobLSRestore:
		res = s.runLSRestore(in, j, run)
	case jobLSAlert:
		res = s.runLSAlert(in, run)
	default:
		res = stepResult{ok: true}
	}
	dur := run.finish.Sub(run.start)
	outcome, status := "succeeded", 1
	if !res.ok {
		outcome, status = "failed", 0
	}
	stepName, stepID := "(unknown)", 1
	runAs := in.spec.AgentAccount
	var rows []*historyRow
	for i := range j.steps {
		st := &j.steps[i]
		msg := "Executed as user: " + runAs + ". " + res.message
		if res.message == "" {
			msg = "Executed as user: " + runAs + ". The step " + outcome + "."
		}
		stepName, stepID = st.name, st.id
		st.lastOutcome, st.lastDuration = status, durationInt(dur)
		st.lastRunDate, st.lastRunTime = dateInt(run.start), timeInt(run.start)
		rows = append(rows, &historyRow{
			jobID: j.id, stepID: st.id, stepName: st.name, msgID: res.msgID, severity: res.severity,
			message: msg, status: status, runDate: dateInt(run.start), runTime: timeInt(run.start),
			runDuration: durationInt(dur), server: in.spec.Server,
		})
		if !res.ok {
			break
		}
	}
	outcomeMsg := fmt.Sprintf("The job %s.  The Job was invoked by %s.  The last step to run was step %d (%s).",
		outcome, run.invokedBy, stepID, stepName)
	rows = append(rows, &historyRow{
		jobID: j.id, stepID: 0, stepName: "(Job outcome)", message: outcomeMsg, status: status,
		runDate: dateInt(run.start), runTime: timeInt(run.start), runDuration: durationInt(dur),
		server: in.spec.Server,
	})
	in.msdb.addHistory(rows...)
	j.lastHistoryID = rows[len(rows)-1].id
	j.lastStop = run.finish
	j.lastOutcome = status
	if !j.nextRun.IsZero() && !j.nextRun.After(run.finish) {
		in.scheduleJob(j, run.finish)
	}
}

// runLSAlert is sys.sp_check_log_shipping_monitor_alert: it raises 14420 for a primary that has not backed up
// within its threshold and 14421 for a secondary that has not restored within its threshold.
func (s *Sim) runLSAlert(in *instance, run *jobRun) stepResult {
	at := run.finish
	for _, p := range in.msdb.lsMonPrimary {
		ref := p.lastBackupDate
		if ref.IsZero() {
			ref = p.created
		}
		if !p.alertEnabled || ref.IsZero() {
			continue
		}
		since := int(at.Sub(ref) / time.Minute)
		if since > p.backupThreshold {
			return stepResult{msgID: 14420, severity: 16, message: fmt.Sprintf(
				"The log shipping primary database %s.%s has backup threshold of %d minutes and has not performed "+
					"a backup log operation for %d minutes. Check agent log and logshipping monitor information. "+
					"[SQLSTATE 42000] (Error 14420).  The step failed.", p.primaryServer, p.primaryDatabase,
				p.backupThreshold, since)}
		}
	}
	for _, m := range in.msdb.lsMonSecs {
		if !m.alertEnabled {
			continue
		}
		ref := m.lastRestoredDate
		if ref.IsZero() {
			ref = m.created
		}
		if ref.IsZero() {
			continue
		}
		since := int(at.Sub(ref) / time.Minute)
		if since > m.restoreThreshold {
			return stepResult{msgID: 14421, severity: 16, message: fmt.Sprintf(
				"The log shipping secondary database %s.%s has restore threshold of %d minutes and is out of sync. "+
					"No restore was performed for %d minutes. Restored latency is %d minutes. Check agent log and "+
					"logshipping monitor information. [SQLSTATE 42000] (Error 14421).  The step failed.",
				m.secondaryServer, m.secondaryDatabase, m.restoreThreshold, since, m.latency)}
		}
	}
	return stepResult{ok: true}
}

// isDomainAccount says a login is a domain user or group (not sa, not a built-in NT account), whose membership
// SQL Agent must look up in Active Directory before running a job it owns.
func isDomainAccount(login string) bool {
	dom, _, ok := strings.Cut(login, `\`)
	if !ok {
		return false
	}
	switch strings.ToUpper(dom) {
	case "NT AUTHORITY", "NT SERVICE", "BUILTIN":
		return false
	}
	return true
}

// ownerFailure records the run of a job whose owner SQL Agent cannot look up (error 15404): the job fails
// before its first step.
func (s *Sim) ownerFailure(in *instance, j *job, run *jobRun) {
	msg := fmt.Sprintf("The job failed.  Unable to determine if the owner (%s) of job %s has server access (reason: "+
		"Could not obtain information about Windows NT group/user '%s', error code 0x5. [SQLSTATE 42000] (Error 15404)).",
		j.owner, j.name, j.owner)
	row := &historyRow{jobID: j.id, stepID: 0, stepName: "(Job outcome)", msgID: 0, message: msg, status: 0,
		runDate: dateInt(run.start), runTime: timeInt(run.start), server: in.spec.Server}
	in.msdb.addHistory(row)
	j.lastHistoryID, j.lastStop, j.lastOutcome = row.id, run.finish, 0
	if !j.nextRun.IsZero() && !j.nextRun.After(run.finish) {
		in.scheduleJob(j, run.finish)
	}
}
