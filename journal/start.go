package journal

import (
	"os"
	"os/user"
	"strings"
)

// NewStart is a start record for this process: who runs it (the OS user), from where (the SSH client's address
// from $SSH_CLIENT or $SSH_CONNECTION, empty for a local terminal), on which host, and its pid. The caller fills
// Environment, Mode, ConfigDigest (config.Config.Digest), Version and LogFile.
func NewStart() Record {
	host, _ := os.Hostname()
	return Record{Kind: KindStart, User: osUser(), SSHClient: sshClient(os.Getenv), Host: host, PID: os.Getpid()}
}

// osUser is the login name, from the password database or, failing that, the environment.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "LOGNAME", "USERNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "unknown"
}

// sshClient is the address an SSH session came from: the first field of $SSH_CLIENT ("addr port localport") or,
// failing that, of $SSH_CONNECTION ("addr port serveraddr serverport").
func sshClient(getenv func(string) string) string {
	for _, v := range []string{"SSH_CLIENT", "SSH_CONNECTION"} {
		if f := strings.Fields(getenv(v)); len(f) > 0 {
			return trim(f[0], 100)
		}
	}
	return ""
}
