package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adrg/xdg"
)

// useConfigHome points the XDG configuration directory at a fresh temporary folder for one test.
func useConfigHome(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv(EnvVar, "")
	xdg.Reload()
	t.Cleanup(xdg.Reload)
	return dir
}

// writeFile writes a file with the given mode, failing the test on error.
func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // WriteFile's mode is filtered by the umask
		t.Fatal(err)
	}
}

func TestDefaultPathFollowsXDG(t *testing.T) {
	dir := useConfigHome(t)
	got, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "pcfailback", "config.toml"); got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "pcfailback")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("DefaultPath created the folder (stat: %v)", err)
	}
}

func TestResolveWithoutAnyFileMeansSimulator(t *testing.T) {
	useConfigHome(t)
	c, err := Resolve("", Options{})
	if c != nil || err != nil {
		t.Errorf("got %v, %v; want nil, nil", c, err)
	}
}

func TestResolveLoadsTheDefaultFile(t *testing.T) {
	dir := useConfigHome(t)
	path := filepath.Join(dir, "pcfailback", "config.toml")
	writeFile(t, path, validDoc, 0o600)
	c, err := Resolve("", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c == nil || c.Path != path {
		t.Fatalf("got %+v", c)
	}
}

func TestResolveReportsABrokenDefaultFile(t *testing.T) {
	dir := useConfigHome(t)
	path := filepath.Join(dir, "pcfailback", "config.toml")
	writeFile(t, path, "environment = 1\n", 0o600)
	_, err := Resolve("", Options{})
	if err == nil || !strings.HasPrefix(err.Error(), path+":1: environment: ") {
		t.Errorf("got %v", err)
	}
}

func TestResolveExplicitFileMustExist(t *testing.T) {
	dir := useConfigHome(t)
	// A default file exists, but an explicit path that does not must not fall back to it.
	writeFile(t, filepath.Join(dir, "pcfailback", "config.toml"), validDoc, 0o600)
	missing := filepath.Join(dir, "other.toml")
	if _, err := Resolve(missing, Options{}); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("explicit: got %v", err)
	}
	t.Setenv(EnvVar, missing)
	if _, err := Resolve("", Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s: got %v", EnvVar, err)
	}
}

func TestResolveEnvironmentVariable(t *testing.T) {
	dir := useConfigHome(t)
	path := filepath.Join(dir, "elsewhere.toml")
	writeFile(t, path, validDoc, 0o600)
	t.Setenv(EnvVar, path)
	c, err := Resolve("", Options{})
	if err != nil || c.Path != path {
		t.Fatalf("got %v, %v", c, err)
	}
	// The flag wins over the variable.
	other := filepath.Join(dir, "flag.toml")
	writeFile(t, other, validDoc, 0o600)
	if c, err := Resolve(other, Options{}); err != nil || c.Path != other {
		t.Errorf("got %v, %v", c, err)
	}
}

func TestLoadRefusesDirectoriesAndHugeFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	big := filepath.Join(dir, "big.toml")
	writeFile(t, big, "# "+strings.Repeat("x", MaxFileSize)+"\n", 0o600)
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge file: %v", err)
	}
	if _, err := Parse("mem", make([]byte, MaxFileSize+1)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge data: %v", err)
	}
}

func TestLoadWithTrainingOption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.toml")
	writeFile(t, path, after(t, `host = "sqlprimary.contoso.local"`, `encrypt = "disable"`), 0o600)
	if _, err := Load(path); err == nil {
		t.Error("Load accepted encrypt = \"disable\"")
	}
	if _, err := LoadWith(path, Options{Training: true}); err != nil {
		t.Errorf("training: %v", err)
	}
}
