package kubectl

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kubeplay/kubeplay/engine/proxy"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// port-forward listens on 127.0.0.1 and carries each connection to the
// pod: to its IP on Docker, to the simulated demo app on the simulated
// runtime (engine/proxy's Dial, which the HTTP API's pods/portforward uses
// too). A real kubectl blocks until Ctrl-C; in kubeplay's shell and TUI a
// command that never ends would freeze the prompt, so the forward runs in
// the background until `kubectl port-forward stop [LOCAL_PORT]` or the end
// of the session, and kubeplay says so.

func (s *Session) portForwardCmd() *cobra.Command {
	var addresses []string
	cmd := &cobra.Command{
		Use:   "port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]",
		Short: "Forward one or more local ports to a pod",
		Long: "Forward one or more local ports to a pod.\n\n" +
			"kubeplay: the forward runs in the background (a real kubectl holds the terminal until Ctrl-C);\n" +
			"'kubectl port-forward stop [LOCAL_PORT]' ends it, and so does the end of the session.",
		Example: "  kubectl port-forward pod/mypod 8080:80\n  kubectl port-forward deployment/web :8080\n  kubectl port-forward svc/web 8080:80\n  kubectl port-forward stop",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 && args[0] == "stop" && len(args) <= 2 {
				return s.stopForwards(args[1:])
			}
			if len(args) < 2 {
				return fmt.Errorf("TYPE/NAME and list of ports are required for port-forward\nSee '%s -h' for help and examples", c.CommandPath())
			}
			for _, a := range addresses {
				for _, one := range strings.Split(a, ",") {
					if one != "localhost" && one != "127.0.0.1" {
						s.hintText("kubeplay: port-forward listens on 127.0.0.1 only, never on "+one+", so nothing outside this machine reaches the playground",
							"kubeplay: port-forward는 127.0.0.1에서만 기다려요. "+one+"에서는 열지 않아요. 이 컴퓨터 밖에서는 놀이터에 닿을 수 없어요")
						return exitError{1}
					}
				}
			}
			return s.portForward(args[0], args[1:])
		},
	}
	cmd.Flags().StringSliceVar(&addresses, "address", []string{"localhost"}, "Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. kubeplay listens on 127.0.0.1 only.")
	cmd.Flags().Duration("pod-running-timeout", time.Minute, "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running")
	return cmd
}

// portPair is one LOCAL:REMOTE of the command line; local 0 is any free
// port.
type portPair struct{ local, remote uint16 }

func (s *Session) portForward(arg string, ports []string) error {
	if !strings.Contains(arg, "/") {
		arg = "pod/" + arg
	}
	pod, obj, _, err := s.podOf(arg)
	if err != nil {
		return err
	}
	if svc, ok := obj.(*corev1.Service); ok {
		if ports, err = servicePortsToTarget(ports, svc, pod); err != nil {
			return err
		}
	} else if ports, err = namedPortsToNumbers(ports, pod); err != nil {
		return err
	}
	if pod.Status.Phase != corev1.PodRunning {
		return fmt.Errorf("unable to forward port because pod is not running. Current status=%v", pod.Status.Phase)
	}
	pairs, err := parsePortPairs(ports)
	if err != nil {
		return err
	}
	var failed []string
	started := 0
	for _, pp := range pairs {
		ep, err := s.C.Network().PodEndpoint(pod.Namespace, pod.Name, int32(pp.remote))
		if err != nil {
			var nr proxy.PodNotRunningError
			if errors.As(err, &nr) {
				return fmt.Errorf("unable to forward port because %v", err)
			}
			return err
		}
		f, err := s.C.Network().StartForward(ep, int(pp.local), proxy.ForwardOptions{From: Name,
			Accepted: func(f *proxy.Forward) { fmt.Fprintf(s.Out, "Handling connection for %d\n", f.Local) },
			Failed: func(f *proxy.Forward, err error) {
				fmt.Fprintf(s.Err, "error: an error occurred forwarding %d -> %d: error forwarding port %d to pod %s: %v\n", f.Local, f.To.Port, f.To.Port, f.To.Pod, err)
			}})
		if err != nil {
			fmt.Fprintf(s.Err, "Unable to listen on port %d: Listeners failed to create with the following errors: [unable to create listener: Error %v]\n", pp.local, listenError(err))
			failed = append(failed, fmt.Sprintf("{%d %d}", pp.local, pp.remote))
			continue
		}
		started++
		fmt.Fprintf(s.Out, "Forwarding from 127.0.0.1:%d -> %d\n", f.Local, f.To.Port)
	}
	if started == 0 {
		return fmt.Errorf("unable to listen on any of the requested ports: [%s]", strings.Join(failed, " "))
	}
	s.hintText("kubeplay: port-forward keeps running in the background (a real kubectl would hold the terminal until Ctrl-C); "+
		"'kubectl port-forward stop' ends it, and so does leaving kubeplay",
		"kubeplay: port-forward는 뒤에서 계속 돌아요 (진짜 kubectl은 Ctrl-C를 누를 때까지 터미널을 붙잡아요). "+
			"'kubectl port-forward stop'으로 멈추거나 kubeplay를 끝내면 멈춰요")
	return nil
}

// listenError is a listen error as Go's net package words it for kubectl:
// "listen tcp4 127.0.0.1:8080: bind: address already in use".
func listenError(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Sprintf("listen tcp4 %v: bind: address already in use", op.Addr)
	}
	return err.Error()
}

