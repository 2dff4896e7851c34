package httpapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"time"
)

// credentials are what a run's API is reached with: a bearer token every
// request must carry, and the certificate it serves HTTPS with.
//
// Why HTTPS on loopback: kubectl (client-go's clientcmd) sends a
// kubeconfig's token only over TLS, and a browser will not send a page's
// request to a server whose certificate it does not trust, nor accept
// the certificate under a name a page rebinds to 127.0.0.1.
type credentials struct {
	token string
	cert  *tls.Certificate // made on the first Listen, for its address
	pem   []byte           // cert's certificate, the kubeconfig's certificate authority
}

func newCredentials() *credentials { return &credentials{token: newToken()} }

// newToken is a run's bearer token: 256 random bits.
func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on the systems Go supports; if it
		// did, a guessable token would be worse than none.
		panic("kubeplay: no random source for the API token: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// certValidity is how long a run's certificate is valid: longer than
// any run, short enough not to matter if one leaks.
const certValidity = 30 * 24 * time.Hour

// makeCert makes the run's self-signed certificate (its own authority,
// which the kubeconfig names) for the loopback names and the address
// served on; served on every interface, for each of the machine's
// addresses and its host name too.
func (cr *credentials) makeCert(addr string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "kubeplay", Organization: []string{"kubeplay"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if host, _, err := net.SplitHostPort(addr); err == nil {
		if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			if ip.IsUnspecified() {
				tmpl.IPAddresses = append(tmpl.IPAddresses, interfaceIPs()...)
				if name, err := os.Hostname(); err == nil {
					tmpl.DNSNames = append(tmpl.DNSNames, name)
				}
			}
		} else if ip == nil && host != "" && host != "localhost" {
			tmpl.DNSNames = append(tmpl.DNSNames, host)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return fmt.Errorf("making the API's certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	cr.cert = &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
	cr.pem = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return nil
}

// interfaceIPs are the machine's addresses.
func interfaceIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var ips []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() {
			ips = append(ips, n.IP)
		}
	}
	return ips
}
