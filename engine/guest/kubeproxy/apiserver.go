package kubeproxy

import (
	"crypto/tls"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/selfsigned"
	"github.com/kubeplay/kubeplay/engine/version"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The kubernetes Service (default/kubernetes, 10.96.0.1:443) from a pod.
// Its endpoint is the apiserver's address on the nodes' network
// (172.18.0.1:6443); on the Docker runtime nothing of kubeplay listens
// there, so each pod's proxy answers it itself, over TLS, as the
// apiserver answers a client without credentials (kubeplay mounts no
// service account token): AnonymousAnswer, the same answer the simulated
// runtime gives. Nothing reaches kubeplay's own API this way, whose
// origin and Host protections stay as they are.

// APIServiceNamespace and APIServiceName name the kubernetes Service.
const APIServiceNamespace, APIServiceName = "default", "kubernetes"

// AnonymousAnswer is what kube-apiserver answers a request without
// credentials: /version and the health checks, which anyone may read
// (system:public-info-viewer), and 403 Forbidden for the rest, as to
// system:anonymous.
func AnonymousAnswer(method, path string) (status int, contentType, body string) {
	path, _, _ = strings.Cut(path, "?")
	if method == http.MethodGet || method == http.MethodHead {
		switch path {
		case "/version", "/version/":
			b, _ := json.MarshalIndent(version.Info(), "", "  ")
			return http.StatusOK, "application/json", string(b)
		case "/healthz", "/livez", "/readyz":
			return http.StatusOK, "text/plain; charset=utf-8", "ok"
		}
	}
	verb := strings.ToLower(method)
	if verb == "head" {
		verb = "get"
	}
	b, _ := json.Marshal(metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: metav1.StatusFailure,
		Message: fmt.Sprintf("forbidden: User %q cannot %s path %q", "system:anonymous", verb, path), Reason: metav1.StatusReasonForbidden,
		Details: &metav1.StatusDetails{}, Code: http.StatusForbidden})
	return http.StatusForbidden, "application/json", string(b)
}

// listenAPI listens on 127.0.0.1 (a port the kernel picks) for the
// connections the pod's rules send to the kubernetes Service, with a
// certificate of its own for the names a pod uses for it (a client that
// checks it against the cluster's CA will not trust it: kubeplay gives
// the pods none).
func listenAPI() (net.Listener, *http.Server, error) {
	cert, err := selfsigned.New(selfsigned.Request{
		Subject: pkix.Name{CommonName: "kube-apiserver"},
		DNSNames: []string{"kubernetes", "kubernetes.default", "kubernetes.default.svc",
			"kubernetes.default.svc.cluster.local", "localhost"},
		IPAddresses: []net.IP{net.IPv4(10, 96, 0, 1), net.IPv4(172, 18, 0, 1)},
		Validity:    365 * 24 * time.Hour,
	})
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			status, ctype, body := AnonymousAnswer(r.Method, r.URL.RequestURI())
			w.Header().Set("Content-Type", ctype)
			w.WriteHeader(status)
			if r.Method != http.MethodHead {
				_, _ = w.Write([]byte(body))
			}
		}),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}},
	}
	return tls.NewListener(ln, srv.TLSConfig), srv, nil
}
