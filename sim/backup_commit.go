package sim

import (
	"fmt"
	"time"

	"pcfailback/tsql"
)

// commitBackup finishes a backup: the database's log position and chain move on, the backup set is written
// into the media and recorded in msdb. It returns the closing messages (4035 per file, 3014).
func (s *Sim) commitBackup(p *backupPlan, elapsed time.Duration) []tsql.Message {
	d, in := p.d, p.in
	d.backupBusy = false
	// The backup writes a checkpoint and its own log records.
	d.pos += 2
	img := imageFromDB(in, d)
	img.position = p.position
	img.name, img.description = p.spec.Name, p.spec.Description
	img.copyOnly, img.checksums = p.spec.CopyOnly, p.spec.Checksum
	img.compressed = p.spec.Compression != nil && *p.spec.Compression
	img.userName = p.user
	img.start, img.finish = p.start, s.now
	img.dataPages, img.logPages, img.bytes = p.dataPages, p.logPages, p.bytes
	img.bsGUID = s.newGUID()
	img.mediaSet, img.familyCount = p.media, len(p.devs)
	img.basePos = d.lastFullPos
	if p.log {
		img.kind = 'L'
		img.firstPos, img.lastPos, img.checkpointPos = d.logChainStart, d.pos, d.lastFullPos
		if !p.spec.CopyOnly {
			d.logChainStart = d.pos
		}
		if p.spec.NoRecovery {
			// The tail-log backup leaves the database ready for a restore sequence.
			d.state, d.redoPos, d.restoreOK = stateRestoring, d.pos, true
			s.nudge()
		}
	} else {
		img.kind = 'D'
		img.firstPos, img.lastPos, img.checkpointPos = p.startPos, d.pos, p.startPos
		img.beginsLogChain = !d.hasBase
		if !d.hasBase {
			d.logChainStart = p.startPos
		}
		d.hasBase = true
		if !p.spec.CopyOnly {
			d.lastFullPos = p.startPos
		}
	}
	if p.initSets {
		p.media.sets = nil
	}
	p.media.sets = append(p.media.sets, img)
	if p.media.name == "" && p.spec.MediaName != "" {
		p.media.name = p.spec.MediaName
	}
	devices := make([]string, 0, len(p.devs))
	s.progressBackup(p, 1)
	for _, dv := range p.devs {
		dv.file.partial = false
		dv.file.modTime = s.now
		if s.scenario.damageBackups != nil && s.scenario.damageBackups(in, dv) {
			dv.file.damage = damageChecksum
		}
		devices = append(devices, dv.given)
	}
	in.msdb.recordBackup(img, devices)
	s.afterBackup(in, d, img)
	return backupDoneMessages(p.stmt, d.name, img, elapsed)
}

// backupDoneMessages are the messages SQL Server prints when a BACKUP or RESTORE completes: one 4035 per data
// file and log file, then 3014.
func backupDoneMessages(stmt, dbName string, img *backupImage, elapsed time.Duration) []tsql.Message {
	var msgs []tsql.Message
	var total int64
	for _, f := range img.files {
		pages := img.dataPages
		if f.log {
			pages = img.logPages
		} else if img.kind == 'L' {
			if stmt == "BACKUP LOG" {
				continue
			}
			pages = 0
		} else if len(img.files) > 2 {
			pages = f.usedPages
		}
		total += pages
		msgs = append(msgs, infoMsg(4035, "Processed %d pages for database '%s', file '%s' on file %d.",
			pages, dbName, f.logical, img.position))
	}
	msgs = append(msgs, infoMsg(3014, "%s", successText(stmt, total, elapsed)))
	return msgs
}

// successText is the 3014 text: "%hs successfully processed %I64d pages in %d.%03d seconds (%d.%03d MB/sec)."
func successText(stmt string, pages int64, elapsed time.Duration) string {
	ms := elapsed.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	rate := float64(pages) * 8 / 1024 / (float64(ms) / 1000)
	thousandths := int64(rate*1000 + 0.5)
	return fmt.Sprintf("%s successfully processed %d pages in %d.%03d seconds (%d.%03d MB/sec).",
		stmt, pages, ms/1000, ms%1000, thousandths/1000, thousandths%1000)
}
