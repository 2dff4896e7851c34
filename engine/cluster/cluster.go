// Package cluster wires kubeplay's components into one cluster: the
// kernel, the store, the apiserver, the controller manager, the scheduler
// and one kubelet with its runtime per node. Front ends (the shell, the
// TUI, lessons) drive a cluster through this package and kubectl.
package cluster

import (
	"context"
	"crypto/sha1"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kubeplay/kubeplay/engine/admission"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/controller"
	"github.com/kubeplay/kubeplay/engine/dns"
	"github.com/kubeplay/kubeplay/engine/ingress"
	"github.com/kubeplay/kubeplay/engine/kubelet"
	"github.com/kubeplay/kubeplay/engine/provisioner"
	"github.com/kubeplay/kubeplay/engine/proxy"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/runtime/simrt"
	"github.com/kubeplay/kubeplay/engine/scheduler"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"
	"github.com/kubeplay/kubeplay/engine/version"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/utils/ptr"
)

// admitter is the apiserver's admission: upstream defaults and validation,
// and the plugins that read the cluster (the default StorageClass).
type admitter struct{ st *store.Store }

func (admitter) Default(obj kruntime.Object)             { admission.Default(obj) }
func (admitter) Validate(obj, old kruntime.Object) error { return admission.Validate(obj, old) }
func (a admitter) AdmitCreate(obj kruntime.Object) {
	admission.AdmitCreate(obj, func(plural string) []kruntime.Object {
		res, _ := apiserver.ResourceFor(plural)
		return a.st.List(apiserver.PrefixOf(res))
	})
}

var (
	resPods, _        = apiserver.ResourceFor("pods")
	resPVCs, _        = apiserver.ResourceFor("persistentvolumeclaims")
	resServices, _    = apiserver.ResourceFor("services")
	resDeployments, _ = apiserver.ResourceFor("deployments")
)

// Options configure a new cluster.
type Options struct {
	Seed       uint64
	Nodes      int    // default 3
	NodeCPU    string // allocatable cpu per node, default "4"
	NodeMemory string // allocatable memory per node, default "8Gi"
	NodePods   int    // allocatable pods per node, default 110
	// NewRuntime makes a node's container runtime; nil means the simulated
	// runtime. index is the node's number, from 1.
	NewRuntime func(node string, index int) (runtime.Runtime, error)
	// Clock makes the cluster follow a wall clock, as it must when its
	// containers are real; nil means virtual time.
	Clock sim.Clock
	// Wall is the clock RunLive follows while a front end waits for a
	// person; nil means the system's (sim.SystemClock).
	Wall sim.Clock
	// Epoch, when set, is the instant virtual time 0 stands for (see
	// sim.Kernel.SetEpoch); sim.Epoch otherwise, for repeatable output.
	Epoch time.Time
	// NodePorts makes kube-proxy listen on 127.0.0.1 for every NodePort
	// Service, so a learner's own curl reaches them. Off in tests.
	NodePorts bool
	// IngressPort, when set, installs the ingress add-on: the
	// ingress-kubeplay namespace, the controller's Deployment and the
	// default IngressClass kubeplay; the controller's address is
	// 127.0.0.1:IngressPort, where it listens when NodePorts is set.
	IngressPort int
	// Notice hears what the cluster has to tell the user outside its
	// events (its ingress port taken), in Lang.
	Notice func(string)
	// Lang is the language ("en", the default, or "ko") of what the
	// cluster's components say in kubeplay's own words, such as the
	// kubelet's NotGranted event.
	Lang bilingual.Lang
	// wrapRuntime, in tests, wraps each node's runtime (to make it fail).
	wrapRuntime func(node string, rt runtime.Runtime) runtime.Runtime
}

func (o *Options) defaults() error {
	if o.Nodes == 0 {
		o.Nodes = 3
	}
	if o.Nodes < 0 || o.Nodes > 1000 {
		return fmt.Errorf("--nodes must be between 1 and 1000, not %d", o.Nodes)
	}
	if o.NodeCPU == "" {
		o.NodeCPU = "4"
	}
	if o.NodeMemory == "" {
		o.NodeMemory = "8Gi"
	}
	if o.NodePods == 0 {
		o.NodePods = 110
	}
	for flag, v := range map[string]string{"--node-cpu": o.NodeCPU, "--node-memory": o.NodeMemory} {
		if _, err := resource.ParseQuantity(v); err != nil {
			return fmt.Errorf("%s %q is not a quantity (try 4 or 500m for cpu, 8Gi for memory)", flag, v)
		}
	}
	return nil
}

