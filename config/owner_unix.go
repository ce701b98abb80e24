//go:build unix

package config

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ownerProblem refuses a password file owned by someone other than the user running the console: that user could
// change the password under the console's feet, or read it.
func ownerProblem(st fs.FileInfo) string {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	if uid := os.Geteuid(); int(sys.Uid) != uid {
		return fmt.Sprintf("is owned by uid %d, not by the user running the console (uid %d)", sys.Uid, uid)
	}
	return ""
}
