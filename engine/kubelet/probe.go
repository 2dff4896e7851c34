package kubelet

import (
	"errors"
	"fmt"
	"github.com/kubeplay/kubeplay/engine/addons"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

type probeKind string

const (
	probeStartup   probeKind = "Startup"
	probeLiveness  probeKind = "Liveness"
	probeReadiness probeKind = "Readiness"
)

func (c *container) probeSpec(kind probeKind) *corev1.Probe {
	switch kind {
	case probeStartup:
		return c.spec.StartupProbe
	case probeLiveness:
		return c.spec.LivenessProbe
	}
	return c.spec.ReadinessProbe
}

// startProbes begins the probes of a freshly started container: the
// startup probe alone while it has not succeeded, then liveness and
// readiness.
func (kl *Kubelet) startProbes(w *podWorker, c *container) {
	if c.spec.StartupProbe != nil {
		kl.scheduleProbe(w, c, probeStartup, seconds(c.spec.StartupProbe.InitialDelaySeconds))
		return
	}
	kl.startupPassed(w, c)
}

func (kl *Kubelet) startupPassed(w *podWorker, c *container) {
	c.startupDone = true
	if c.spec.ReadinessProbe == nil {
		c.ready = true
	}
	for _, kind := range []probeKind{probeLiveness, probeReadiness} {
		if p := c.probeSpec(kind); p != nil {
			kl.scheduleProbe(w, c, kind, seconds(p.InitialDelaySeconds))
		}
	}
}

func seconds(n int32) time.Duration { return time.Duration(n) * time.Second }

func (kl *Kubelet) scheduleProbe(w *podWorker, c *container, kind probeKind, after time.Duration) {
	gen := c.gen
	schedule := kl.k.After
	if addons.Is(w.pod.Namespace, w.pod.Labels) {
		schedule = kl.k.AfterBackground // see runProbe
	}
	schedule(after, kl.name, strings.ToLower(string(kind))+" probe due", func() {
		if c.gen != gen || c.state != stateRunning || w.stopping || kl.stopped {
			return
		}
		kl.runProbe(w, c, kind)
	})
}

// runProbe runs one probe and reports its result as a hop from the runtime;
// with a real runtime the probe runs on its own goroutine.
func (kl *Kubelet) runProbe(w *podWorker, c *container, kind probeKind) {
	p := c.probeSpec(kind)
	target := probeTarget{id: c.id, ip: w.ip, spec: *c.spec}
	gen, object := c.gen, c.object()
	// A cluster add-on's probes (coredns's, every 10 s on each replica)
	// are shown only when they fail: their successes change nothing and
	// would fill the flow between a learner's own hops.
	addon := addons.Is(w.pod.Namespace, w.pod.Labels)
	run := func() {
		ok, output := kl.probe(target, p)
		result := "success"
		if !ok {
			result = "failure: " + output
		}
		h := simHop(kl.rtName, kl.name, sim.VerbProbe, object, fmt.Sprintf("%s probe %s", strings.ToLower(string(kind)), result))
		h.Internal, h.Background = ok && addon, ok && addon
		deliver := func() {
			if c.gen != gen || c.state != stateRunning || w.stopping {
				return
			}
			kl.probeResult(w, c, kind, p, ok, output)
		}
		if kl.async {
			kl.k.Inject(h, deliver)
		} else {
			kl.k.Send(kl.rt.Cost(sim.VerbProbe), h, deliver)
		}
	}
	if kl.async {
		go run()
	} else {
		run()
	}
}

// probeTarget is what a probe needs of its container, copied so that a
// probe on another goroutine reads nothing the kubelet may change.
type probeTarget struct {
	id, ip string
	spec   corev1.Container
}

func (kl *Kubelet) probeResult(w *podWorker, c *container, kind probeKind, p *corev1.Probe, ok bool, output string) {
	next := seconds(p.PeriodSeconds)
	if !ok {
		kl.event(w, corev1.EventTypeWarning, "Unhealthy", fmt.Sprintf("%s probe failed: %s", kind, output))
	}
	switch kind {
	case probeStartup:
		if ok {
			kl.startupPassed(w, c)
			kl.syncStatus(w)
			return
		}
		if c.bootFail++; c.bootFail >= p.FailureThreshold {
			c.bootFail = 0
			kl.restartFailed(w, c, kind)
			return
		}
	case probeLiveness:
		if ok {
			c.liveFails = 0
		} else if c.liveFails++; c.liveFails >= p.FailureThreshold {
			c.liveFails = 0
			kl.restartFailed(w, c, kind)
			return
		}
	case probeReadiness:
		if ok {
			c.readyFails = 0
			if c.readyOK++; c.readyOK >= p.SuccessThreshold && !c.ready {
				c.ready = true
				kl.syncStatus(w)
			}
		} else {
			c.readyOK = 0
			if c.readyFails++; c.readyFails >= p.FailureThreshold && c.ready {
				c.ready = false
				kl.syncStatus(w)
			}
		}
	}
	kl.scheduleProbe(w, c, kind, next)
}

// restartFailed kills a container whose startup or liveness probe failed
// failureThreshold times; its exit restarts it.
func (kl *Kubelet) restartFailed(w *podWorker, c *container, kind probeKind) {
	name := strings.ToLower(string(kind))
	kl.event(w, corev1.EventTypeNormal, "Killing", fmt.Sprintf("Container %s failed %s probe, will be restarted", c.spec.Name, name))
	kl.kill(w, c, name+" probe failed")
}

// probe runs a probe's handler against the container; the output is the
// message kubelet puts in its Unhealthy event.
func (kl *Kubelet) probe(c probeTarget, p *corev1.Probe) (bool, string) {
	timeout := seconds(p.TimeoutSeconds)
	switch {
	case p.Exec != nil:
		res, err := kl.rt.Exec(c.id, p.Exec.Command, timeout)
		if err != nil {
			return false, err.Error()
		}
		if res.TimedOut {
			return false, fmt.Sprintf("command %q timed out", strings.Join(p.Exec.Command, " "))
		}
		return res.ExitCode == 0, strings.TrimRight(string(res.Output), "\n")
	case p.HTTPGet != nil:
		port := resolvePort(p.HTTPGet.Port, c.spec)
		path := p.HTTPGet.Path
		if path == "" {
			path = "/"
		}
		scheme := orHTTP(p.HTTPGet.Scheme)
		url := fmt.Sprintf("%s://%s:%d%s", strings.ToLower(string(scheme)), c.ip, port, path)
		status, _, err := kl.rt.ProbeHTTP(c.id, port, path, scheme == corev1.URISchemeHTTPS, timeout)
		if err != nil {
			return false, fmt.Sprintf("Get %q: %s", url, dialError(c.ip, port, err))
		}
		if status < 200 || status >= 400 {
			return false, fmt.Sprintf("HTTP probe failed with statuscode: %d", status)
		}
		return true, ""
	case p.TCPSocket != nil:
		port := resolvePort(p.TCPSocket.Port, c.spec)
		if err := kl.rt.ProbeTCP(c.id, port, timeout); err != nil {
			return false, dialError(c.ip, port, err)
		}
		return true, ""
	case p.GRPC != nil:
		return false, "gRPC probes are not simulated by kubeplay"
	}
	return false, "probe has no handler"
}

func orHTTP(s corev1.URIScheme) corev1.URIScheme {
	if s == "" {
		return corev1.URISchemeHTTP
	}
	return s
}

func dialError(ip string, port int, err error) string {
	if errors.Is(err, runtime.ErrConnRefused) {
		return fmt.Sprintf("dial tcp %s:%d: connect: connection refused", ip, port)
	}
	return err.Error()
}

// resolvePort turns a probe's port, a number or a container port's name,
// into a number.
func resolvePort(port intstr.IntOrString, spec corev1.Container) int {
	if port.Type == intstr.Int {
		return port.IntValue()
	}
	for _, p := range spec.Ports {
		if p.Name == port.StrVal {
			return int(p.ContainerPort)
		}
	}
	return 0
}
