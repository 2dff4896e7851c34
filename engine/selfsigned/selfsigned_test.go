package selfsigned

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"testing"
	"time"
)

// TestAuthorityIsTrustedForItsNames: a certificate made as its own
// authority verifies, by a pool holding just it, for every name and
// address it was asked for, and for no other.
func TestAuthorityIsTrustedForItsNames(t *testing.T) {
	cert, err := New(Request{Subject: pkix.Name{CommonName: "kubeplay"}, DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, Validity: time.Hour, Authority: true})
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	for _, name := range []string{"localhost", "127.0.0.1"} {
		if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "example.com"}); err == nil {
		t.Error("example.com verified; it is not the certificate's")
	}
}

// TestServerCertIsNoAuthority: a certificate not asked to be an authority
// cannot sign another, so a client cannot be told to trust it as a CA.
func TestServerCertIsNoAuthority(t *testing.T) {
	cert, err := New(Request{Subject: pkix.Name{CommonName: "kube-apiserver"}, DNSNames: []string{"kubernetes"}, Validity: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if cert.Leaf.IsCA || cert.Leaf.KeyUsage&x509.KeyUsageCertSign != 0 {
		t.Errorf("IsCA %v, key usage %b: want a server certificate only", cert.Leaf.IsCA, cert.Leaf.KeyUsage)
	}
	if got := cert.Leaf.NotAfter.Sub(cert.Leaf.NotBefore); got != time.Hour+time.Hour {
		t.Errorf("valid for %v, want the hour asked for and the hour before", got)
	}
}

// TestSerialsDiffer: two certificates of one subject never share a
// serial number (a client that has seen one refuses another with the same
// issuer and serial).
func TestSerialsDiffer(t *testing.T) {
	r := Request{Subject: pkix.Name{CommonName: "kube-apiserver"}, Validity: time.Hour}
	a, err := New(r)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(r)
	if err != nil {
		t.Fatal(err)
	}
	if a.Leaf.SerialNumber.Cmp(b.Leaf.SerialNumber) == 0 {
		t.Errorf("both serials are %v", a.Leaf.SerialNumber)
	}
}
