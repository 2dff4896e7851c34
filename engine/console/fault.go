package console

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const faultUsage = `error: usage: fault kill-container POD [-c CONTAINER] [-n NAMESPACE]
       fault kill-sandbox POD [-n NAMESPACE]
       fault stop-node NODE
       fault start-node NODE`

// fault breaks something on purpose, to watch the cluster heal:
// kill-container kills a container at once (SIGKILL, exit code 137; for
// real on Docker), kill-sandbox kills a pod's sandbox (its pause
// container on Docker, as a daemon restart does), stop-node stops a
// node's kubelet, start-node starts it again. Each is a sub-command of
// fault in the tree of own words; fault alone, or with a word it does
// not know, prints its usage.
func (con *Console) faultUsage() int {
	fmt.Fprintln(con.kc.Err, faultUsage)
	return 1
}

// faultWith runs one of fault's sub-commands with the flags it declares:
// without arguments, or with an errUsage, it prints fault's usage.
func (con *Console) faultWith(f func(fs *pflag.FlagSet, args []string) error) func(*cobra.Command, []string) int {
	return func(c *cobra.Command, args []string) int {
		if len(args) == 0 {
			return con.faultUsage()
		}
		err := f(c.Flags(), args)
		switch {
		case errors.Is(err, errUsage):
			return con.faultUsage()
		case err != nil:
			fmt.Fprintln(con.kc.Err, "error: "+err.Error())
			return 1
		}
		return 0
	}
}

// kubeletFault is fault stop-node NODE, or start-node NODE when start:
// the node's kubelet stops, or starts again.
func (con *Console) kubeletFault(start bool) func(*pflag.FlagSet, []string) error {
	return func(_ *pflag.FlagSet, args []string) error {
		if len(args) != 1 {
			return errUsage
		}
		node := args[0]
		if start {
			if err := con.c.StartNode(node); err != nil {
				return err
			}
			fmt.Fprintf(con.out, "kubeplay: the kubelet of %s started again\n", node)
			return nil
		}
		if err := con.c.StopNode(node); err != nil {
			return err
		}
		fmt.Fprintf(con.out, "kubeplay: the kubelet of %s stopped; its containers keep running, and the node goes NotReady when its status is overdue\n", node)
		return nil
	}
}

func (con *Console) killContainer(fs *pflag.FlagSet, args []string) error {
	flags, rest, err := wordArgs(args, fs)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("usage: fault kill-container POD [-c CONTAINER] [-n NAMESPACE]")
	}
	pod, container, namespace := strings.TrimPrefix(rest[0], "pod/"), flags["--container"], flags["--namespace"]
	if namespace == "" {
		namespace = "default"
	}
	killed, err := con.c.KillContainer(namespace, pod, container)
	if err == nil {
		fmt.Fprintf(con.out, "kubeplay: killed container %s of pod %s (SIGKILL, exit code 137)\n", killed, pod)
	}
	return err
}

func (con *Console) killSandbox(fs *pflag.FlagSet, args []string) error {
	flags, rest, err := wordArgs(args, fs)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("usage: fault kill-sandbox POD [-n NAMESPACE]")
	}
	pod, namespace := strings.TrimPrefix(rest[0], "pod/"), flags["--namespace"]
	if namespace == "" {
		namespace = "default"
	}
	if err := con.c.KillSandbox(namespace, pod); err != nil {
		return err
	}
	fmt.Fprintf(con.out, "kubeplay: killed the sandbox of pod %s; the kubelet makes a new one (new pod IP) and restarts the pod's containers in it\n", pod)
	return nil
}
