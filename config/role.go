package config

// Role is the part an SQL Server instance plays in the Persistent Chat deployment. Its value is also the name of
// the instance's section in the file ([instances.<role>]).
type Role string

// The four instance roles.
const (
	// RolePrimary is the instance in the primary data center that the pool fails back to.
	RolePrimary Role = "primary"
	// RolePrimaryMirror is the mirror of the primary instance.
	RolePrimaryMirror Role = "primary_mirror"
	// RoleBackup is the instance in the backup data center that serves the pool while it is failed over.
	RoleBackup Role = "backup"
	// RoleBackupMirror is the mirror of the backup instance.
	RoleBackupMirror Role = "backup_mirror"
)

// Roles returns the four roles in display order: primary, primary mirror, backup, backup mirror.
func Roles() []Role {
	return []Role{RolePrimary, RolePrimaryMirror, RoleBackup, RoleBackupMirror}
}

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RolePrimary, RolePrimaryMirror, RoleBackup, RoleBackupMirror:
		return true
	}
	return false
}
