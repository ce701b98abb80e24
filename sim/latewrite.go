package sim

import "time"

// The backup-written-after-backup scenario: once, a short while after the first full backup of the chat database
// on the backup instance (the failback backup, F3), a client that talks to mgc directly (a chat bot on BOT01, not a
// Persistent Chat server, so the pool's active list does not stop it) posts a few messages there. Those messages
// are in no backup: restoring the failback backup on the primary (F4) and re-initialising the backup (F5b) would
// lose them.

const (
	// lateWriteDelay is how long after the failback backup the client writes.
	lateWriteDelay = 2 * time.Minute
	// lateWriteMessages is how many chat messages it posts.
	lateWriteMessages = 12
)

// afterBackup is called when a backup completes (callers hold the lock): it arms the scenario's late write.
func (s *Sim) afterBackup(in *instance, d *database, img *backupImage) {
	if !s.scenario.lateWrite || s.lateWritten || !s.lateWriteAt.IsZero() || in.role != roleBackup ||
		img.kind != 'D' || !nameEq(d.name, s.topo.ChatDB) {
		return
	}
	s.lateWriteAt = s.now.Add(lateWriteDelay)
}

// lateWrite is the client's write (an event; callers hold the lock). It only lands on a database that accepts
// ordinary clients; otherwise the client gives up, as the bot would after its connection failed.
func (s *Sim) lateWrite() {
	s.lateWriteAt, s.lateWritten = time.Time{}, true
	b := s.instanceByRole(roleBackup)
	if !usable(b, s.topo.ChatDB) {
		return
	}
	d := b.db(s.topo.ChatDB)
	d.pos += lateWriteMessages * chatWriteRate
	d.content += lateWriteMessages
	d.noteWrites(s.now, lateWriteMessages)
}
