// Package cluster wires kubeplay's components into one cluster: the
// kernel, the store, the apiserver, the controller manager, the scheduler
// and one kubelet with its runtime per node. Front ends (the shell, the
// TUI, lessons) drive a cluster through this package and kubectl.
package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/admission"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/controller"
	"github.com/kubeplay/kubeplay/engine/kubelet"
	"github.com/kubeplay/kubeplay/engine/proxy"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/runtime/simrt"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
)

// admitter is the apiserver's admission: upstream defaults and validation.
type admitter struct{}

func (admitter) Default(obj kruntime.Object)             { admission.Default(obj) }
func (admitter) Validate(obj, old kruntime.Object) error { return admission.Validate(obj, old) }

var resPods, _ = apiserver.ResourceFor("pods")

// KubernetesVersion is the version kubeplay's components report.
const KubernetesVersion = "v1.33.0"

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
	// NodePorts makes kube-proxy listen on 127.0.0.1 for every NodePort
	// Service, so a learner's own curl reaches them. Off in tests.
	NodePorts bool
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

// Cluster is a running kubeplay cluster.
type Cluster struct {
	opts     Options
	K        *sim.Kernel
	Store    *store.Store
	API      *apiserver.Server
	Manager  *controller.Manager
	Proxy    *proxy.Proxy
	sched    *schedulerActor
	net      *simrt.Network
	Kubelets map[string]*kubelet.Kubelet
	watchers map[string]*apiserver.Watcher // each kubelet's, by node
	runtimes []runtime.Runtime
	nodes    []string
	stops    map[string]int // StopNode calls by node, to drop a stale grace timer
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
	if opts.Clock != nil {
		k = sim.NewRealtimeKernel(opts.Seed, opts.Clock)
	}
	st := store.New()
	api := apiserver.New(k, st, admitter{})
	c := &Cluster{opts: opts, K: k, Store: st, API: api, net: simrt.NewNetwork(k),
		Kubelets: map[string]*kubelet.Kubelet{}, watchers: map[string]*apiserver.Watcher{}}
	st.AddIndex(apiserver.PrefixOf(resPods), "node", func(o kruntime.Object) []string { return []string{o.(*corev1.Pod).Spec.NodeName} })
	for _, ns := range []string{"default", "kube-node-lease", "kube-public", "kube-system"} {
		c.bootstrap(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}, Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}})
	}
	c.Manager = controller.New(api)
	c.sched = newScheduler(api)
	backend := proxy.NewSimBackend(k, c.net)
	if opts.NewRuntime != nil {
		backend = proxy.NewRealBackend(k) // the host reaches the containers' IPs
	}
	c.Proxy = proxy.New(api, proxy.Options{Backend: backend, Listen: opts.NodePorts})
	api.WatchRouted(c.routeToKubelet)
	for i := 1; i <= opts.Nodes; i++ {
		if err := c.addNode(fmt.Sprintf("node-%d", i), opts.NodeCPU, opts.NodeMemory); err != nil {
			return nil, err
		}
	}
	// Boot: let the nodes register before anyone types.
	k.RunUntil(time.Second, func() bool { return k.Pending() == 0 })
	return c, nil
}

// bootstrap writes an object the way a cluster's installer does, before
// any component watches: no hop.
func (c *Cluster) bootstrap(obj kruntime.Object) {
	done := false
	c.API.Submit("kubeadm", apiserver.Request{Verb: apiserver.VerbCreate, Object: obj, Done: func(kruntime.Object, error) { done = true }})
	c.K.RunUntil(0, func() bool { return done })
	for !done && c.K.Pending() > 0 {
		c.K.Step()
	}
}

// Nodes are the names of the cluster's nodes, in order.
func (c *Cluster) Nodes() []string { return c.nodes }

// AddNode starts a kubelet with a simulated runtime that registers its
// node; name "" picks the next free node-N, cpu and memory "" the
// cluster's defaults. It returns the node's name.
func (c *Cluster) AddNode(name, cpu, memory string) (string, error) {
	if name == "" {
		for i := len(c.nodes) + 1; ; i++ {
			if _, taken := c.Kubelets[fmt.Sprintf("node-%d", i)]; !taken {
				name = fmt.Sprintf("node-%d", i)
				break
			}
		}
	}
	if _, taken := c.Kubelets[name]; taken {
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
	var rt runtime.Runtime = simrt.New(c.K, c.net, name, idx)
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
	kl := kubelet.New(c.API, name, rt)
	w := kl.Watcher()
	c.Kubelets[name] = kl
	c.watchers[name] = &w
	c.nodes = append(c.nodes, name)
	c.API.Submit(kl.Name(), apiserver.Request{Verb: apiserver.VerbCreate, Object: c.nodeObject(name, idx, cpu, memory, rt.Info()), Why: "register the node"})
	return nil
}

func (c *Cluster) nodeObject(name string, idx int, cpu, memory string, info runtime.Info) *corev1.Node {
	alloc := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse(cpu),
		corev1.ResourceMemory:           resource.MustParse(memory),
		corev1.ResourcePods:             *resource.NewQuantity(int64(c.opts.NodePods), resource.DecimalSI),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
	}
	now := metav1.NewTime(c.K.Now())
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
				//lint:ignore SA1019 kubectl describe node still prints Kube-Proxy Version
				KubeletVersion: KubernetesVersion, KubeProxyVersion: KubernetesVersion, OperatingSystem: "linux", Architecture: "amd64",
				ContainerRuntimeVersion: info.Version, KernelVersion: "kubeplay", OSImage: "kubeplay simulated node",
			},
		},
	}
}

// Runtime describes the nodes' container runtime.
func (c *Cluster) Runtime() runtime.Info { return c.runtimes[0].Info() }

// closer is a runtime that holds resources outside the process: real
// containers, a network.
type closer interface {
	Close(ctx context.Context) error
}

// Close stops kube-proxy's listeners and the cluster's runtimes, removing
// whatever they created outside the process. It returns the first error.
func (c *Cluster) Close(ctx context.Context) error {
	c.Proxy.Close()
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

func splitKey(key string) (string, string) {
	ns, name, _ := strings.Cut(key, "/")
	return ns, name
}
