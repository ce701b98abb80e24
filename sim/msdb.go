package sim

import (
	"time"

	"pcfailback/tsql"
)

// backupsetRow is a row of msdb.dbo.backupset; img holds the set's details.
type backupsetRow struct {
	id         int
	mediaSetID int
	img        *backupImage
	isDamaged  bool
}

// mediaSetRow is a row of msdb.dbo.backupmediaset.
type mediaSetRow struct {
	id          int
	guid        tsql.GUID
	familyCount int
	name        string
	description string
	compressed  bool
}

// mediaFamilyRow is a row of msdb.dbo.backupmediafamily.
type mediaFamilyRow struct {
	mediaSetID int
	seq        int
	familyGUID tsql.GUID
	device     string
}

// restoreRow is a row of msdb.dbo.restorehistory.
type restoreRow struct {
	id          int
	date        time.Time
	dest        string
	user        string
	backupSetID int
	typ         byte
	replace     bool
	recovery    bool
	deviceCount int
}

// Log-shipping tables of msdb, one struct per table.
type lsPrimaryDB struct {
	primaryID         tsql.GUID
	database          string
	backupDirectory   string
	backupShare       string
	retention         int
	backupJobID       tsql.GUID
	monitorServer     string
	userMonitor       bool
	lastBackupFile    string
	lastBackupDate    time.Time
	backupCompression int
}

type lsPrimarySecondary struct {
	secondaryID       tsql.GUID
	primaryID         tsql.GUID
	secondaryServer   string
	secondaryDatabase string
}

type lsMonitorPrimary struct {
	primaryID        tsql.GUID
	primaryServer    string
	primaryDatabase  string
	backupThreshold  int
	thresholdAlert   int
	alertEnabled     bool
	lastBackupFile   string
	lastBackupDate   time.Time
	historyRetention int
	created          time.Time // when log shipping was configured: the alert's reference before the first backup
}

type lsSecondary struct {
	secondaryID     tsql.GUID
	primaryServer   string
	primaryDatabase string
	sourceDir       string
	destDir         string
	retention       int
	copyJobID       tsql.GUID
	restoreJobID    tsql.GUID
	monitorServer   string
	userMonitor     bool
	lastCopiedFile  string
	lastCopiedDate  time.Time
}

type lsSecondaryDB struct {
	database         string
	secondaryID      tsql.GUID
	restoreDelay     int
	restoreAll       bool
	restoreMode      int
	disconnectUsers  bool
	blockSize        int
	bufferCount      int
	maxTransferSize  int
	lastRestoredFile string
	lastRestoredDate time.Time
}

type lsMonitorSecondary struct {
	secondaryServer   string
	secondaryDatabase string
	secondaryID       tsql.GUID
	primaryServer     string
	primaryDatabase   string
	restoreThreshold  int
	thresholdAlert    int
	alertEnabled      bool
	lastCopiedFile    string
	lastCopiedDate    time.Time
	lastRestoredFile  string
	lastRestoredDate  time.Time
	latency           int
	historyRetention  int
	created           time.Time // when the secondary was added: the alert's reference before the first restore
}

// lsHistoryRow is a row of log_shipping_monitor_history_detail (and, with source, of the error detail table).
type lsHistoryRow struct {
	agentID   tsql.GUID
	agentType int // 0 backup, 1 copy, 2 restore
	sessionID int
	database  string
	status    int // 0 starting, 1 running, 2 success, 3 error, 4 warning
	at        time.Time
	message   string
	seq       int
	source    string
}

// msdb is an instance's msdb: backup and restore history, SQL Agent and log shipping.
type msdb struct {
	backupsets    []*backupsetRow
	mediaSets     []*mediaSetRow
	mediaFamilies []*mediaFamilyRow
	restores      []*restoreRow
	nextBackupSet int
	nextMediaSet  int
	nextRestore   int

	jobs          []*job
	schedules     []*schedule
	history       []*historyRow
	nextHistory   int
	nextSchedule  int
	agentSessions []agentSession

	lsPrimary     []*lsPrimaryDB
	lsPrimarySecs []*lsPrimarySecondary
	lsMonPrimary  []*lsMonitorPrimary
	lsSecondary   []*lsSecondary
	lsSecDBs      []*lsSecondaryDB
	lsMonSecs     []*lsMonitorSecondary
	lsHistory     []*lsHistoryRow
	lsErrors      []*lsHistoryRow
	lsAlertJob    *tsql.GUID
	nextLSSession int
}

