//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package journal

import "os"

// lockFile is a no-op where flock(2) does not exist: the journal's mutex still serialises appends within one
// console, but two consoles on one such machine could interleave.
func lockFile(*os.File, bool) error { return nil }

// unlockFile releases lockFile's lock.
func unlockFile(*os.File) {}

// syncDir is a no-op where directories cannot be opened for syncing; renames are durable on those file systems
// once the file itself is synced.
func syncDir(string) error { return nil }
