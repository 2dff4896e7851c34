package kubectl

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/printers"
	"github.com/kubeplay/kubeplay/engine/version"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilnet "k8s.io/apimachinery/pkg/util/net"
)

// ClientVersion is what `kubectl version` says the built-in kubectl is.
const ClientVersion = version.Git

// kustomizeVersion is the kustomize kubectl 1.33 embeds.
const kustomizeVersion = "v5.6.0"

// apiServerURL is where kubeplay's apiserver would listen; the playground
// serves no HTTP yet, but kubectl names it in cluster-info.
const apiServerURL = "https://127.0.0.1:6443"

type runOptions struct {
	image, restart string
	labels         string
	env            []string
	port           string
	command        bool
	dryRun, output string
	attachOptions
}

func (s *Session) runCmd() *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...]",
		Short: "Run a particular image on the cluster",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("NAME is required for run\nSee '%s -h' for help and examples", c.CommandPath())
			}
			if o.image == "" {
				return fmt.Errorf("--image is required")
			}
			if err := o.attachOptions.complete(c, o.dryRun); err != nil {
				return err
			}
			return s.runPod(args[0], args[1:], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.image, "image", "", "The image for the container to run.")
	f.StringVar(&o.restart, "restart", "Always", "The restart policy for this Pod.  Legal values [Always, OnFailure, Never].")
	f.StringVarP(&o.labels, "labels", "l", "", "Comma separated labels to apply to the pod. Will override previous values.")
	f.StringArrayVar(&o.env, "env", nil, "Environment variables to set in the container.")
	f.StringVar(&o.port, "port", "", "The port that this container exposes.")
	f.BoolVar(&o.command, "command", false, "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default.")
	f.StringVar(&o.dryRun, "dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it.")
	f.StringVarP(&o.output, "output", "o", "", "Output format. One of: (json, yaml, name).")
	o.attachOptions.flags(f)
	return cmd
}

// runPod builds the pod `kubectl run` makes (its run=NAME label, one
// container named after the pod) and creates it.
func (s *Session) runPod(name string, args []string, o runOptions) error {
	policy := corev1.RestartPolicy(o.restart)
	switch policy {
	case corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever:
	default:
		return fmt.Errorf("invalid restart policy: %s", o.restart)
	}
	labels := map[string]string{"run": name}
	if o.labels != "" {
		labels = map[string]string{}
		for _, kv := range strings.Split(o.labels, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("invalid label spec: %s", kv)
			}
			labels[k] = v
		}
	}
	c := corev1.Container{Name: name, Image: o.image, Stdin: o.stdin, StdinOnce: o.stdin, TTY: o.tty}
	if o.command {
		c.Command = args
	} else {
		c.Args = args
	}
	for _, e := range o.env {
		k, v, ok := strings.Cut(e, "=")
		if !ok {
			return fmt.Errorf("invalid env: %s", e)
		}
		c.Env = append(c.Env, corev1.EnvVar{Name: k, Value: v})
	}
	if o.port != "" {
		p, err := strconv.ParseInt(o.port, 10, 32)
		if err != nil {
			return fmt.Errorf("invalid port %q: %v", o.port, err)
		}
		c.Ports = []corev1.ContainerPort{{ContainerPort: int32(p)}}
	}
	pod := &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: corev1.PodSpec{Containers: []corev1.Container{c}, RestartPolicy: policy,
			DNSPolicy: corev1.DNSClusterFirst},
	}
	switch o.dryRun {
	case "none", "":
	case "client":
		if o.output != "" {
			return printers.PrintObjects(s.Out, []runtime.Object{pod}, o.output, false)
		}
		fmt.Fprintf(s.Out, "pod/%s created (dry run)\n", name)
		return nil
	default:
		//lint:ignore ST1005 kubectl's exact wording
		return fmt.Errorf("Invalid dry-run value (%s). Must be \"none\", \"server\", or \"client\".", o.dryRun)
	}
	if o.attach {
		return s.runAttached(pod, o.attachOptions)
	}
	return s.createObject(pod)
}

func (s *Session) versionCmd() *cobra.Command {
	var client bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the client and server version information",
		RunE: func(_ *cobra.Command, _ []string) error {
			fmt.Fprintf(s.Out, "Client Version: %s\nKustomize Version: %s\n", ClientVersion, kustomizeVersion)
			if !client {
				fmt.Fprintf(s.Out, "Server Version: %s\n", ClientVersion)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&client, "client", false, "If true, shows client version only (no server required).")
	return cmd
}

func (s *Session) apiResourcesCmd() *cobra.Command {
	var namespaced string
	var noHeaders bool
	cmd := &cobra.Command{
		Use:   "api-resources",
		Short: "Print the supported API resources on the server",
		RunE: func(c *cobra.Command, _ []string) error {
			res := append([]*apiserver.Resource(nil), apiserver.Resources()...)
			// kubectl sorts by group, then by name.
			sort.SliceStable(res, func(i, j int) bool {
				if res[i].Group != res[j].Group {
					return res[i].Group < res[j].Group
				}
				return res[i].Name < res[j].Name
			})
			w := newTabWriter(s.Out)
			if !noHeaders {
				fmt.Fprintln(w, "NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND")
			}
			for _, r := range res {
				if c.Flags().Changed("namespaced") && strconv.FormatBool(r.Namespaced) != namespaced {
					continue
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%t\t%s\n", r.Name, strings.Join(r.ShortNames, ","), r.APIVersion(), r.Namespaced, r.Kind)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&namespaced, "namespaced", "true", "If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.")
	cmd.Flags().BoolVar(&noHeaders, "no-headers", false, "When using the default or custom-column output format, don't print headers (default print headers).")
	return cmd
}

func (s *Session) clusterInfoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "cluster-info",
		Short: "Display cluster information",
		RunE: func(_ *cobra.Command, _ []string) error {
			// kubectl colours the names and addresses, on a terminal or not.
			running := func(name, link string) {
				fmt.Fprintf(s.Out, "\x1b[0;32m%s\x1b[0m is running at \x1b[0;33m%s\x1b[0m\n", name, link)
			}
			running("Kubernetes control plane", apiServerURL)
			// Then, as kubectl, the kube-system Services labelled
			// kubernetes.io/cluster-service=true (kube-dns: "CoreDNS"),
			// each at the apiserver's proxy to its first port.
			svcs, _ := apiserver.ResourceFor("services")
			objs, err := s.list(svcs, metav1.NamespaceSystem)
			if err != nil {
				return err
			}
			for _, o := range objs {
				svc := o.(*corev1.Service)
				if svc.Labels["kubernetes.io/cluster-service"] != "true" {
					continue
				}
				target := svc.Name
				if len(svc.Spec.Ports) > 0 {
					p := svc.Spec.Ports[0]
					scheme := ""
					if p.Name == "https" || p.Port == 443 {
						scheme = "https"
					}
					target = utilnet.JoinSchemeNamePort(scheme, svc.Name, p.Name)
				}
				name := svc.Labels["kubernetes.io/name"]
				if name == "" {
					name = svc.Name
				}
				running(name, apiServerURL+"/api/v1/namespaces/"+svc.Namespace+"/services/"+target+"/proxy")
			}
			fmt.Fprintln(s.Out, "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")
			return nil
		},
	}
}
