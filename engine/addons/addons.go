// Package addons holds what a cluster's installer puts into kube-system
// before anyone types — kubeadm's CoreDNS, and whatever else a cluster
// ships (metrics-server) — and tells those objects from a learner's.
// engine/cluster installs them; the kubelet and the board read Is.
package addons

import (
	"maps"

	"github.com/kubeplay/kubeplay/engine/dns"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// Addon is one add-on: its objects, in the order the installer creates
// them. A Deployment's ReplicaSet and pods come with it (the installer
// makes them as its controllers would).
type Addon struct {
	Name    string
	Objects func() []runtime.Object
}

// All are the add-ons every kubeplay cluster has, installed in this
// order. To add one, append it here.
var All = []Addon{
	{Name: "coredns", Objects: coreDNS},
	{Name: "metrics-server", Objects: metricsServer},
	{Name: "kube-proxy", Objects: kubeProxy},
}

// IngressNamespace is the ingress controller add-on's own namespace, as
// ingress-nginx's is ingress-nginx (engine/ingress installs it when the
// cluster has an ingress port); its objects are labelled
// app.kubernetes.io/name=IngressNamespace.
const IngressNamespace = "ingress-kubeplay"

// Is reports whether an object of namespace with labels belongs to the
// cluster's add-ons: in kube-system, labelled k8s-app as Kubernetes' own
// add-ons are (k8s-app: kube-dns, metrics-server, kube-proxy); in the
// ingress controller's namespace, labelled as its objects are. A
// learner's object there without that label (the DaemonSet
// documentation's fluentd-elasticsearch in kube-system) is not one.
func Is(namespace string, labels map[string]string) bool {
	switch namespace {
	case metav1.NamespaceSystem:
		return labels["k8s-app"] != ""
	case IngressNamespace:
		return labels["app.kubernetes.io/name"] == IngressNamespace
	}
	return false
}

// The cluster DNS add-on, as kubeadm installs it: the coredns Deployment
// (two replicas) behind the kube-dns Service at 10.96.0.10 in
// kube-system, labelled k8s-app=kube-dns, and the Corefile it reads. The
// answers come from package dns; the pods are what a learner sees of it,
// and the kube-dns Service reaches the DNS only through a ready one.

var dnsLabels = map[string]string{"k8s-app": "kube-dns"}

// CoreDNSImage is the CoreDNS kubeadm v1.33 installs.
const CoreDNSImage = "registry.k8s.io/coredns/coredns:v1.12.0"

// corefile is kubeadm's Corefile for the cluster.local domain.
const corefile = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`

// coreDNSDeployment is kubeadm's coredns Deployment (its manifest in
// cmd/kubeadm/app/phases/addons/dns), two replicas.
func coreDNSDeployment() *appsv1.Deployment {
	port := func(name string, n int32, proto corev1.Protocol) corev1.ContainerPort {
		return corev1.ContainerPort{Name: name, ContainerPort: n, Protocol: proto}
	}
	probe := func(path, port string) corev1.ProbeHandler {
		return corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromString(port), Scheme: corev1.URISchemeHTTP}}
	}
	return systemDeployment("coredns", dnsLabels, 2, 1, corev1.PodSpec{
		PriorityClassName:  "system-cluster-critical",
		ServiceAccountName: "coredns",
		Affinity: &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
			PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{{Weight: 100,
				PodAffinityTerm: corev1.PodAffinityTerm{TopologyKey: "kubernetes.io/hostname",
					LabelSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
						{Key: "k8s-app", Operator: metav1.LabelSelectorOpIn, Values: []string{"kube-dns"}}}}}}}}},
		Tolerations: []corev1.Toleration{
			{Key: "CriticalAddonsOnly", Operator: corev1.TolerationOpExists},
			{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule}},
		NodeSelector: map[string]string{"kubernetes.io/os": "linux"},
		Containers: []corev1.Container{{
			Name: "coredns", Image: CoreDNSImage, ImagePullPolicy: corev1.PullIfNotPresent,
			Args: []string{"-conf", "/etc/coredns/Corefile"},
			Resources: corev1.ResourceRequirements{
				Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("170Mi")},
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("70Mi")}},
			VolumeMounts: []corev1.VolumeMount{{Name: "config-volume", MountPath: "/etc/coredns", ReadOnly: true}},
			Ports: []corev1.ContainerPort{port("dns", 53, corev1.ProtocolUDP), port("dns-tcp", 53, corev1.ProtocolTCP),
				port("metrics", 9153, corev1.ProtocolTCP), port("liveness-probe", 8080, corev1.ProtocolTCP), port("readiness-probe", 8181, corev1.ProtocolTCP)},
			LivenessProbe: &corev1.Probe{ProbeHandler: probe("/health", "liveness-probe"),
				InitialDelaySeconds: 60, TimeoutSeconds: 5, SuccessThreshold: 1, FailureThreshold: 5},
			ReadinessProbe: &corev1.Probe{ProbeHandler: probe("/ready", "readiness-probe")},
			SecurityContext: &corev1.SecurityContext{AllowPrivilegeEscalation: ptr.To(false), ReadOnlyRootFilesystem: ptr.To(true),
				Capabilities: &corev1.Capabilities{Add: []corev1.Capability{"NET_BIND_SERVICE"}, Drop: []corev1.Capability{"ALL"}}},
		}},
		DNSPolicy: corev1.DNSDefault,
		Volumes: []corev1.Volume{{Name: "config-volume", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: "coredns"},
			Items:                []corev1.KeyToPath{{Key: "Corefile", Path: "Corefile"}}}}}},
	})
}

// kubeDNSService is the cluster DNS's Service, the nameserver of every
// pod with dnsPolicy ClusterFirst.
func kubeDNSService() *corev1.Service {
	single := corev1.IPFamilyPolicySingleStack
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "kube-dns", Namespace: metav1.NamespaceSystem,
			Labels:      map[string]string{"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
			Annotations: map[string]string{"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}},
		Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeClusterIP, ClusterIP: dns.ServiceIP, ClusterIPs: []string{dns.ServiceIP},
			IPFamilyPolicy: &single, IPFamilies: []corev1.IPFamily{corev1.IPv4Protocol},
			Selector: dnsLabels,
			Ports: []corev1.ServicePort{
				{Name: "dns", Port: 53, Protocol: corev1.ProtocolUDP, TargetPort: intstr.FromInt32(53)},
				{Name: "dns-tcp", Port: 53, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(53)},
				{Name: "metrics", Port: 9153, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(9153)},
			},
		},
	}
}

// coreDNS is the cluster DNS as kubeadm installs it: the Corefile, the
// coredns Deployment and the kube-dns Service.
func coreDNS() []runtime.Object {
	return []runtime.Object{
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "coredns", Namespace: metav1.NamespaceSystem},
			Data: map[string]string{"Corefile": corefile}},
		coreDNSDeployment(),
		kubeDNSService(),
	}
}

// The resource metrics pipeline, as metrics-server's release manifest
// (components.yaml) installs it: the metrics-server Deployment (one
// replica) behind the metrics-server Service in kube-system, labelled
// k8s-app=metrics-server. The figures come from the kubelets
// (engine/cluster's metricsServer); the metrics API answers only while a
// pod of it is ready, as the aggregated API is served only through one.

// MetricsServerLabels label metrics-server's Deployment, pods and Service.
var MetricsServerLabels = map[string]string{"k8s-app": "metrics-server"}

// metricsServerIP is the metrics-server Service's cluster IP. A real
// cluster draws it at random from the service range; an add-on is
// preloaded without a draw from the seeded source, so it is fixed here
// (the apiserver's allocator skips addresses in use).
const metricsServerIP = "10.105.94.179"

// MetricsServerImage is the metrics-server kubeplay installs.
const MetricsServerImage = "registry.k8s.io/metrics-server/metrics-server:v0.7.2"

// metricsServerDeployment is components.yaml's Deployment of v0.7.2,
// without its probes: upstream's readiness and liveness probes ask
// /readyz and /livez over HTTPS, and the stand-in kubeplay runs for the
// image (on both runtimes) speaks plain HTTP, so they would never pass.
func metricsServerDeployment() *appsv1.Deployment {
	return systemDeployment("metrics-server", MetricsServerLabels, 1, 0, corev1.PodSpec{
		PriorityClassName:  "system-cluster-critical",
		ServiceAccountName: "metrics-server",
		NodeSelector:       map[string]string{"kubernetes.io/os": "linux"},
		Containers: []corev1.Container{{
			Name: "metrics-server", Image: MetricsServerImage, ImagePullPolicy: corev1.PullIfNotPresent,
			Args: []string{"--cert-dir=/tmp", "--secure-port=10250", "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
				"--kubelet-use-node-status-port", "--metric-resolution=15s"},
			Ports: []corev1.ContainerPort{{Name: "https", ContainerPort: 10250, Protocol: corev1.ProtocolTCP}},
			Resources: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("200Mi")}},
			VolumeMounts: []corev1.VolumeMount{{Name: "tmp-dir", MountPath: "/tmp"}},
			SecurityContext: &corev1.SecurityContext{AllowPrivilegeEscalation: ptr.To(false), ReadOnlyRootFilesystem: ptr.To(true),
				RunAsNonRoot: ptr.To(true), RunAsUser: ptr.To(int64(1000)),
				SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
				Capabilities:   &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}}},
		}},
		Volumes: []corev1.Volume{{Name: "tmp-dir", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
	})
}

// systemDeployment is an add-on's Deployment in kube-system: its name and
// labels on it, its selector and its pods, a RollingUpdate allowing
// maxUnavailable pods down, and the pod spec of its manifest.
func systemDeployment(name string, labels map[string]string, replicas, maxUnavailable int32, pod corev1.PodSpec) *appsv1.Deployment {
	unavailable := intstr.FromInt32(maxUnavailable)
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: metav1.NamespaceSystem, Labels: maps.Clone(labels)},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas),
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxUnavailable: &unavailable}},
			Selector: &metav1.LabelSelector{MatchLabels: maps.Clone(labels)},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: maps.Clone(labels)}, Spec: pod},
		},
	}
}

// metricsServer is metrics-server as its release manifest installs it:
// the Deployment and its Service, 443 to the pod's https port. (The
// manifest's APIService v1beta1.metrics.k8s.io is not an object kubeplay
// serves; the metrics API is served beside the apiserver's own.)
func metricsServer() []runtime.Object {
	return []runtime.Object{
		metricsServerDeployment(),
		&corev1.Service{
			ObjectMeta: metav1.ObjectMeta{Name: "metrics-server", Namespace: metav1.NamespaceSystem, Labels: maps.Clone(MetricsServerLabels)},
			Spec: corev1.ServiceSpec{Selector: maps.Clone(MetricsServerLabels),
				Type: corev1.ServiceTypeClusterIP, ClusterIP: metricsServerIP, ClusterIPs: []string{metricsServerIP},
				IPFamilyPolicy: ptr.To(corev1.IPFamilyPolicySingleStack), IPFamilies: []corev1.IPFamily{corev1.IPv4Protocol},
				Ports: []corev1.ServicePort{{Name: "https", Port: 443, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromString("https")}}},
		},
	}
}

// kube-proxy, as kubeadm installs it: the kube-proxy DaemonSet in
// kube-system, labelled k8s-app=kube-proxy, one pod on every node,
// tainted or not. The rules are kubeplay's own kube-proxy's (package
// proxy; on Docker written into each pod's network namespace by its
// sandbox): the pods are what a learner sees of it, a stand-in each.

// KubeProxyLabels label kube-proxy's DaemonSet and pods.
var KubeProxyLabels = map[string]string{"k8s-app": "kube-proxy"}

// KubeProxyImage is the kube-proxy of kubeadm v1.33.
const KubeProxyImage = "registry.k8s.io/kube-proxy:v1.33.0"

// kubeProxy is kubeadm's kube-proxy DaemonSet (its manifest in
// cmd/kubeadm/app/phases/addons/proxy): on the host's network, tolerating
// every taint (operator Exists), on Linux nodes, system-node-critical,
// requesting nothing. Left out, because the stand-in needs none of them
// and kubeplay grants none: the command (/usr/local/bin/kube-proxy
// --config=… --hostname-override=$(NODE_NAME): the stand-in is the
// image's own entry), the privileged securityContext, the hostPath
// volumes (xtables lock, kernel modules) and the kube-proxy ConfigMap it
// reads its configuration from.
func kubeProxy() []runtime.Object {
	return []runtime.Object{&appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "kube-proxy", Namespace: metav1.NamespaceSystem, Labels: maps.Clone(KubeProxyLabels)},
		Spec: appsv1.DaemonSetSpec{
			Selector:       &metav1.LabelSelector{MatchLabels: maps.Clone(KubeProxyLabels)},
			UpdateStrategy: appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: maps.Clone(KubeProxyLabels)}, Spec: corev1.PodSpec{
				PriorityClassName:  "system-node-critical",
				ServiceAccountName: "kube-proxy",
				HostNetwork:        true,
				NodeSelector:       map[string]string{"kubernetes.io/os": "linux"},
				Tolerations:        []corev1.Toleration{{Operator: corev1.TolerationOpExists}},
				Containers: []corev1.Container{{
					Name: "kube-proxy", Image: KubeProxyImage, ImagePullPolicy: corev1.PullIfNotPresent,
					Env: []corev1.EnvVar{{Name: "NODE_NAME", ValueFrom: &corev1.EnvVarSource{
						FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "spec.nodeName"}}}},
				}},
			}},
		},
	}}
}
