package cli

import (
	"errors"
	"fmt"
	"os"
	"sort"

	"golang.org/x/term"

	"pcfailback/config"
)

// prompter asks for a secret without echoing it.
type prompter func(label string) (string, error)

// passwords resolves the password of every [auth.*] section the configuration uses, before the console takes the
// terminal: from its environment variable, its owner-only file, or a masked prompt. Sections that need none
// (Kerberos with a credential cache or keytab) are left out. Secrets stay in memory; errors name the section and
// the source, never the value.
func passwords(cfg *config.Config, ask prompter) (map[string]string, error) {
	used := map[string]config.Auth{}
	for _, in := range cfg.Instances {
		used[in.Auth.Name] = in.Auth
	}
	used[cfg.Lync.Auth.Name] = cfg.Lync.Auth
	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	out := map[string]string{}
	for _, n := range names {
		a := used[n]
		if !a.NeedsPassword() {
			continue
		}
		pw, err := a.Password()
		if errors.Is(err, config.ErrPromptNeeded) {
			pw, err = ask(fmt.Sprintf("Password for %s (auth.%s): ", a.User, a.Name))
		}
		if err != nil {
			return nil, err
		}
		if pw == "" {
			return nil, fmt.Errorf("auth.%s: empty password", a.Name)
		}
		out[n] = pw
	}
	return out, nil
}

// terminalPrompt reads a secret from the controlling terminal with echo off. It reads /dev/tty rather than stdin
// so a password can never come from a pipe or a here-document by accident.
func terminalPrompt(label string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("password prompt: no terminal to ask on (use password_env or password_file): %w", err)
	}
	defer tty.Close()
	fmt.Fprint(tty, label)
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("password prompt: %w", err)
	}
	return string(b), nil
}
