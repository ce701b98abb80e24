package mssql

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
)

// maxCAFile bounds what is read from a CA bundle: a bundle of a few hundred certificates is well under it.
const maxCAFile = 4 << 20

// loadCAFile reads a bundle of CA certificates (PEM; a single DER certificate is accepted too) as the only roots
// trusted for the server certificate.
func loadCAFile(path string) (*x509.CertPool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ca_file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCAFile+1))
	if err != nil {
		return nil, fmt.Errorf("ca_file %s: %w", path, err)
	}
	if len(data) > maxCAFile {
		return nil, fmt.Errorf("ca_file %s: larger than %d bytes; is this the right file?", path, maxCAFile)
	}
	pool := x509.NewCertPool()
	if block, _ := pem.Decode(data); block != nil {
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("ca_file %s: no usable certificate in the PEM data", path)
		}
		return pool, nil
	}
	cert, err := x509.ParseCertificate(data)
	if err != nil {
		return nil, fmt.Errorf("ca_file %s: neither PEM nor a DER certificate: %w", path, err)
	}
	pool.AddCert(cert)
	return pool, nil
}
