package lab

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
)

// randomPassword is 18 random bytes as URL-safe base64: 24 characters, none of which needs quoting anywhere.
func randomPassword() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("lab: password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// writePrivate writes a file only its owner can read, as the configuration requires of password files. An
// existing file is replaced (a restarted lab has new passwords).
func writePrivate(path string, data []byte) error {
	_ = os.Remove(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("lab: %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("lab: %s: %w", path, err)
	}
	return nil
}