// Cluster is a running kubeplay cluster. Its parts are its own: front
// ends drive it through its methods, the front door (backend.Cluster, in
// door.go), so that a real cluster can stand in its place.
type Cluster struct {
	opts    Options
	k       *sim.Kernel
	st      *store.Store
	api     *apiserver.Server
	manager *controller.Manager
	proxy   *proxy.Proxy
	// ingress is the ingress controller, when the add-on is installed.
	ingress *ingress.Controller
	// ingressStops stop serving the ingress controller to the Docker
	// nodes' pods (servePodsIngress).
	ingressStops []func()
	// provisioner makes the volumes of the default StorageClass.
	provisioner *provisioner.Controller
	sched       *scheduler.Scheduler
	net         *simrt.Network
	storage     *simrt.Storage
	kubelets    map[string]*kubelet.Kubelet
	watchers    map[string]*apiserver.Watcher // each kubelet's, by node
	runtimes    []runtime.Runtime
	nodes       []string
	stops       map[string]int // StopNode calls by node, to drop a stale grace timer
	// dnsHops: the pods' DNS queries are hops (dnsview.go), read from
	// the runtimes' goroutines.
	dnsHops atomic.Bool
	// The front door's reads (Get, List, Watch…, door.go) are api's and
	// st's as they are.
	storeReads
}

// routeToKubelet picks the kubelet a pod change concerns: the one of the
// node the pod is (or was) bound to.
func (c *Cluster) routeToKubelet(ev store.Event) *apiserver.Watcher {
	pod, ok := ev.Object.(*corev1.Pod)
	if !ok {
		return nil
	}
	node := pod.Spec.NodeName
	if node == "" && ev.Old != nil {
		node = ev.Old.(*corev1.Pod).Spec.NodeName
	}
	return c.watchers[node]
}

// New builds a cluster, registers its nodes and lets it settle.
func New(opts Options) (*Cluster, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	k := sim.NewKernel(opts.Seed)
	if !opts.Epoch.IsZero() {
		k.SetEpoch(opts.Epoch)
	}
	if opts.Clock != nil {
		k = sim.NewRealtimeKernel(opts.Seed, opts.Clock)
	}
	st := store.New()
	api := apiserver.New(k, st, admitter{st})
	c := &Cluster{opts: opts, k: k, st: st, api: api, storeReads: backend.NewStoreReads(api), net: simrt.NewNetwork(k), storage: simrt.NewStorage(),
		kubelets: map[string]*kubelet.Kubelet{}, watchers: map[string]*apiserver.Watcher{}}
	addServiceIndexes(st)
	st.AddIndex(apiserver.PrefixOf(resPods), "node", func(o kruntime.Object, dst []string) []string {
		return append(dst, o.(*corev1.Pod).Spec.NodeName)
	})
	for _, ns := range []string{"default", "kube-node-lease", "kube-public", "kube-system"} {
		c.bootstrap(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}, Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}})
	}
	c.preload(defaultStorageClass())
	c.preload(apiService())
	c.preload(apiEndpoints())
	c.preload(apiEndpointSlice())
	c.manager = controller.New(api)
	c.manager.SetMetrics(c.Metrics())
	c.provisioner = provisioner.New(api, provisioner.Options{RemoveData: c.removeVolumeData, Async: opts.NewRuntime != nil})
	c.sched = scheduler.New(api)
	backend := proxy.NewSimBackend(k, c.net)
	if opts.NewRuntime != nil {
		backend = proxy.NewRealBackend(k) // the host reaches the containers' IPs
	}
	c.proxy = proxy.New(api, proxy.Options{Backend: backend, Listen: opts.NodePorts, Synced: c.publishServices})
	c.wireDNS()
	c.watchDNSView()
	api.WatchRouted(c.routeToKubelet)
	for i := 1; i <= opts.Nodes; i++ {
		if err := c.addNode(fmt.Sprintf("node-%d", i), opts.NodeCPU, opts.NodeMemory); err != nil {
			return nil, err
		}
	}
	// The nodes register first, so that the scheduler counts the
	// add-ons' pods, bound to them, against their room.
	k.RunUntil(time.Second, func() bool { return k.Pending() == 0 })
	c.installAddons()
	if opts.IngressPort != 0 {
		c.addIngress(backend)
	}
	c.publishServices() // the add-ons were preloaded, which no sync hears of
	c.publishDNS()
	// Boot: let the add-ons' pods become ready before anyone types, then
	// what follows from it (status writes, Endpoints, kube-proxy's syncs)
	// settle, and kube-proxy get its burst of syncs back (two, then one
	// per MinSyncPeriod), as it has on a cluster installed a while ago.
	// Real containers start in their own time: a cluster on Docker waits
	// for its DNS only, saying how far it got (waitForDNS).
	if opts.Clock == nil {
		k.RunUntil(30*time.Second, c.addonsReady)
		k.RunFor(2 * proxy.MinSyncPeriod)
	} else {
		c.waitForDNS()
	}
	return c, nil
}

