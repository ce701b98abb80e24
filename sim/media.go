package sim

import (
	"time"

	"pcfailback/tsql"
)

// imageFile is one database file as recorded in a backup set (RESTORE FILELISTONLY).
type imageFile struct {
	logical, physical string
	log               bool
	fileID            int
	sizePages         int64
	usedPages         int64
	growth            int64
	percent           bool
	guid              tsql.GUID
}

// backupImage is one backup set: what RESTORE HEADERONLY lists and what RESTORE turns back into a database.
type backupImage struct {
	position    int
	name        string
	description string
	kind        byte // 'D' database, 'L' log
	copyOnly    bool
	checksums   bool
	compressed  bool
	userName    string

	server, machine     string
	major, minor, build int

	dbName                 string
	dbGUID, family, fork   tsql.GUID
	firstFork              tsql.GUID
	dbCreated              time.Time
	compat                 int
	recovery               recoveryModel
	access                 userAccess
	readOnly               bool
	collation              string
	firstPos, lastPos      int64
	checkpointPos, basePos int64
	beginsLogChain         bool
	start, finish          time.Time
	dataPages, logPages    int64
	bytes                  int64
	files                  []imageFile
	content                int64
	owner                  string
	bsGUID                 tsql.GUID // backup_set_uuid
	expiration             time.Time // zero: none
	mediaSet               *mediaSet
	familyCount            int
	users                  []dbUser
}

// kindName is the %hs of message 3135 and the statement name of 3014.
func (b *backupImage) kindName() string {
	if b.kind == 'L' {
		return "BACKUP LOG"
	}
	return "BACKUP DATABASE"
}

// headerType is RESTORE HEADERONLY's BackupType: 1 database, 2 log.
func (b *backupImage) headerType() int64 {
	if b.kind == 'L' {
		return 2
	}
	return 1
}

// mediaSet is the media a backup was written to: one family per disk of a striped backup.
type mediaSet struct {
	guid        tsql.GUID
	name        string
	description string
	familyCount int
	sets        []*backupImage
	created     time.Time
	families    []*mediaFamily
}

// mediaFamily is what one backup file holds.
type mediaFamily struct {
	set  *mediaSet
	seq  int
	guid tsql.GUID
}

// imageFromDB captures a database as a backup set would record it (callers fill the backup-specific fields).
func imageFromDB(in *instance, d *database) *backupImage {
	major, minor, build := in.versionParts()
	img := &backupImage{
		server: in.spec.Server, machine: in.machine,
		major: major, minor: minor, build: build,
		dbName: d.name, dbGUID: d.guid, family: d.family, fork: d.fork, firstFork: d.firstFork,
		dbCreated: d.created, compat: d.compat, recovery: d.recovery, access: d.access,
		readOnly: d.readOnly, collation: "SQL_Latin1_General_CP1_CI_AS",
		content: d.content, owner: d.owner, users: append([]dbUser(nil), d.users...),
	}
	for _, f := range d.files {
		img.files = append(img.files, imageFile{
			logical: f.logical, physical: f.physical, log: f.log, fileID: f.fileID,
			sizePages: f.sizePages, usedPages: f.usedPages, growth: f.growth, percent: f.percent, guid: f.guid,
		})
	}
	return img
}
