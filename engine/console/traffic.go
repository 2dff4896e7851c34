package console

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/guest/demoapp"
	"github.com/kubeplay/kubeplay/engine/proxy"

	"github.com/spf13/cobra"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// target is what curl and load send to: a Service port and a path.
type target struct {
	namespace, service string
	port               int32 // 0: the Service's first port
	path               string
	nodePort           int32 // set when named as 127.0.0.1:PORT
}

// parseTarget reads svc/NAME[:PORT][/path] or
// http://127.0.0.1:NODEPORT[/path].
func (con *Console) parseTarget(arg string) (target, error) {
	ns := con.kc.Namespace
	if ns == "" {
		ns = "default"
	}
	t := target{namespace: ns, path: "/"}
	rest, isSvc := strings.CutPrefix(arg, "svc/")
	if !isSvc {
		rest, isSvc = strings.CutPrefix(arg, "service/")
	}
	if !isSvc {
		rest = strings.TrimPrefix(strings.TrimPrefix(arg, "http://"), "https://")
	}
	hostport, path, hasPath := strings.Cut(rest, "/")
	if hasPath {
		t.path = "/" + path
	}
	host, portStr, hasPort := strings.Cut(hostport, ":")
	if hasPort {
		p, err := strconv.Atoi(portStr)
		if err != nil || p < 1 || p > 65535 {
			return t, fmt.Errorf("%q is not a port number", portStr)
		}
		t.port = int32(p)
	}
	if isSvc {
		t.service = host
		return t, nil
	}
	if host != "127.0.0.1" && host != "localhost" {
		return t, fmt.Errorf("kubeplay's curl reaches svc/NAME and NodePorts on 127.0.0.1 only, not %s", host)
	}
	if !hasPort {
		return t, fmt.Errorf("name the NodePort, as in curl http://127.0.0.1:30080/")
	}
	ns, svc, port, ok := con.c.Network().ServiceOfNodePort(t.port)
	if !ok {
		return t, fmt.Errorf("curl: (7) Failed to connect to 127.0.0.1 port %d: Connection refused (no Service has NodePort %d)", t.port, t.port)
	}
	t.nodePort, t.namespace, t.service, t.port = t.port, ns, svc, port
	return t, nil
}

// lookUp finds the target's Service, answering as the apiserver does for
// one that is not there, and names its first port when none was given.
func (con *Console) lookUp(t *target) error {
	res, _ := apiserver.ResourceFor("services")
	obj, err := con.c.Get(res, t.namespace, t.service)
	var se *apierrors.StatusError
	if errors.As(err, &se) {
		return kubectlError(fmt.Sprintf("Error from server (%s): %s", se.ErrStatus.Reason, se.ErrStatus.Message))
	}
	if err != nil {
		return err
	}
	if svc := obj.(*corev1.Service); t.port == 0 && len(svc.Spec.Ports) > 0 {
		t.port = svc.Spec.Ports[0].Port
	}
	return nil
}

// kubectlError is a message worded as kubectl prints it, capital included.
type kubectlError string

func (e kubectlError) Error() string { return string(e) }

// runUntil lets cluster time pass until done, as the shell's commands do.
func (con *Console) runUntil(limit time.Duration, done func() bool) bool {
	if con.opts.Wait != nil {
		return con.opts.Wait(limit, done)
	}
	return con.c.Wait(limit, done)
}