// bootstrap writes an object the way a cluster's installer does, before
// any component watches: no hop.
func (c *Cluster) bootstrap(obj kruntime.Object) {
	done := false
	c.api.Submit(sim.Component(sim.KindKubeadm), apiserver.Request{Verb: sim.VerbCreate, Object: obj, Done: func(kruntime.Object, error) { done = true }})
	c.k.RunUntil(0, func() bool { return done })
	for !done && c.k.Pending() > 0 {
		c.k.Step()
	}
}

// preload puts an object into etcd as a cluster's installer ships it,
// admitted but without a hop and with a UID made from its name: the
// seeded random source, which names pods and picks among equal nodes, is
// left as it was, so an add-on does not rename every pod of a seeded run.
func (c *Cluster) preload(obj kruntime.Object) {
	res, _ := apiserver.ResourceOf(obj)
	admission.Default(obj)
	if err := admission.Validate(obj, nil); err != nil {
		panic(fmt.Sprintf("preload %s: %v", res.Kind, err))
	}
	m, _ := meta.Accessor(obj)
	h := sha1.Sum([]byte("kubeplay/" + res.Name + "/" + m.GetName()))
	h[6], h[8] = h[6]&0x0f|0x50, h[8]&0x3f|0x80 // a name-based (version 5) UUID
	m.SetUID(types.UID(fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])))
	m.SetCreationTimestamp(metav1.NewTime(c.k.Now().Truncate(time.Second)))
	m.SetGeneration(1)
	obj.GetObjectKind().SetGroupVersionKind(schema.GroupVersionKind{Group: res.Group, Version: res.Version, Kind: res.Kind})
	c.st.Put(apiserver.KeyOf(obj), obj)
}

// defaultStorageClass is the class every claim that names none gets:
// standard, as kind's and minikube's are called. Its provisioner is
// kubeplay's own (package provisioner), not kind's rancher.io/local-path:
// local-path ties each volume to one node and so must wait for the first
// pod (WaitForFirstConsumer); kubeplay's storage is reached from every
// node, so the class binds at once (Immediate) and a learner sees a claim
// Bound as soon as it is made, its data following the pod to any node.
func defaultStorageClass() *storagev1.StorageClass {
	return &storagev1.StorageClass{
		ObjectMeta:        metav1.ObjectMeta{Name: "standard", Annotations: map[string]string{admission.IsDefaultClassAnnotation: "true"}},
		Provisioner:       provisioner.Provisioner,
		ReclaimPolicy:     ptr.To(corev1.PersistentVolumeReclaimDelete),
		VolumeBindingMode: ptr.To(storagev1.VolumeBindingImmediate),
	}
}

// apiService is the kubernetes Service of default, which the apiserver
// keeps for pods to find it: the first address of the Service range, port
// 443 (https) to the apiserver's 6443. Every container gets its
// KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT.
func apiService() *corev1.Service {
	single := corev1.IPFamilyPolicySingleStack
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Namespace: "default", Labels: map[string]string{"component": "apiserver", "provider": "kubernetes"}},
		Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeClusterIP, ClusterIP: dns.APIServiceIP, ClusterIPs: []string{dns.APIServiceIP},
			IPFamilyPolicy: &single, IPFamilies: []corev1.IPFamily{corev1.IPv4Protocol},
			Ports: []corev1.ServicePort{{Name: "https", Port: 443, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(6443)}},
		},
	}
}

// removeVolumeData deletes a PersistentVolume's data from the cluster's
// storage, which every node's runtime reaches.
func (c *Cluster) removeVolumeData(pv string) error {
	for _, rt := range c.runtimes {
		if ps, ok := rt.(runtime.PersistentStore); ok {
			return ps.RemovePersistent(pv)
		}
	}
	return nil
}

// Nodes are the names of the cluster's nodes, in order.
func (c *Cluster) Nodes() []string { return c.nodes }

