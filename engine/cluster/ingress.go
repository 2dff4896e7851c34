package cluster

import (
	"errors"
	"fmt"
	"maps"

	"github.com/kubeplay/kubeplay/engine/admission"
	"github.com/kubeplay/kubeplay/engine/guest/kubeproxy"
	"github.com/kubeplay/kubeplay/engine/ingress"
	"github.com/kubeplay/kubeplay/engine/proxy"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/runtime/simrt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// The ingress add-on, as `minikube addons enable ingress` installs
// ingress-nginx: a namespace, the controller's Deployment and the
// default IngressClass. The Deployment's pod stands for the controller,
// whose routing runs in kubeplay's process (package ingress): it answers
// only while that pod is available.

var ingressLabels = map[string]string{"app.kubernetes.io/name": "ingress-kubeplay", "app.kubernetes.io/component": "controller"}

// standsFor is what the controller's objects say of themselves.
const standsFor = "kubeplay.io/stands-for"

// ingressServiceIP is the controller Service's cluster IP: fixed, as the
// other add-ons' are, for the add-on is preloaded without a draw from
// the seeded source (the apiserver's allocator skips addresses in use).
const ingressServiceIP = "10.96.71.34"

// ingressHTTPPort is the controller pod's http port.
const ingressHTTPPort = 8080

// ingressService is the controller's Service, as ingress-nginx ships
// ingress-nginx-controller: port 80 to the pod's http port, so that the
// pods reach the controller by name (a ClusterIP: the host reaches it on
// 127.0.0.1 instead of a LoadBalancer's address).
func ingressService() *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: ingress.Deployment, Namespace: ingress.Namespace, Labels: maps.Clone(ingressLabels)},
		Spec: corev1.ServiceSpec{Selector: maps.Clone(ingressLabels),
			Type: corev1.ServiceTypeClusterIP, ClusterIP: ingressServiceIP, ClusterIPs: []string{ingressServiceIP},
			IPFamilyPolicy: ptr.To(corev1.IPFamilyPolicySingleStack), IPFamilies: []corev1.IPFamily{corev1.IPv4Protocol},
			Ports: []corev1.ServicePort{{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromString("http"), AppProtocol: ptr.To("http")}}},
	}
}

func ingressObjects(port int) (*corev1.Namespace, *networkingv1.IngressClass, *appsv1.Deployment) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ingress.Namespace, Labels: map[string]string{"app.kubernetes.io/name": "ingress-kubeplay"}},
		Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}}
	class := &networkingv1.IngressClass{
		ObjectMeta: metav1.ObjectMeta{Name: ingress.ClassName, Labels: ingressLabels,
			Annotations: map[string]string{admission.IsDefaultIngressClassAnnotation: "true"}},
		Spec: networkingv1.IngressClassSpec{Controller: ingress.ControllerName},
	}
	note := fmt.Sprintf("kubeplay's ingress controller: its routing runs in kubeplay's process on %s:%d while this pod is available", ingress.Address, port)
	deploy := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: ingress.Deployment, Namespace: ingress.Namespace, Labels: ingressLabels,
			Annotations: map[string]string{standsFor: note}},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(int32(1)),
			Selector: &metav1.LabelSelector{MatchLabels: ingressLabels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: ingressLabels, Annotations: map[string]string{standsFor: note}},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "controller", Image: "kubeplay/demo:v1",
					Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: ingressHTTPPort, Protocol: corev1.ProtocolTCP}},
				}}},
			},
		},
	}
	return ns, class, deploy
}

// addIngress installs the add-on and starts the controller.
func (c *Cluster) addIngress(backend proxy.Backend) {
	ns, class, deploy := ingressObjects(c.opts.IngressPort)
	c.preload(ns)
	c.preload(class)
	c.ingress = ingress.New(c.api, ingress.Options{Backend: backend, Port: c.opts.IngressPort,
		Listen: c.opts.NodePorts, Real: c.opts.NewRuntime != nil})
	c.preload(deploy)
	svc := ingressService()
	c.preload(svc)
	//lint:ignore SA1019 preloaded as the other add-ons' Services' Endpoints are (installAddons)
	c.preload(&corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Name: svc.Name, Namespace: svc.Namespace, Labels: maps.Clone(svc.Labels)}})
	if c.opts.NewRuntime == nil {
		c.net.SetGateway(c.ingressGateway)
	}
	for _, rt := range c.runtimes {
		c.servePodsIngress(rt)
	}
	if err := c.ingress.ListenError(); err != nil {
		c.ingressTaken(class, err)
	}
}

