package console

import (
	"fmt"
	"strings"
)

const faultUsage = `error: usage: fault kill-container POD [-c CONTAINER] [-n NAMESPACE]
       fault kill-sandbox POD [-n NAMESPACE]
       fault stop-node NODE
       fault start-node NODE`

// fault breaks something on purpose, to watch the cluster heal:
// kill-container kills a container at once (SIGKILL, exit code 137; for
// real on Docker), kill-sandbox kills a pod's sandbox (its pause
// container on Docker, as a daemon restart does), stop-node stops a node's kubelet, start-node starts it
// again.
func (con *Console) fault(args []string) int {
	if len(args) < 2 {
		fmt.Fprintln(con.kc.Err, faultUsage)
		return 1
	}
	var err error
	switch args[0] {
	case "kill-container":
		err = con.killContainer(args[1:])
	case "kill-sandbox":
		err = con.killSandbox(args[1:])
	case "stop-node", "start-node":
		if len(args) != 2 {
			fmt.Fprintln(con.kc.Err, faultUsage)
			return 1
		}
		if args[0] == "stop-node" {
			if err = con.c.StopNode(args[1]); err == nil {
				fmt.Fprintf(con.out, "kubeplay: the kubelet of %s stopped; its containers keep running, and the node goes NotReady when its status is overdue\n", args[1])
			}
		} else if err = con.c.StartNode(args[1]); err == nil {
			fmt.Fprintf(con.out, "kubeplay: the kubelet of %s started again\n", args[1])
		}
	default:
		fmt.Fprintln(con.kc.Err, faultUsage)
		return 1
	}
	if err != nil {
		fmt.Fprintln(con.kc.Err, "error: "+err.Error())
		return 1
	}
	return 0
}

func (con *Console) killContainer(args []string) error {
	flags, rest, err := wordArgs(args, map[string]string{"-c": "--container", "-n": "--namespace"}, "--container", "--namespace")
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

func (con *Console) killSandbox(args []string) error {
	flags, rest, err := wordArgs(args, map[string]string{"-n": "--namespace"}, "--namespace")
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