// AddNode starts a kubelet with a simulated runtime that registers its
// node; name "" picks the next free node-N, cpu and memory "" the
// cluster's defaults. It returns the node's name.
func (c *Cluster) AddNode(name, cpu, memory string) (string, error) {
	if name == "" {
		for i := len(c.nodes) + 1; ; i++ {
			if _, taken := c.kubelets[fmt.Sprintf("node-%d", i)]; !taken {
				name = fmt.Sprintf("node-%d", i)
				break
			}
		}
	}
	if _, taken := c.kubelets[name]; taken {
		return "", fmt.Errorf("node %q already exists", name)
	}
	if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
		return "", fmt.Errorf("node name %q: %s", name, strings.Join(errs, "; "))
	}
	if cpu == "" {
		cpu = c.opts.NodeCPU
	}
	if memory == "" {
		memory = c.opts.NodeMemory
	}
	for what, v := range map[string]string{"cpu": cpu, "memory": memory} {
		if _, err := resource.ParseQuantity(v); err != nil {
			return "", fmt.Errorf("%s %q is not a quantity (try 4 or 500m for cpu, 8Gi for memory)", what, v)
		}
	}
	if err := c.addNode(name, cpu, memory); err != nil {
		return "", err
	}
	return name, nil
}

func (c *Cluster) addNode(name, cpu, memory string) error {
	idx := len(c.nodes) + 1
	simRT := simrt.New(c.k, c.net, c.storage, name, idx)
	simRT.SetLang(c.opts.Lang)
	var rt runtime.Runtime = simRT
	if c.opts.NewRuntime != nil {
		var err error
		if rt, err = c.opts.NewRuntime(name, idx); err != nil {
			return fmt.Errorf("node %s: %w", name, err)
		}
	}
	if c.opts.wrapRuntime != nil {
		rt = c.opts.wrapRuntime(name, rt)
	}
	c.runtimes = append(c.runtimes, rt)
	if s, ok := rt.(runtime.ServiceSyncer); ok {
		c.syncServicesTo(s) // a node added later starts from the last sync
	}
	if d, ok := rt.(runtime.DNSReporter); ok {
		d.OnDNSQuery(c.reportDNS)
		_ = d.ReportDNS(c.dnsHops.Load())
	}
	if c.ingress != nil {
		c.servePodsIngress(rt)
	}
	kl := kubelet.New(c.api, name, rt)
	kl.SetLang(c.opts.Lang)
	w := kl.Watcher()
	c.kubelets[name] = kl
	c.watchers[name] = &w
	c.nodes = append(c.nodes, name)
	c.api.Submit(kl.Name(), apiserver.Request{Verb: sim.VerbCreate, Object: c.nodeObject(name, idx, cpu, memory, rt.Info()), Why: "register the node"})
	return nil
}

func (c *Cluster) nodeObject(name string, idx int, cpu, memory string, info runtime.Info) *corev1.Node {
	alloc := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse(cpu),
		corev1.ResourceMemory:           resource.MustParse(memory),
		corev1.ResourcePods:             *resource.NewQuantity(int64(c.opts.NodePods), resource.DecimalSI),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
	}
	now := metav1.NewTime(c.k.Now())
	cond := func(t corev1.NodeConditionType, s corev1.ConditionStatus, reason, msg string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: s, Reason: reason, Message: msg, LastHeartbeatTime: now, LastTransitionTime: now}
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
			"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
			"kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
		}},
		Spec: corev1.NodeSpec{PodCIDR: fmt.Sprintf("10.244.%d.0/24", idx), PodCIDRs: []string{fmt.Sprintf("10.244.%d.0/24", idx)}},
		Status: corev1.NodeStatus{
			Capacity: alloc, Allocatable: alloc,
			Conditions: []corev1.NodeCondition{
				cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
				cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
				cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
				cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"),
			},
			Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: fmt.Sprintf("172.18.0.%d", idx+1)}, {Type: corev1.NodeHostName, Address: name}},
			NodeInfo: corev1.NodeSystemInfo{
				//lint:ignore SA1019 kubectl describe node still prints Kube-Proxy Version
				KubeletVersion: version.Kubernetes, KubeProxyVersion: version.Kubernetes, OperatingSystem: "linux", Architecture: "amd64",
				ContainerRuntimeVersion: info.Version, KernelVersion: "kubeplay", OSImage: "kubeplay simulated node",
			},
		},
	}
}

// closer is a runtime that holds resources outside the process: real
// containers, a network.
type closer interface {
	Close(ctx context.Context) error
}

// Close stops kube-proxy's listeners and the cluster's runtimes, removing
// whatever they created outside the process. It returns the first error.
func (c *Cluster) Close(ctx context.Context) error {
	c.proxy.Close()
	if c.ingress != nil {
		c.ingress.Close()
	}
	for _, stop := range c.ingressStops {
		stop()
	}
	var first error
	for _, rt := range c.runtimes {
		if cl, ok := rt.(closer); ok {
			if err := cl.Close(ctx); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