// servePodsIngress serves the controller to a Docker node's pods, whose
// proxies pass its Service's requests on to a socket in their folder.
func (c *Cluster) servePodsIngress(rt runtime.Runtime) {
	s, ok := rt.(runtime.PodSocketServer)
	if !ok {
		return
	}
	stop, err := s.ServeToPods(kubeproxy.IngressSocket, c.ingress.PodHandler())
	if err != nil {
		if c.opts.Notice != nil {
			c.opts.Notice(c.opts.Lang.Pick("ingress: the pods cannot reach the ingress controller's Service: "+err.Error(),
				"ingress: 파드가 인그레스 컨트롤러 서비스에 닿을 수 없어요: "+err.Error()))
		}
		return
	}
	c.ingressStops = append(c.ingressStops, stop)
}

// ingressGateway is the controller's pod on the simulated runtime: a
// request that reaches it on its http port, from a pod through its
// Service or at its IP, goes where the controller routes it, at once.
func (c *Cluster) ingressGateway(client, namespace, pod string, port int, host, uri string, forward func(ip string, port int) error) simrt.GatewayRoute {
	if namespace != ingress.Namespace || port != ingressHTTPPort {
		return simrt.GatewayRoute{}
	}
	obj, err := c.api.Get(resPods, namespace, pod)
	if err != nil || !labels.SelectorFromSet(ingressLabels).Matches(labels.Set(obj.(*corev1.Pod).Labels)) {
		return simrt.GatewayRoute{}
	}
	a, forwarded := c.ingress.Route(client, host, uri, func(ep proxy.Endpoint) error { return forward(ep.IP, int(ep.Port)) })
	var refused ingress.Refused
	switch {
	case forwarded:
		return simrt.GatewayRoute{Handled: true, Forwarded: true}
	case errors.As(a.Err, &refused):
		return simrt.GatewayRoute{Handled: true, Refused: true}
	}
	return simrt.GatewayRoute{Handled: true, Status: a.Status, ContentType: "text/html", Body: a.Body}
}

// ingressTaken tells the learner that the controller answers only inside
// kubeplay: on the IngressClass's events, and as a notice.
func (c *Cluster) ingressTaken(class *networkingv1.IngressClass, err error) {
	var taken ingress.ErrPortTaken
	why := err.Error()
	if errors.As(err, &taken) {
		why = taken.Err.Error()
	}
	port := c.opts.IngressPort
	c.api.Record(class, corev1.EventTypeWarning, "PortUnavailable", ingress.EventSource,
		fmt.Sprintf("cannot listen on %s:%d (%s): another program holds the port; curl -H 'Host: …' http://%s:%d/ still works in kubeplay's shell (or start kubeplay with --ingress-port=N)", ingress.Address, port, why, ingress.Address, port))
	if c.opts.Notice != nil {
		c.opts.Notice(c.opts.Lang.Pick(
			fmt.Sprintf("ingress: port %d on %s is taken by another program, so the ingress controller answers only inside kubeplay (its curl); choose another with --ingress-port=N, or 0 for no ingress controller", port, ingress.Address),
			fmt.Sprintf("ingress: %s의 %d번 포트를 다른 프로그램이 쓰고 있어서 인그레스 컨트롤러는 kubeplay 안(curl)에서만 응답해요. --ingress-port=N으로 다른 포트를 고르거나, 0으로 인그레스 컨트롤러를 끄세요", ingress.Address, port)))
	}
}

// network is kube-proxy and the ingress controller, the cluster's
// traffic from outside.
type network struct {
	*proxy.Proxy
	ingress *ingress.Controller
}

// Ingress sends a GET for host and uri to the ingress controller's
// address, if port is the controller's.
func (n network) Ingress(port int32, host, uri string, done func(proxy.Answer)) bool {
	if n.ingress == nil || int(port) != n.ingress.Port() {
		return false
	}
	n.ingress.FromClient(host, uri, done)
	return true
}
