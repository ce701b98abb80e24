package config

import (
	"fmt"
	"path/filepath"
	"strings"
)

// maxWindowsPath is the longest share or folder accepted: the log-shipping procedures take these paths as
// nvarchar(500), and file names are appended to them.
const maxWindowsPath = 400

// uncPath checks a UNC path \\server\share[\dir...] and returns it without a trailing backslash.
func uncPath(s string) (string, string) {
	if strings.Contains(s, "/") {
		return "", fmt.Sprintf("%s contains '/'; a UNC path uses backslashes: \\\\server\\share", quoteShort(s))
	}
	if !strings.HasPrefix(s, `\\`) || strings.HasPrefix(s, `\\\`) {
		return "", fmt.Sprintf("%s is not a UNC path (\\\\server\\share)", quoteShort(s))
	}
	rest := strings.TrimSuffix(s[2:], `\`)
	s = `\\` + rest
	if len(s) > maxWindowsPath {
		return "", fmt.Sprintf("is longer than %d characters", maxWindowsPath)
	}
	parts := strings.Split(rest, `\`)
	if len(parts) < 2 {
		return "", fmt.Sprintf("%s names a server but no share (\\\\server\\share)", quoteShort(s))
	}
	if p := hostProblem(parts[0]); p != "" {
		return "", "server part: " + p
	}
	if strings.Contains(parts[0], ":") {
		return "", "server part: an IPv6 address cannot be written in a UNC path; use the host name"
	}
	for _, c := range parts[1:] {
		if p := componentProblem(c); p != "" {
			return "", fmt.Sprintf("%s: %s", quoteShort(s), p)
		}
	}
	return s, ""
}

// windowsFolder checks an absolute Windows folder, X:\dir\... or a UNC path, and returns it without a trailing
// backslash (a drive root keeps its backslash: D:\).
func windowsFolder(s string) (string, string) {
	if strings.HasPrefix(s, `\\`) {
		return uncPath(s)
	}
	if strings.Contains(s, "/") {
		return "", fmt.Sprintf("%s contains '/'; Windows paths use backslashes: D:\\LSCopy\\mgc", quoteShort(s))
	}
	if len(s) < 3 || !isDriveLetter(s[0]) || s[1] != ':' || s[2] != '\\' {
		return "", fmt.Sprintf("%s is not an absolute Windows path (D:\\folder) or a UNC path (\\\\server\\share)", quoteShort(s))
	}
	if len(s) > maxWindowsPath {
		return "", fmt.Sprintf("is longer than %d characters", maxWindowsPath)
	}
	rest := strings.TrimSuffix(s[3:], `\`)
	if rest == "" {
		return s[:3], ""
	}
	for _, c := range strings.Split(rest, `\`) {
		if p := componentProblem(c); p != "" {
			return "", fmt.Sprintf("%s: %s", quoteShort(s), p)
		}
	}
	return s[:3] + rest, ""
}

// isDriveLetter reports A-Z and a-z.
func isDriveLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// componentProblem checks one folder name of a Windows path.
func componentProblem(c string) string {
	switch {
	case c == "":
		return "empty folder name (two backslashes in a row)"
	case c == "." || c == "..":
		return "'.' and '..' are not allowed; write the full path"
	case len(c) > 255:
		return "a folder name is longer than 255 characters"
	case strings.HasSuffix(c, " ") || strings.HasSuffix(c, "."):
		// Windows silently drops them, so the folder on disk would not match what the console shows.
		return fmt.Sprintf("folder name %s ends with a space or a dot", quoteShort(c))
	}
	if i := strings.IndexAny(c, `<>:"|?*`); i >= 0 {
		return fmt.Sprintf("character %q is not allowed in a Windows path", c[i])
	}
	return ""
}

// localPath resolves a path on the console's own machine. Relative paths are taken relative to the configuration
// file's folder, so a configuration directory can be moved as a whole.
func localPath(configFile, p string) (string, string) {
	if strings.ContainsRune(p, 0) {
		return "", "contains a NUL character"
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		return "", fmt.Sprintf("%s: '~' is not expanded; write the full path", quoteShort(p))
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p), ""
	}
	base := filepath.Dir(configFile)
	if configFile == "" {
		base = "."
	}
	return filepath.Join(base, p), ""
}
