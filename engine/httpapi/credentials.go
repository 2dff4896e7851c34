package httpapi

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/kubeplay/kubeplay/engine/selfsigned"
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
	req := selfsigned.Request{
		Subject:     pkix.Name{CommonName: "kubeplay", Organization: []string{"kubeplay"}},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		Validity:    certValidity,
		Authority:   true,
	}
	if host, _, err := net.SplitHostPort(addr); err == nil {
		if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() {
			req.IPAddresses = append(req.IPAddresses, ip)
			if ip.IsUnspecified() {
				req.IPAddresses = append(req.IPAddresses, interfaceIPs()...)
				if name, err := os.Hostname(); err == nil {
					req.DNSNames = append(req.DNSNames, name)
				}
			}
		} else if ip == nil && host != "" && host != "localhost" {
			req.DNSNames = append(req.DNSNames, host)
		}
	}
	cert, err := selfsigned.New(req)
	if err != nil {
		return fmt.Errorf("making the API's certificate: %w", err)
	}
	cr.cert = &cert
	cr.pem = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
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