// curl is `curl svc/NAME[:PORT][/path]` or `curl http://127.0.0.1:PORT/path`:
// one GET through kube-proxy's round robin; it prints the body and the
// pod that answered.
func (con *Console) curl(args []string) int {
	var arg, host string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-s" || a == "-S" || a == "-sS" || a == "--silent" || a == "--show-error":
		case a == "-H" || a == "--header":
			if i+1 == len(args) {
				fmt.Fprintf(con.kc.Err, "curl: option %s: requires parameter\n", a)
				return 2
			}
			i++
			if name, value, ok := strings.Cut(args[i], ":"); ok && strings.EqualFold(strings.TrimSpace(name), "host") {
				host = strings.TrimSpace(value)
			}
		case strings.HasPrefix(a, "-"):
			fmt.Fprintf(con.kc.Err, "error: kubeplay's curl takes no %s; usage: curl svc/NAME[:PORT][/path]\n", a)
			return 1
		case arg == "":
			arg = a
		default:
			fmt.Fprintln(con.kc.Err, "error: usage: curl svc/NAME[:PORT][/path]")
			return 1
		}
	}
	if arg == "" {
		fmt.Fprintln(con.kc.Err, "error: usage: curl svc/NAME[:PORT][/path] or curl http://127.0.0.1:NODEPORT/path")
		return 1
	}
	if code, ok := con.curlIngress(arg, host); ok {
		return code
	}
	t, err := con.parseTarget(arg)
	if err != nil {
		fmt.Fprintln(con.kc.Err, errorText(err))
		return 1
	}
	if err := con.lookUp(&t); err != nil {
		fmt.Fprintln(con.kc.Err, err.Error())
		return 1
	}
	if t.nodePort != 0 && !con.c.Capabilities().SimulatedContainers && listening(con.c.Network(), t.nodePort) {
		return con.curlLoopback(t)
	}
	var a proxy.Answer
	answered := false
	con.c.Network().Do(t.namespace, t.service, t.port, t.path, func(x proxy.Answer) { a, answered = x, true })
	con.runUntil(proxy.RequestTimeout+time.Second, func() bool { return answered })
	if !answered {
		fmt.Fprintf(con.kc.Err, "curl: (28) Operation timed out after %d milliseconds\n", proxy.RequestTimeout.Milliseconds())
		return 28
	}
	return con.printAnswer(t, a)
}

func listening(p backend.Network, port int32) bool {
	for _, l := range p.Listening() {
		if l == port {
			return true
		}
	}
	return false
}

