package sim

import (
	"strings"
	"time"

	"pcfailback/tsql"
)

// dbState is sys.databases.state.
type dbState int

// Database states as sys.databases numbers them.
const (
	stateOnline          dbState = 0
	stateRestoring       dbState = 1
	stateRecovering      dbState = 2
	stateRecoveryPending dbState = 3
	stateSuspect         dbState = 4
	stateEmergency       dbState = 5
	stateOffline         dbState = 6
)

func (s dbState) desc() string {
	switch s {
	case stateOnline:
		return "ONLINE"
	case stateRestoring:
		return "RESTORING"
	case stateRecovering:
		return "RECOVERING"
	case stateRecoveryPending:
		return "RECOVERY_PENDING"
	case stateSuspect:
		return "SUSPECT"
	case stateEmergency:
		return "EMERGENCY"
	}
	return "OFFLINE"
}

// recoveryModel is sys.databases.recovery_model.
type recoveryModel int

// Recovery models as sys.databases numbers them.
const (
	recoveryFull       recoveryModel = 1
	recoveryBulkLogged recoveryModel = 2
	recoverySimple     recoveryModel = 3
)

func (r recoveryModel) desc() string {
	switch r {
	case recoveryFull:
		return "FULL"
	case recoveryBulkLogged:
		return "BULK_LOGGED"
	}
	return "SIMPLE"
}

// userAccess is sys.databases.user_access.
type userAccess int

// User access modes as sys.databases numbers them.
const (
	accessMulti      userAccess = 0
	accessSingle     userAccess = 1
	accessRestricted userAccess = 2
)

func (a userAccess) desc() string {
	switch a {
	case accessSingle:
		return "SINGLE_USER"
	case accessRestricted:
		return "RESTRICTED_USER"
	}
	return "MULTI_USER"
}

// dbFile is one file of a database (sys.master_files).
type dbFile struct {
	fileID    int
	logical   string
	physical  string
	log       bool
	sizePages int64 // allocated size in 8 KB pages
	usedPages int64 // pages a backup copies
	growth    int64 // pages, or percent when percent is set
	percent   bool
	guid      tsql.GUID
}

// Mirroring roles, states and safety levels as sys.database_mirroring numbers them.
const (
	rolePrincipal = 1
	roleMirror    = 2

	mirrorSuspended     = 0
	mirrorDisconnected  = 1
	mirrorSynchronizing = 2
	mirrorSynchronized  = 4

	safetyOff  = 1
	safetyFull = 2
)

// mirroring is one side of a database mirroring session.
type mirroring struct {
	guid        tsql.GUID
	role        int
	state       int
	safety      int
	partner     *instance
	partnerName string // TCP://fqdn:5022
	roleSeq     int
	safetySeq   int
	witness     string
	failoverPos int64
}

func mirrorStateDesc(s int) string {
	switch s {
	case mirrorSuspended:
		return "SUSPENDED"
	case mirrorDisconnected:
		return "DISCONNECTED"
	case mirrorSynchronizing:
		return "SYNCHRONIZING"
	case 3:
		return "PENDING_FAILOVER"
	}
	return "SYNCHRONIZED"
}

// dbUser is a row of <db>.sys.database_principals.
type dbUser struct {
	name    string
	id      int
	typ     string // S, U, G, R
	sid     string // hex, "" for NULL
	created time.Time
	fixed   bool
	schema  string
}

// database is one database of an instance with the state the procedure looks at: sys.databases options, files,
// mirroring, and the log position that stands for its content.
type database struct {
	id       int
	name     string
	system   bool
	created  time.Time
	state    dbState
	recovery recoveryModel
	access   userAccess
	readOnly bool
	standby  bool
	compat   int
	owner    string
	files    []dbFile

	// guid is database_guid, family is family_guid (constant across backups and restores of one database
	// lineage), fork is the current recovery fork: a recovery (RESTORE ... WITH RECOVERY) starts a new one.
	guid, family, fork, firstFork tsql.GUID

	// pos is the end of the log as a position counter (see lsnOf); it stands for everything written to the
	// database. content counts chat messages, so lost writes after a restore are visible.
	pos     int64
	content int64

	// hasBase says a full backup (or a restore) exists, which BACKUP LOG needs; logChainStart is where the next
	// log backup begins; lastFullPos is the checkpoint of the last full backup (database_backup_lsn).
	hasBase       bool
	logChainStart int64
	lastFullPos   int64

	// redoPos is where a database in RESTORING stands in its restore sequence; restoreOK is false after an
	// interrupted restore, which must then be restarted from a full backup.
	redoPos   int64
	restoreOK bool

	mirror         *mirroring
	pendingPartner string // SET PARTNER set on this (mirror) copy, waiting for the principal

	// busy names a long operation running on the database ("BACKUP DATABASE", "RESTORE DATABASE" ...).
	busy       string
	backupBusy bool

	users []dbUser

	// usage is what sys.dm_db_index_usage_stats shows of the database (usage.go).
	usage usageStats
}

// dataFile and logFile return the first data and log file.
func (d *database) dataFile() *dbFile {
	for i := range d.files {
		if !d.files[i].log {
			return &d.files[i]
		}
	}
	return nil
}

func (d *database) logFile() *dbFile {
	for i := range d.files {
		if d.files[i].log {
			return &d.files[i]
		}
	}
	return nil
}

// usedPages is what a full backup copies: the used data pages plus a couple of log pages.
func (d *database) usedDataPages() int64 {
	var n int64
	for _, f := range d.files {
		if !f.log {
			n += f.usedPages
		}
	}
	return n
}

// isMirror says the database is the mirror copy of a mirroring session.
func (d *database) isMirror() bool { return d.mirror != nil && d.mirror.role == roleMirror }

// nameEq compares SQL Server names the way the default collation does: case-insensitively.
func nameEq(a, b string) bool { return strings.EqualFold(a, b) }
