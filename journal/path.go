package journal

import (
	"path/filepath"
	"strings"
)

// PathFor is the journal file of an environment: <stateDir>/pcfailback/journal/<SafeName(environment)>.jsonl.
func PathFor(stateDir, environment string) string {
	return filepath.Join(stateDir, "pcfailback", "journal", SafeName(environment)+".jsonl")
}

// HeadPath is the sidecar file holding the last record's seq and digest of the journal at path.
func HeadPath(path string) string { return path + ".head" }

// TrainingEnvironment names the estate the training simulator plays: "Contoso (training simulator)" without a
// configuration, "<environment> (training simulator)" when it takes a configuration's names. A rehearsal thus
// never writes to the journal of the real environment.
func TrainingEnvironment(configEnvironment string) string {
	if configEnvironment == "" {
		return "Contoso (training simulator)"
	}
	return configEnvironment + " (training simulator)"
}

// maxSafeName bounds the file name well under every file system's limit (255 bytes).
const maxSafeName = 100

// SafeName turns an environment's name into a file name: lower case, each run of characters other than a-z, 0-9,
// '.', '_' and '-' replaced by one '-', without leading or trailing '-' or '.' (no hidden files, no "..").
// A name that would be empty becomes "environment"; a long one is cut and given a digest of the whole name so
// that two long names sharing a prefix do not share a journal.
func SafeName(environment string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(environment) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '.' || r == '_' || r == '-' {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.Trim(b.String(), "-.")
	if name == "" {
		return "environment"
	}
	if len(name) > maxSafeName {
		name = strings.TrimRight(name[:maxSafeName-17], "-.") + "-" + Digest([]byte(environment))[:16]
	}
	return name
}
