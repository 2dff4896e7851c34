package kubeproxy

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"path/filepath"
	"time"
)

// The ingress controller's Service (ingress-kubeplay/
// ingress-kubeplay-controller) from a pod. On the Docker runtime the
// controller's routing runs in kubeplay's process, which serves it on a
// unix socket in the node's kube-proxy folder (IngressSocket): the pod's
// rules send the Service's addresses (its cluster IP and ports, its
// endpoints) to a listener of the pod's proxy on 127.0.0.1, which passes
// each request on to that socket. No host port is opened and nothing
// listens on another interface.

// IngressServiceNamespace and IngressServiceName name the ingress
// controller's Service.
const IngressServiceNamespace, IngressServiceName = "ingress-kubeplay", "ingress-kubeplay-controller"

// IngressSocket is the socket's name in the kube-proxy folder.
const IngressSocket = "ingress.sock"

// ClientPodHeader carries, to the controller, the name of the pod a
// request comes from (EnvPod), for the flow's hops.
const ClientPodHeader = "X-Kubeplay-Client-Pod"

// listenIngress listens on 127.0.0.1 (a port the kernel picks) for the
// connections the pod's rules send to the ingress controller's Service,
// and passes each request on to the socket in dir, keeping its Host.
func listenIngress(dir string) (net.Listener, *http.Server, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	sock := filepath.Join(dir, IngressSocket)
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{Proxy: nil, DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, "unix", sock)
	}, MaxIdleConnsPerHost: 16, IdleConnTimeout: time.Minute}
	pod := os.Getenv(EnvPod)
	rp := &httputil.ReverseProxy{
		Transport: tr,
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme, r.Out.URL.Host = "http", "ingress"
			r.Out.Host = r.In.Host
			r.Out.Header.Set(ClientPodHeader, pod)
		},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) {
			// Nothing serves the socket: the controller is not running.
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	return ln, &http.Server{Handler: rp, ReadHeaderTimeout: 10 * time.Second}, nil
}
