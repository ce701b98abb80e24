//go:build !unix

package config

import "io/fs"

// ownerProblem has no portable owner to compare on this platform; the mode check still applies.
func ownerProblem(fs.FileInfo) string { return "" }
