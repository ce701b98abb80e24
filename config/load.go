package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"
)

// EnvVar names the environment variable that, when set, gives the configuration file in place of the default
// location. Like --config, the file it names must exist.
const EnvVar = "PCFAILBACK_CONFIG"

// DefaultPath returns $XDG_CONFIG_HOME/pcfailback/config.toml (~/.config/pcfailback/config.toml when the variable
// is unset). It creates nothing.
func DefaultPath() (string, error) {
	home := xdg.ConfigHome
	if home == "" || !filepath.IsAbs(home) {
		return "", fmt.Errorf("no usable configuration directory (XDG_CONFIG_HOME is %q and HOME is not set)", home)
	}
	return filepath.Join(home, "pcfailback", "config.toml"), nil
}

// Load reads, decodes and validates the configuration file at path. A missing file is an error that wraps
// fs.ErrNotExist. Problems in the content come back as Errors.
func Load(path string) (*Config, error) {
	return LoadWith(path, Options{})
}

// LoadWith is Load with options.
func LoadWith(path string, opts Options) (*Config, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return ParseWith(path, data, opts)
}

// Resolve finds and loads the configuration the console should use. explicit is the --config flag: when it is
// set the file must exist; otherwise $PCFAILBACK_CONFIG is used the same way; otherwise the default file is loaded
// if it exists. (nil, nil) means there is no configuration at all, and the console runs the training simulator.
func Resolve(explicit string, opts Options) (*Config, error) {
	if explicit != "" {
		return LoadWith(explicit, opts)
	}
	if env := os.Getenv(EnvVar); env != "" {
		return LoadWith(env, opts)
	}
	path, err := DefaultPath()
	if err != nil {
		return nil, err
	}
	cfg, err := LoadWith(path, opts)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return cfg, err
}

// readFile reads a configuration file of at most MaxFileSize bytes. Special files (a pipe from process
// substitution) are allowed; the size bound keeps a device such as /dev/zero from being read forever.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Msg: openMessage(err), Err: err}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, &Error{File: path, Msg: "is a directory, not a configuration file"}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot read: " + err.Error(), Err: err}
	}
	if len(data) > MaxFileSize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("file is larger than %d bytes; is this the right file?", MaxFileSize)}
	}
	return data, nil
}

// openMessage says why a configuration file could not be opened, without repeating the path.
func openMessage(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "configuration file not found"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return "cannot open: " + pe.Err.Error()
	}
	return "cannot open: " + err.Error()
}
