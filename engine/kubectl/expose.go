package kubectl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

type exposeOptions struct {
	port, targetPort, svcType, name, protocol string
}

func (s *Session) exposeCmd() *cobra.Command {
	var o exposeOptions
	cmd := &cobra.Command{
		Use:   "expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--type=type]",
		Short: "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
		RunE: func(_ *cobra.Command, args []string) error {
			return s.runExpose(args, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.port, "port", "", "The port that the service should serve on. Copied from the resource being exposed, if unspecified")
	f.StringVar(&o.targetPort, "target-port", "", "Name or number for the port on the container that the service should direct traffic to. Optional.")
	f.StringVar(&o.svcType, "type", "", "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.")
	f.StringVar(&o.name, "name", "", "The name for the newly created object.")
	f.StringVar(&o.protocol, "protocol", "", "The network protocol for the service to be created. Default is 'TCP'.")
	return cmd
}

func (s *Session) runExpose(args []string, o exposeOptions) error {
	targets, err := parseTargets(args)
	if err != nil || len(targets) != 1 {
		return errorf("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
	}
	t := targets[0]
	obj, err := s.get(t.res, s.Namespace, t.name)
	if err != nil {
		return err
	}
	var selector, objLabels map[string]string
	var podSpec *corev1.PodSpec
	switch x := obj.(type) {
	case *corev1.Pod:
		selector, objLabels, podSpec = x.Labels, x.Labels, &x.Spec
	case *appsv1.Deployment:
		selector, objLabels, podSpec = matchLabels(x.Spec.Selector), x.Labels, &x.Spec.Template.Spec
	case *appsv1.ReplicaSet:
		selector, objLabels, podSpec = matchLabels(x.Spec.Selector), x.Labels, &x.Spec.Template.Spec
	case *corev1.Service:
		selector, objLabels = x.Spec.Selector, x.Labels
		if o.port == "" && len(x.Spec.Ports) > 0 {
			o.port = strconv.Itoa(int(x.Spec.Ports[0].Port))
		}
	default:
		return errorf("cannot expose a %s", t.res.Kind)
	}
	if len(selector) == 0 {
		return errorf("couldn't retrieve selectors via --selector flag or introspection: the %s has no labels to select its pods by", strings.ToLower(t.res.Kind))
	}
	if o.port == "" && podSpec != nil {
		for _, c := range podSpec.Containers {
			if len(c.Ports) > 0 {
				o.port = strconv.Itoa(int(c.Ports[0].ContainerPort))
				break
			}
		}
	}
	if o.port == "" {
		return errorf("couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples")
	}
	port, err := strconv.Atoi(o.port)
	if err != nil {
		return fmt.Errorf("invalid --port %q: it must be a number", o.port)
	}
	sp := corev1.ServicePort{Port: int32(port), Protocol: corev1.Protocol(o.protocol)}
	if o.targetPort != "" {
		sp.TargetPort = intstr.Parse(o.targetPort)
	}
	name := o.name
	if name == "" {
		name = t.name
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: s.Namespace, Labels: objLabels},
		Spec:       corev1.ServiceSpec{Selector: selector, Ports: []corev1.ServicePort{sp}, Type: corev1.ServiceType(o.svcType)},
	}
	created, err := s.call(apiserver.Request{Verb: sim.VerbCreate, Object: svc})
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "service/%s exposed\n", nameOf(created))
	return nil
}

func matchLabels(sel *metav1.LabelSelector) map[string]string {
	if sel == nil {
		return nil
	}
	return sel.MatchLabels
}

// createServiceCmd is `kubectl create service clusterip|nodeport NAME
// --tcp=PORT[:TARGET]`: selector and labels app=NAME, as kubectl sets.
func (s *Session) createServiceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "service",
		Aliases: []string{"svc"},
		Short:   "Create a service using a specified subcommand",
	}
	for _, typ := range []corev1.ServiceType{corev1.ServiceTypeClusterIP, corev1.ServiceTypeNodePort} {
		var tcp []string
		var nodePort int
		var clusterIP string
		sub := &cobra.Command{
			Use:   strings.ToLower(string(typ)) + " NAME [--tcp=<port>:<targetPort>]",
			Short: "Create a " + string(typ) + " service",
			Args:  cobra.ExactArgs(1),
			RunE: func(_ *cobra.Command, args []string) error {
				svc, err := newService(args[0], typ, tcp, nodePort, clusterIP)
				if err != nil {
					return err
				}
				return s.createObject(svc)
			},
		}
		sub.Flags().StringSliceVar(&tcp, "tcp", nil, "Port pairs can be specified as '<port>:<targetPort>'.")
		if typ == corev1.ServiceTypeNodePort {
			sub.Flags().IntVar(&nodePort, "node-port", 0, "Port used to expose the service on each node in a cluster.")
		} else {
			sub.Flags().StringVar(&clusterIP, "clusterip", "", "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).")
		}
		cmd.AddCommand(sub)
	}
	return cmd
}

// newService is the Service kubectl's create service makes; clusterIP
// "None" makes it headless, which alone may have no port (kubectl's
// ServiceOptions.Validate).
func newService(name string, typ corev1.ServiceType, tcp []string, nodePort int, clusterIP string) (*corev1.Service, error) {
	labels := map[string]string{"app": name}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec:       corev1.ServiceSpec{Type: typ, Selector: labels, ClusterIP: clusterIP},
	}
	if len(tcp) == 0 && clusterIP != corev1.ClusterIPNone {
		return nil, errorf("at least one tcp port specifier must be provided")
	}
	for _, pair := range tcp {
		portStr, targetStr, hasTarget := strings.Cut(pair, ":")
		port, err := strconv.Atoi(portStr)
		if err != nil {
			return nil, fmt.Errorf("invalid --tcp %q: the port must be a number", pair)
		}
		sp := corev1.ServicePort{Name: strings.ReplaceAll(pair, ":", "-"), Port: int32(port), Protocol: corev1.ProtocolTCP,
			TargetPort: intstr.FromInt32(int32(port)), NodePort: int32(nodePort)}
		if hasTarget {
			sp.TargetPort = intstr.Parse(targetStr)
		}
		svc.Spec.Ports = append(svc.Spec.Ports, sp)
	}
	return svc, nil
}
