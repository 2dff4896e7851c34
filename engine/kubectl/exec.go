package kubectl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/kubelet"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

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

// errNoStream: the runtime cannot attach a terminal; the command may run
// once instead.
var errNoStream = errors.New("no streaming exec")

func (s *Session) runExec(target string, command []string, o execOptions) error {
	shell := len(command) == 1 && shells[path.Base(command[0])]
	// -i with no here-document to read: what the learner types, where
	// the front end lends its terminal.
	lend := o.stdin && s.In == nil && s.Terminal != nil
	if shell && !lend && (o.stdin || o.tty) && s.In == nil {
		if !o.stdin {
			s.hintText("kubeplay: a shell reads what you type only with -i; try:\n  kubectl exec -it "+target+" -- "+command[0],
				"kubeplay: 셸에 입력하려면 -i가 필요합니다. 이렇게 해 보세요:\n  kubectl exec -it "+target+" -- "+command[0])
		} else {
			s.hintText("kubeplay: an interactive shell needs a terminal you type at (kubeplay, or kubeplay shell) and the Docker runtime. "+oneAtATime(target, bilingual.English),
				"kubeplay: 대화형 셸은 직접 입력하는 터미널(kubeplay 또는 kubeplay shell)과 Docker 런타임에서만 쓸 수 있습니다. "+oneAtATime(target, bilingual.Korean))
		}
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
	if lend {
		err := s.execOnTerminal(pod, cs.ContainerID, command, o.tty)
		switch {
		case !errors.Is(err, errNoStream):
			return err
		case shell:
			s.hintText("kubeplay: "+kubelet.ErrNoStream.Error()+" (kubeplay --runtime docker). "+oneAtATime(target, bilingual.English),
				"kubeplay: 대화형 세션(exec -it)은 Docker 런타임에서만 됩니다(kubeplay --runtime docker). 시뮬레이션 런타임은 명령을 끝까지 실행한 뒤 출력을 보여 줍니다. "+oneAtATime(target, bilingual.Korean))
			return exitError{1}
		}
		// Any other command runs once, to its end, as below.
	}
	var res runtime.ExecResult
	var xerr error
	run := func(kl backend.Kubelet) { res, xerr = kl.Exec(cs.ContainerID, command, kubelet.ExecTimeout) }
	if o.stdin && s.In != nil {
		// stdin is read to its end, then the command runs once, as the
		// HTTP API's exec does on the simulated runtime.
		input, err := io.ReadAll(s.In)
		if err != nil {
			return err
		}
		run = func(kl backend.Kubelet) {
			res, xerr = kl.ExecStdin(cs.ContainerID, command, input, kubelet.ExecTimeout)
		}
	}
	if err := s.viaKubelet(pod, sim.VerbExec, run); err != nil {
		return err
	}
	if errors.Is(xerr, kubelet.ErrNoStdin) {
		return fmt.Errorf("kubeplay: %v; run the command without -i", xerr)
	}
	if xerr != nil {
		return fmt.Errorf("unable to upgrade connection: container not found (%q)", name)
	}
	_, _ = s.Out.Write(res.Output)
	return exitCode(s, res.ExitCode)
}

// execOnTerminal runs command with the front end's terminal attached for
// as long as it runs; errNoStream when the runtime runs commands to their
// end instead (the simulated one).
func (s *Session) execOnTerminal(pod *corev1.Pod, containerID string, command []string, tty bool) error {
	var stream kubelet.StreamFunc
	var serr error
	if err := s.viaKubelet(pod, sim.VerbExec, func(kl backend.Kubelet) { stream, serr = kl.Stream(containerID) }); err != nil {
		return err
	}
	switch {
	case errors.Is(serr, kubelet.ErrNoStream):
		return errNoStream
	case serr != nil:
		return fmt.Errorf("unable to upgrade connection: %v", serr)
	}
	code, err := s.Terminal(tty, func(ctx context.Context, streams runtime.ExecStreams) (int, error) {
		return stream(ctx, command, streams)
	})
	if err != nil {
		return fmt.Errorf("error executing command in container: %v", err)
	}
	return exitCode(s, code)
}

// oneAtATime says what to do where no interactive shell can be had.
func oneAtATime(target string, lang bilingual.Lang) string {
	return lang.Pick("Here, run one command at a time, for example:", "여기서는 명령을 하나씩 실행하세요. 예:") +
		"\n  kubectl exec " + target + " -- sh -c 'ls /; env'"
}

// exitCode says how a command in a container ended, as kubectl does.
func exitCode(s *Session, code int) error {
	if code != 0 {
		fmt.Fprintf(s.Err, "command terminated with exit code %d\n", code)
		return exitError{code}
	}
	return nil
}

// hintText prints kubeplay's own words on stderr in the session's language.
func (s *Session) hintText(en, ko string) {
	fmt.Fprintln(s.Err, s.Lang.Pick(en, ko))
}
