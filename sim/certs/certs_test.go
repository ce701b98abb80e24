package certs

import (
	"crypto/tls"
	"crypto/x509"
	"testing"
)

func TestIssuedCertificateVerifiesForItsNamesOnly(t *testing.T) {
	ca, err := NewCA("test CA")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ca.Issue("sqlprimary.contoso.local", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sqlprimary.contoso.local", "127.0.0.1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: name}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "sqlbackup.contoso.local"}); err == nil {
		t.Error("a certificate for sqlprimary verified for sqlbackup")
	}
	other, _ := NewCA("other")
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: other.Pool(), DNSName: "127.0.0.1"}); err == nil {
		t.Error("verified against a CA that did not issue it")
	}
	if _, err := ca.Issue(); err == nil {
		t.Error("issued a certificate without a name")
	}
	_ = tls.Certificate{}
}
