package kubectl

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
)

// attachOptions are kubectl run's flags for staying with the pod it
// makes: -i, -t, --attach, --rm.
type attachOptions struct {
	stdin, tty, attach, rm bool
	quiet                  bool
}

func (o *attachOptions) flags(f *pflag.FlagSet) {
	f.BoolVarP(&o.stdin, "stdin", "i", false, "Keep stdin open on the container in the pod, even if nothing is attached.")
	f.BoolVarP(&o.tty, "tty", "t", false, "Allocate a TTY for the container in the pod.")
	f.BoolVar(&o.attach, "attach", false, "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned.")
	f.BoolVar(&o.rm, "rm", false, "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'.")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "If true, suppress prompt messages.")
}

// complete checks the flags together as kubectl run does: -i attaches
// unless --attach says otherwise, -t needs -i, --rm needs attaching.
func (o *attachOptions) complete(c *cobra.Command, dryRun string) error {
	if !c.Flags().Changed("attach") && o.stdin {
		o.attach = true
	}
	usage := "\nSee '" + c.CommandPath() + " -h' for help and examples"
	switch {
	case o.tty && !o.stdin:
		return fmt.Errorf("-i/--stdin is required for containers with -t/--tty=true%s", usage)
	case o.rm && !o.attach:
		return fmt.Errorf("--rm should only be used for attached containers%s", usage)
	case o.attach && dryRun != "none" && dryRun != "":
		return fmt.Errorf("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)%s", usage)
	}
	return nil
}

// podRunningTimeout is kubectl's --pod-running-timeout default.
const podRunningTimeout = time.Minute

// runAttached creates the pod and stays with it as kubectl run -i/-t/--attach
// does. The prompt is no terminal the container can have (as for exec
// -it), so kubectl's fallback is what happens: the container's output is
// printed as it comes, as `logs -f` prints it, until the container ends;
// then, with --rm, the pod is deleted, and a failed container's exit code
// is the command's.
func (s *Session) runAttached(pod *corev1.Pod, o attachOptions) error {
	pod.Namespace = s.Namespace
	if c := pod.Spec.Containers[0]; o.stdin && s.In == nil {
		if words := append(append([]string{}, c.Command...), c.Args...); len(words) == 1 && shells[path.Base(words[0])] {
			example := "\n  kubectl run " + pod.Name + " --image=" + c.Image + " --restart=Never --rm -i -- sh -c 'ls /; env'"
			s.hintText("kubeplay: kubectl run gives the container no terminal to type at here, so the shell reads nothing and ends. Run one command at a time, for example:"+example,
				"kubeplay: 여기서 kubectl run은 컨테이너에 입력할 터미널을 주지 못해 셸이 아무것도 읽지 못하고 끝납니다. 명령을 하나씩 실행하세요. 예:"+example)
		}
	}
	if _, err := s.call(apiserver.Request{Verb: sim.VerbCreate, Object: pod}); err != nil {
		return err
	}
	current := func() *corev1.Pod {
		if obj, err := s.C.Get(resPods, pod.Namespace, pod.Name); err == nil {
			return obj.(*corev1.Pod)
		}
		return nil
	}
	// kubectl removes the pod on its way out, whatever the outcome,
	// before it prints the error it returns.
	remove := func() {
		if o.rm {
			if err := s.deleteOne(target{resPods, pod.Name}, pod.Namespace, nil, deleteOptions{}); err != nil {
				s.printError(err)
			}
		}
	}
	ended := func(p *corev1.Pod) bool {
		return p == nil || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
	}
	if !s.runUntil(podRunningTimeout, func() bool {
		p := current()
		return ended(p) || p.Status.Phase == corev1.PodRunning
	}) {
		remove()
		return fmt.Errorf("timed out waiting for the condition")
	}
	// The container instance attached to: while it still runs, kubectl
	// would still be attached.
	instance := func(p *corev1.Pod) string {
		if ended(p) || len(p.Status.ContainerStatuses) == 0 || p.Status.ContainerStatuses[0].State.Running == nil {
			return ""
		}
		return p.Status.ContainerStatuses[0].ContainerID
	}
	attached := instance(current())
	if p := current(); !ended(p) {
		if o.tty && !o.quiet {
			// kubectl says it whenever the container has a TTY, even
			// where it cannot lend it one.
			fmt.Fprintln(s.Err, "Unable to use a TTY - input is not a terminal or the right kind of file")
			fmt.Fprintln(s.Err, "If you don't see a command prompt, try pressing enter.")
		}
	}
	if err := s.runLogs(pod.Name, logsOptions{follow: true, tail: -1}); err != nil {
		remove()
		return err
	}
	p := current()
	if pod.Spec.RestartPolicy != corev1.RestartPolicyAlways && !ended(p) {
		// The kubelet reports the end a moment after the log ends.
		s.runUntil(5*time.Second, func() bool { return ended(current()) })
		p = current()
	}
	if attached != "" && instance(p) == attached {
		s.hintText(fmt.Sprintf("kubeplay: pod %s is still running; stopped following it. Delete it with: kubectl delete pod %s", pod.Name, pod.Name),
			fmt.Sprintf("kubeplay: 파드 %s가 아직 실행 중이라 따라가기를 멈췄습니다. 지우려면: kubectl delete pod %s", pod.Name, pod.Name))
		return nil
	}
	remove()
	if p == nil || p.Status.Phase != corev1.PodFailed {
		return nil
	}
	if len(p.Status.ContainerStatuses) == 0 || p.Status.ContainerStatuses[0].State.Terminated == nil ||
		p.Status.ContainerStatuses[0].State.Terminated.ExitCode == 0 {
		return fmt.Errorf("pod %s/%s failed with unknown exit code", p.Namespace, p.Name)
	}
	t := p.Status.ContainerStatuses[0].State.Terminated
	s.printError(fmt.Errorf("%s", strings.TrimSuffix(fmt.Sprintf("pod %s/%s terminated (%s)\n%s", p.Namespace, p.Name, t.Reason, t.Message), "\n")))
	return exitError{int(t.ExitCode)}
}