// curlLoopback sends a real GET to a node port's listener (Docker): the
// same path a curl from another terminal takes.
func (con *Console) curlLoopback(t target) int {
	client := &http.Client{Timeout: proxy.RequestTimeout, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d%s", t.nodePort, t.path))
	if err != nil {
		fmt.Fprintf(con.kc.Err, "curl: (7) Failed to connect to 127.0.0.1 port %d: %v\n", t.nodePort, err)
		return 7
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	fmt.Fprint(con.out, string(body))
	return 0
}

func (con *Console) printAnswer(t target, a proxy.Answer) int {
	var none proxy.NoEndpointsError
	switch {
	case errors.As(a.Err, &none):
		fmt.Fprintf(con.kc.Err, "curl: (7) Failed to connect to %s port %d: Connection refused\n", t.service, t.port)
		fmt.Fprintf(con.kc.Err, "kubeplay: service %s has no ready endpoints (kubectl get endpoints %s)\n", t.service, t.service)
		return 7
	case a.Err != nil && a.Endpoint.IP != "":
		fmt.Fprintf(con.kc.Err, "curl: (7) Failed to connect to %s: Connection refused\n", t.service)
		fmt.Fprintf(con.kc.Err, "kubeplay: kube-proxy sent it to pod %s (%s), which did not accept it\n", a.Endpoint.Pod, a.Endpoint.Addr())
		return 7
	case a.Err != nil:
		// The Service exists (looked up above) but kube-proxy has not
		// programmed it yet: it syncs at most once per MinSyncPeriod.
		fmt.Fprintf(con.kc.Err, "curl: (7) Failed to connect to %s port %d: Connection refused\n", t.service, t.port)
		fmt.Fprintf(con.kc.Err, "kubeplay: kube-proxy has no rule for service %s yet: it syncs at most once every %s (%v)\n", t.service, proxy.MinSyncPeriod, a.Err)
		return 7
	}
	fmt.Fprint(con.out, a.Body)
	if a.Body != "" && !strings.HasSuffix(a.Body, "\n") {
		fmt.Fprintln(con.out)
	}
	fmt.Fprintf(con.out, "(HTTP %d from pod %s, %s)\n", a.Status, a.Endpoint.Pod, a.Endpoint.Addr())
	return 0
}

// say prints one of kubeplay's own lines, in the session's language.
func (con *Console) say(en, ko string) {
	fmt.Fprintln(con.out, con.opts.Lang.Pick(en, ko))
}

func errorText(err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, "error: ") || strings.HasPrefix(msg, "curl: ") {
		return msg
	}
	return "error: " + msg
}

// load is `load svc/NAME[:PORT][/path] --rps N --for DURATION`: steady
// traffic through kube-proxy's round robin, bounded in rate, count and
// time; at the end it prints requests, errors, latency and the answers
// of each pod.
func (con *Console) load(c *cobra.Command, args []string) int {
	usage := "error: usage: load svc/NAME[:PORT][/path] --rps N --for 30s"
	flags, arg, err := wordArg(args, c.Flags())
	if err != nil {
		con.printWordError(err, usage)
		return 1
	}
	rps, dur := 10, 30*time.Second
	if v, ok := flags["--rps"]; ok {
		if rps, err = strconv.Atoi(v); err != nil {
			fmt.Fprintf(con.kc.Err, "error: --rps %q is not a number\n", v)
			return 1
		}
	}
	if v, ok := flags["--for"]; ok {
		if dur, err = demoapp.ParseDuration(v); err != nil {
			fmt.Fprintf(con.kc.Err, "error: --for %q is not a duration; try 30s or 1m\n", v)
			return 1
		}
	}
	if arg == "" {
		fmt.Fprintln(con.kc.Err, usage)
		return 1
	}
	t, err := con.parseTarget(arg)
	if err == nil {
		err = con.lookUp(&t)
	}
	if err != nil {
		fmt.Fprintln(con.kc.Err, errorText(err))
		return 1
	}
	l, err := con.c.Network().StartLoad(proxy.LoadOptions{Namespace: t.namespace, Service: t.service, Port: t.port, Path: t.path, RPS: rps, For: dur})
	if err != nil {
		fmt.Fprintln(con.kc.Err, errorText(err))
		return 1
	}
	if !con.runUntil(dur+proxy.RequestTimeout+time.Second, l.Done) && !l.Done() {
		// Interrupted (the TUI's esc): send no more; what is in flight
		// still counts, for the live pane.
		l.Stop()
	}
	con.printReport(t, rps, dur, l.Report())
	return 0
}

func (con *Console) printReport(t target, rps int, dur time.Duration, r proxy.Report) {
	fmt.Fprintf(con.out, "load svc/%s: %d requests at %d/s for %s\n", t.service, r.Sent, rps, dur)
	fmt.Fprintf(con.out, "requests %d, answered %d, errors %d\n", r.Sent, r.Answered, r.Errors)
	if r.Stopped {
		con.say(fmt.Sprintf("kubeplay: stopped after %d of %d requests", r.Sent, r.Total),
			fmt.Sprintf("kubeplay: 요청 %d개 중 %d개를 보내고 멈췄어요", r.Total, r.Sent))
	}
	lat := fmt.Sprintf("latency p50 %s, p99 %s", r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond))
	if con.c.Capabilities().SimulatedContainers {
		lat += " (simulated: every answer takes " + proxy.SimLatency.String() + ")"
	}
	fmt.Fprintln(con.out, lat)
	w := tabwriter.NewWriter(con.out, 0, 8, 3, ' ', 0)
	fmt.Fprintln(w, "POD\tOK\tERRORS")
	for _, pc := range r.PerPod {
		fmt.Fprintf(w, "%s\t%d\t%d\n", pc.Pod, pc.OK, pc.Errs)
	}
	if r.NoEndpoint > 0 {
		fmt.Fprintf(w, "(no ready endpoint)\t0\t%d\n", r.NoEndpoint)
	}
	w.Flush()
}