// stopForwards is `port-forward stop [LOCAL_PORT]`, kubeplay's own: Ctrl-C
// for a forward running in the background.
func (s *Session) stopForwards(args []string) error {
	local := 0
	if len(args) == 1 {
		p, err := strconv.ParseUint(args[0], 10, 16)
		if err != nil || p == 0 {
			return fmt.Errorf("usage: kubectl port-forward stop [LOCAL_PORT], not %q", args[0])
		}
		local = int(p)
	}
	stopped := s.C.Network().StopForward(local)
	if len(stopped) == 0 {
		s.hintText("kubeplay: no port-forward is running"+map[bool]string{true: " on port " + strconv.Itoa(local), false: ""}[local != 0],
			"kubeplay: "+map[bool]string{true: strconv.Itoa(local) + " 포트에서 ", false: ""}[local != 0]+"돌고 있는 port-forward가 없어요")
		return exitError{1}
	}
	for _, f := range stopped {
		fmt.Fprintf(s.Out, s.Lang.Pick("kubeplay: stopped forwarding 127.0.0.1:%d -> pod/%s:%d\n",
			"kubeplay: 127.0.0.1:%d -> pod/%s:%d 전달을 멈췄어요\n"), f.Local, f.To.Pod, f.To.Port)
	}
	return nil
}

// splitPort is kubectl's: "8080:80" → 8080, 80; "80" → 80, 80; ":80" → "", 80.
func splitPort(port string) (local, remote string) {
	parts := strings.Split(port, ":")
	if len(parts) == 2 {
		return parts[0], parts[1]
	}
	return parts[0], parts[0]
}

// servicePortsToTarget is kubectl's translateServicePortToTargetPort: a
// Service's port becomes the pod's port its targetPort names.
func servicePortsToTarget(ports []string, svc *corev1.Service, pod *corev1.Pod) ([]string, error) {
	var out []string
	for _, port := range ports {
		local, remote := splitPort(port)
		num, err := strconv.Atoi(remote)
		if err != nil {
			found := false
			for _, sp := range svc.Spec.Ports {
				if sp.Name == remote {
					num, found = int(sp.Port), true
					break
				}
			}
			if !found {
				return nil, errorf("Service '%s' does not have a named port '%s'", svc.Name, remote)
			}
			if local == remote {
				local = strconv.Itoa(num)
			}
		}
		target, err := containerPortOfServicePort(svc, pod, int32(num))
		if err != nil {
			return nil, err
		}
		remote = strconv.Itoa(int(target))
		if local != remote {
			out = append(out, local+":"+remote)
		} else {
			out = append(out, remote)
		}
	}
	return out, nil
}

// containerPortOfServicePort is kubectl's LookupContainerPortNumberByServicePort.
func containerPortOfServicePort(svc *corev1.Service, pod *corev1.Pod, port int32) (int32, error) {
	for _, sp := range svc.Spec.Ports {
		if sp.Port != port {
			continue
		}
		switch {
		case sp.TargetPort.Type == intstr.Int && sp.TargetPort.IntVal == 0:
			return port, nil
		case sp.TargetPort.Type == intstr.Int:
			return sp.TargetPort.IntVal, nil
		}
		return containerPortNamed(pod, sp.TargetPort.StrVal)
	}
	return port, errorf("Service %s does not have a service port %d", svc.Name, port)
}

// namedPortsToNumbers is kubectl's convertPodNamedPortToNumber.
func namedPortsToNumbers(ports []string, pod *corev1.Pod) ([]string, error) {
	var out []string
	for _, port := range ports {
		local, remote := splitPort(port)
		if _, err := strconv.Atoi(remote); err != nil {
			num, err := containerPortNamed(pod, remote)
			if err != nil {
				return nil, err
			}
			if local == remote {
				out = append(out, strconv.Itoa(int(num)))
			} else {
				out = append(out, local+":"+strconv.Itoa(int(num)))
			}
			continue
		}
		out = append(out, port)
	}
	return out, nil
}

func containerPortNamed(pod *corev1.Pod, name string) (int32, error) {
	for _, c := range pod.Spec.Containers {
		for _, p := range c.Ports {
			if p.Name == name {
				return p.ContainerPort, nil
			}
		}
	}
	return 0, errorf("Pod '%s' does not have a named port '%s'", pod.Name, name)
}

// parsePortPairs reads LOCAL:REMOTE as client-go's portforward does.
func parsePortPairs(ports []string) ([]portPair, error) {
	var out []portPair
	for _, port := range ports {
		parts := strings.Split(port, ":")
		var local, remote string
		switch len(parts) {
		case 1:
			local, remote = parts[0], parts[0]
		case 2:
			local, remote = parts[0], parts[1]
		default:
			return nil, fmt.Errorf("invalid port format '%s'", port)
		}
		var pp portPair
		if local != "" {
			n, err := strconv.ParseUint(local, 10, 16)
			if err != nil {
				return nil, fmt.Errorf("error parsing local port '%s': %s", local, err)
			}
			pp.local = uint16(n)
		}
		n, err := strconv.ParseUint(remote, 10, 16)
		if err != nil {
			return nil, fmt.Errorf("error parsing remote port '%s': %s", remote, err)
		}
		if n == 0 {
			return nil, fmt.Errorf("remote port must be > 0")
		}
		pp.remote = uint16(n)
		out = append(out, pp)
	}
	return out, nil
}
