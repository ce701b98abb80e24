package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrPromptNeeded is returned (wrapped) by Auth.Password for a section with password_prompt = true: asking on the
// terminal, masked, is the caller's job.
var ErrPromptNeeded = errors.New("the password must be asked for on the terminal")

// ErrNoPassword is returned (wrapped) by Auth.Password for a section that has no password source, such as Kerberos
// with a credential cache.
var ErrNoPassword = errors.New("no password source is configured")

// maxPasswordFile bounds what is read from a password file; a password is short, anything large is a wrong file.
const maxPasswordFile = 64 << 10

// Password returns the section's password from its source: the environment variable, or the owner-only file
// (one trailing newline removed). For password_prompt it returns ErrPromptNeeded. Errors name the section and the
// source and never contain the secret.
func (a Auth) Password() (string, error) {
	section := "auth." + quoteKeyPart(a.Name)
	n := 0
	for _, set := range []bool{a.PasswordEnv != "", a.PasswordFile != "", a.PasswordPrompt} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return "", fmt.Errorf("%s: more than one password source is set", section)
	case a.PasswordEnv != "":
		v, ok := os.LookupEnv(a.PasswordEnv)
		if !ok {
			return "", fmt.Errorf("%s: environment variable %s (password_env) is not set", section, a.PasswordEnv)
		}
		if v == "" {
			return "", fmt.Errorf("%s: environment variable %s (password_env) is empty", section, a.PasswordEnv)
		}
		return v, nil
	case a.PasswordFile != "":
		return readPasswordFile(section, a.PasswordFile)
	case a.PasswordPrompt:
		return "", fmt.Errorf("%s: %w", section, ErrPromptNeeded)
	}
	return "", fmt.Errorf("%s: %w", section, ErrNoPassword)
}

// readPasswordFile reads a password file once openPasswordFile has vetted it.
func readPasswordFile(section, path string) (string, error) {
	f, err := openPasswordFile(section, path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPasswordFile+1))
	if err != nil {
		return "", fmt.Errorf("%s: password_file: %w", section, err)
	}
	if len(data) > maxPasswordFile {
		return "", fmt.Errorf("%s: password_file %s: is larger than %d bytes; is this the right file?", section, path, maxPasswordFile)
	}
	// Editors and `echo secret > file` add a line end; the password is what comes before it.
	data = bytes.TrimSuffix(data, []byte("\n"))
	data = bytes.TrimSuffix(data, []byte("\r"))
	if len(data) == 0 {
		return "", fmt.Errorf("%s: password_file %s: is empty", section, path)
	}
	return string(data), nil
}

// openPasswordFile opens a password file after checking it is a regular file that only its owner, the user
// running the console, can read. The file is checked before opening (so a FIFO cannot block the open) and again
// through the open handle (so it cannot be swapped in between).
func openPasswordFile(section, path string) (*os.File, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: password_file %s: %s", section, path, fmt.Sprintf(format, args...))
	}
	before, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: password_file: %w", section, err)
	}
	if !before.Mode().IsRegular() {
		return nil, fail("is not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: password_file: %w", section, err)
	}
	st, err := f.Stat()
	switch {
	case err != nil:
		err = fmt.Errorf("%s: password_file: %w", section, err)
	case !os.SameFile(before, st) || !st.Mode().IsRegular():
		err = fail("changed while it was being opened")
	case st.Mode().Perm()&0o077 != 0:
		err = fail("has mode %04o, so other users can read it; it must be readable only by its owner "+
			"(chmod 600 %s)", st.Mode().Perm(), path)
	default:
		if p := ownerProblem(st); p != "" {
			err = fail("%s", p)
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