// curlIngress is a curl to the ingress controller's address,
// http://127.0.0.1:PORT/path with the Host header given (-H 'Host: …') or
// 127.0.0.1:PORT; ok is false when arg names another address.
func (con *Console) curlIngress(arg, host string) (code int, ok bool) {
	rest, isURL := strings.CutPrefix(arg, "http://")
	if !isURL {
		return 0, false
	}
	hostport, path, _ := strings.Cut(rest, "/")
	addr, portStr, _ := strings.Cut(hostport, ":")
	port, err := strconv.Atoi(portStr)
	if (addr != "127.0.0.1" && addr != "localhost") || err != nil {
		return 0, false
	}
	if host == "" {
		host = hostport
	}
	var a proxy.Answer
	answered := false
	if !con.c.Network().Ingress(int32(port), host, "/"+path, func(x proxy.Answer) { a, answered = x, true }) {
		return 0, false
	}
	con.runUntil(proxy.RequestTimeout+time.Second, func() bool { return answered })
	lang := con.opts.Lang
	switch {
	case !answered:
		fmt.Fprintf(con.kc.Err, "curl: (28) Operation timed out after %d milliseconds\n", proxy.RequestTimeout.Milliseconds())
		return 28, true
	case a.Err != nil: // Refused (a backend pod's refusal is the controller's 502 page)
		fmt.Fprintf(con.kc.Err, "curl: (7) Failed to connect to %s port %d: Connection refused\n", addr, port)
		fmt.Fprintln(con.kc.Err, lang.Pick("kubeplay: the ingress controller has no available pod yet (kubectl get pods -n ingress-kubeplay)",
			"kubeplay: 인그레스 컨트롤러 파드가 아직 준비되지 않았어요 (kubectl get pods -n ingress-kubeplay)"))
		return 7, true
	}
	fmt.Fprint(con.out, a.Body)
	if a.Body != "" && !strings.HasSuffix(a.Body, "\n") {
		fmt.Fprintln(con.out)
	}
	if a.Endpoint.Pod == "" {
		fmt.Fprintf(con.out, lang.Pick("(HTTP %d from the ingress controller: %s)\n", "(인그레스 컨트롤러의 HTTP %d: %s)\n"), a.Status, ingressWhy(lang, a.Status))
		return 0, true
	}
	fmt.Fprintf(con.out, lang.Pick("(HTTP %d from pod %s, %s, through the ingress controller)\n", "(파드 %[2]s(%[3]s)의 HTTP %[1]d, 인그레스 컨트롤러를 거쳐서)\n"),
		a.Status, a.Endpoint.Pod, a.Endpoint.Addr())
	return 0, true
}

// ingressWhy says why the ingress controller answered itself.
func ingressWhy(lang bilingual.Lang, status int) string {
	switch status {
	case http.StatusNotFound:
		return lang.Pick("no rule matches the host and path, and there is no default backend",
			"호스트와 경로에 맞는 규칙도, 기본 백엔드도 없어요")
	case http.StatusBadGateway:
		return lang.Pick("no pod of the backend Service took the request, in 3 tries as ingress-nginx makes them",
			"백엔드 서비스의 파드가 요청을 받지 않았어요. ingress-nginx처럼 3번 시도했어요")
	case http.StatusGatewayTimeout:
		return lang.Pick("no pod of the backend Service answered in time, in 3 tries as ingress-nginx makes them",
			"백엔드 서비스의 파드가 제때 답하지 않았어요. ingress-nginx처럼 3번 시도했어요")
	}
	return lang.Pick("the backend Service does not exist or has no ready endpoint",
		"백엔드 서비스가 없거나 준비된 엔드포인트가 없어요")
}