func newMSDB() *msdb {
	return &msdb{nextBackupSet: 1, nextMediaSet: 1, nextRestore: 1, nextHistory: 1, nextSchedule: 1, nextLSSession: 1}
}

// recordBackup adds the backupset, backupmediaset and backupmediafamily rows for img written to devices.
func (m *msdb) recordBackup(img *backupImage, devices []string) *backupsetRow {
	ms := &mediaSetRow{id: m.nextMediaSet, familyCount: len(devices), compressed: img.compressed}
	if img.mediaSet != nil {
		ms.guid, ms.name, ms.description = img.mediaSet.guid, img.mediaSet.name, img.mediaSet.description
	}
	m.nextMediaSet++
	m.mediaSets = append(m.mediaSets, ms)
	for i, dev := range devices {
		row := &mediaFamilyRow{mediaSetID: ms.id, seq: i + 1, device: dev}
		if img.mediaSet != nil && i < len(img.mediaSet.families) {
			row.familyGUID = img.mediaSet.families[i].guid
		}
		m.mediaFamilies = append(m.mediaFamilies, row)
	}
	bs := &backupsetRow{id: m.nextBackupSet, mediaSetID: ms.id, img: img}
	m.nextBackupSet++
	m.backupsets = append(m.backupsets, bs)
	return bs
}

// recordRestore adds a restorehistory row (and the backupset row SQL Server copies into the target msdb).
func (m *msdb) recordRestore(img *backupImage, devices []string, at time.Time, dest, user string, replace, recovery bool) {
	bs := m.recordBackup(img, devices)
	m.restores = append(m.restores, &restoreRow{
		id: m.nextRestore, date: at, dest: dest, user: user, backupSetID: bs.id,
		typ: img.kind, replace: replace, recovery: recovery, deviceCount: len(devices),
	})
	m.nextRestore++
}

// primaryFor finds the log-shipping primary configuration of a database.
func (m *msdb) primaryFor(db string) *lsPrimaryDB {
	for _, p := range m.lsPrimary {
		if nameEq(p.database, db) {
			return p
		}
	}
	return nil
}

// secondaryFor finds the log-shipping secondary registration of a primary server and database.
func (m *msdb) secondaryFor(server, db string) *lsSecondary {
	for _, s := range m.lsSecondary {
		if nameEq(s.primaryServer, server) && nameEq(s.primaryDatabase, db) {
			return s
		}
	}
	return nil
}

// secondaryByID finds a secondary registration by its id.
func (m *msdb) secondaryByID(id tsql.GUID) *lsSecondary {
	for _, s := range m.lsSecondary {
		if s.secondaryID == id {
			return s
		}
	}
	return nil
}

// secDB finds a secondary database entry.
func (m *msdb) secDB(db string) *lsSecondaryDB {
	for _, s := range m.lsSecDBs {
		if nameEq(s.database, db) {
			return s
		}
	}
	return nil
}

// monPrimary finds the monitor row of a primary id.
func (m *msdb) monPrimary(id tsql.GUID) *lsMonitorPrimary {
	for _, p := range m.lsMonPrimary {
		if p.primaryID == id {
			return p
		}
	}
	return nil
}

// monSecondary finds the monitor row of a secondary database.
func (m *msdb) monSecondary(db string) *lsMonitorSecondary {
	for _, s := range m.lsMonSecs {
		if nameEq(s.secondaryDatabase, db) {
			return s
		}
	}
	return nil
}

// addLSHistory appends a history detail row, trimmed to the most recent rows.
func (m *msdb) addLSHistory(r *lsHistoryRow) {
	m.lsHistory = append(m.lsHistory, r)
	if len(m.lsHistory) > maxLSHistory {
		m.lsHistory = append([]*lsHistoryRow(nil), m.lsHistory[len(m.lsHistory)-maxLSHistory:]...)
	}
}

// addLSError appends an error detail row, trimmed likewise.
func (m *msdb) addLSError(r *lsHistoryRow) {
	m.lsErrors = append(m.lsErrors, r)
	if len(m.lsErrors) > maxLSHistory {
		m.lsErrors = append([]*lsHistoryRow(nil), m.lsErrors[len(m.lsErrors)-maxLSHistory:]...)
	}
}

// maxLSHistory bounds the log-shipping history tables, as history_retention_period does on a real server.
const maxLSHistory = 2000
