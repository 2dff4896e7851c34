package kubectl

import (
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/kubeplay/kubeplay/engine/kubelet"
	"github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

type execOptions struct {
	container  string
	stdin, tty bool
	quiet      bool
}

func (s *Session) execCmd() *cobra.Command {
	var o execOptions
	cmd := &cobra.Command{
		Use:   "exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]",
		Short: "Execute a command in a container",
		RunE: func(c *cobra.Command, args []string) error {
			dash := c.ArgsLenAtDash()
			var target string
			var command []string
			if len(args) > 0 && dash != 0 {
				target = args[0]
			}
			if dash > -1 {
				command = args[dash:]
			} else if len(args) > 1 {
				return fmt.Errorf("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee '%s -h' for help and examples", c.CommandPath())
			}
			if target == "" {
				return fmt.Errorf("pod or type/name must be specified")
			}
			if len(command) == 0 {
				return fmt.Errorf("you must specify at least one command for the container")
			}
			return s.runExec(target, command, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.container, "container", "c", "", "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen")
	f.BoolVarP(&o.stdin, "stdin", "i", false, "Pass stdin to the container")
	f.BoolVarP(&o.tty, "tty", "t", false, "Stdin is a TTY")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "Only print output from the remote session")
	return cmd
}

// shells are the commands that, alone, ask for an interactive session.
var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "zsh": true}

func (s *Session) runExec(target string, command []string, o execOptions) error {
	if (o.stdin || o.tty) && len(command) == 1 && shells[path.Base(command[0])] {
		s.hintText(
			"kubeplay: an interactive shell is not available in `kubeplay shell` yet; run one command at a time instead, for example:\n  kubectl exec "+target+" -- sh -c 'ls /; env'",
			"kubeplay: `kubeplay shell`에서는 아직 대화형 셸을 쓸 수 없습니다. 대신 명령을 하나씩 실행하세요. 예:\n  kubectl exec "+target+" -- sh -c 'ls /; env'")
		return exitError{1}
	}
	pod, err := s.podFor(target)
	if err != nil {
		return err
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return fmt.Errorf("cannot exec into a container in a completed pod; current phase is %s", pod.Status.Phase)
	}
	name := o.container
	if name == "" {
		// Only the default is chosen here: a name given with -c goes to
		// the apiserver as kubectl sends it, and the apiserver checks it.
		if name, err = s.containerFor(pod, "", o.quiet); err != nil {
			return err
		}
	} else if !hasContainer(pod, name) {
		return apierrors.NewBadRequest(fmt.Sprintf("container %s is not valid for pod %s", name, pod.Name))
	}
	cs, _ := containerStatus(pod, name)
	if pod.Spec.NodeName == "" || cs.State.Running == nil {
		return fmt.Errorf("unable to upgrade connection: container not found (%q)", name)
	}
	var res runtime.ExecResult
	var xerr error
	run := func(kl *kubelet.Kubelet) { res, xerr = kl.Exec(cs.ContainerID, command, kubelet.ExecTimeout) }
	if o.stdin && s.In != nil {
		// stdin is read to its end, then the command runs once, as the
		// HTTP API's exec does.
		input, err := io.ReadAll(s.In)
		if err != nil {
			return err
		}
		run = func(kl *kubelet.Kubelet) {
			res, xerr = kl.ExecStdin(cs.ContainerID, command, input, kubelet.ExecTimeout)
		}
	}
	if err := s.viaKubelet(pod, "exec", run); err != nil {
		return err
	}
	if errors.Is(xerr, kubelet.ErrNoStdin) {
		return fmt.Errorf("kubeplay: %v; run the command without -i", xerr)
	}
	if xerr != nil {
		return fmt.Errorf("unable to upgrade connection: container not found (%q)", name)
	}
	_, _ = s.Out.Write(res.Output)
	if res.ExitCode != 0 {
		fmt.Fprintf(s.Err, "command terminated with exit code %d\n", res.ExitCode)
		return exitError{res.ExitCode}
	}
	return nil
}

// hintText prints kubeplay's own words on stderr in the session's language.
func (s *Session) hintText(en, ko string) {
	if s.Lang == "ko" {
		fmt.Fprintln(s.Err, ko)
		return
	}
	fmt.Fprintln(s.Err, en)
}
