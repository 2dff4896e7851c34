// Package selfsigned makes the self-signed TLS certificates kubeplay
// serves with: its HTTP API's (its own authority, which the kubeconfig
// names) and the one a Docker pod's proxy answers the kubernetes Service
// with (which no client of the pod's can trust, as kubeplay gives the pods
// no cluster CA). It imports nothing of kubeplay's, so the guest binary
// that runs in pods can use it too.
package selfsigned

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"time"
)

// Request says what a certificate is for.
type Request struct {
	// Subject names who the certificate is.
	Subject pkix.Name
	// DNSNames and IPAddresses are the names a client may reach the
	// server by.
	DNSNames    []string
	IPAddresses []net.IP
	// Validity is how long it is valid from now (it is valid from an
	// hour before, for clocks a little behind).
	Validity time.Duration
	// Authority makes it its own certificate authority as well, so that a
	// client can be told to trust it (a kubeconfig's
	// certificate-authority-data).
	Authority bool
}

// New makes a certificate as r asks, signed by its own new ECDSA P-256
// key, with a random serial number: two certificates of one subject
// never share a serial, which a client that has seen one would refuse.
// Its Leaf is set.
func New(r Request) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	// The wall clock, not a cluster's: the client checks the validity
	// against its own.
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      r.Subject,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(r.Validity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     r.DNSNames,
		IPAddresses:  r.IPAddresses,
	}
	if r.Authority {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		tmpl.BasicConstraintsValid, tmpl.IsCA = true, true
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}
