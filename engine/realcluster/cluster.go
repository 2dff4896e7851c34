package realcluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/controller"
	"github.com/kubeplay/kubeplay/engine/kubelet"
	"github.com/kubeplay/kubeplay/engine/proxy"
	kruntime "github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
)

// FieldManager is the name kubeplay's writes carry in managedFields (and
// its requests in their User-Agent), so the flow tells them from kubectl's.
const FieldManager = "kubeplay"

// requestTimeout bounds one request of the prompt's.
const requestTimeout = 30 * time.Second

// Cluster is a real cluster behind kubeplay's front door. Its objects are
// a mirror fed by watches (client-go informers) of the namespace in view
// and of the cluster-scoped kinds, kept in kubeplay's own store so the
// board, describe and the lessons read them as they read the embedded
// engine's; the prompt's requests go to the real apiserver, on their own
// goroutines, and come back as hops injected into a real-time kernel,
// which is also the one goroutine everything of the cluster's runs on.
type Cluster struct {
	target Target
	lang   bilingual.Lang
	// The kernel, real-time, is the cluster's one goroutine: its clock,
	// hops, Observe, Step and Inject are the front door's as they are.
	*kernel
	// The front door's reads (Get, List, Watch…) are the mirror's, as
	// api and st answer them.
	storeReads
	st      *store.Store
	api     *apiserver.Server // reads of the mirror (Get, List, EventsFor)
	cs      *kubernetes.Clientset
	ctx     context.Context
	cancel  context.CancelFunc
	reqs    sync.WaitGroup // requests in flight
	watches sync.WaitGroup // the informers, until Close
	order   *orderer       // the watches' events, in resourceVersion order

	cfg *rest.Config // the kubeconfig's, as kubeplay's client

	mu        sync.Mutex
	clients   map[schema.GroupVersion]rest.Interface // restFor's
	unwatched map[string]error                       // resources a watch of failed, by resource name: RBAC may forbid them
	deleting  map[string]bool                        // etcd keys the prompt asked to delete, until the watch tells
}

// ownDelete reports (once) whether the prompt asked to delete key.
func (c *Cluster) ownDelete(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	own := c.deleting[key]
	delete(c.deleting, key)
	return own
}

var _ backend.Cluster = (*Cluster)(nil)

// kernel is sim.Kernel by a name that keeps the embedded field
// unexported: its methods are the Cluster's, the field is not.
type kernel = sim.Kernel

// storeReads is backend.StoreReads, likewise.
type storeReads = backend.StoreReads

// watched are the kinds the mirror follows: those the board, describe and
// the flow read. Namespaced ones are watched in the namespace in view.
var watched = []string{"pods", "services", "endpoints", "deployments", "replicasets", "daemonsets",
	"statefulsets", "jobs", "cronjobs", "events", "configmaps", "persistentvolumeclaims",
	"horizontalpodautoscalers", "ingresses",
	"nodes", "namespaces", "persistentvolumes", "storageclasses", "ingressclasses"}

// syncLimit is how long Attach waits for the first lists before it shows
// what it has: a watch RBAC forbids never syncs.
const syncLimit = 10 * time.Second

// Attach connects to t's cluster, fills the mirror from its lists and
// starts its watches. Close stops them.
func Attach(ctx context.Context, t Target, lang bilingual.Lang) (*Cluster, error) {
	quietKlog()
	cfg := rest.CopyConfig(t.Config)
	cfg.UserAgent = FieldManager
	// The prompt's own requests are few; watches are not rate limited.
	cfg.QPS, cfg.Burst = 50, 100
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	c := &Cluster{target: t, lang: lang, kernel: sim.NewRealtimeKernel(1, sim.SystemClock{}), st: store.New(), cs: cs,
		unwatched: map[string]error{}, deleting: map[string]bool{}, clients: map[schema.GroupVersion]rest.Interface{}, cfg: cfg}
	c.ctx, c.cancel = context.WithCancel(ctx)
	c.order = newOrderer(c.kernel)
	go c.order.run(c.ctx)
	c.api = apiserver.New(c.kernel, c.st, nil)
	c.storeReads = backend.NewStoreReads(c.api)
	c.addIndexes()

	vctx, vcancel := context.WithTimeout(ctx, requestTimeout)
	defer vcancel()
	if _, err := cs.Discovery().RESTClient().Get().AbsPath("/version").Do(vctx).Raw(); err != nil {
		c.cancel()
		return nil, fmt.Errorf("%s: %w", fmt.Sprintf(unreachableText.In(lang), t.Server), err)
	}

	var synced []cache.InformerSynced
	for _, name := range watched {
		res, _ := apiserver.ResourceFor(name)
		ns := ""
		if res.Namespaced {
			ns = t.Namespace
		}
		lw := cache.NewListWatchFromClient(c.restFor(res), res.Name, ns, fields.Everything())
		inf := cache.NewSharedIndexInformer(lw, res.New(), 0, cache.Indexers{})
		_ = inf.SetWatchErrorHandler(func(_ *cache.Reflector, err error) { c.watchFailed(res, err) })
		reg, err := inf.AddEventHandler(c.handler(res))
		if err != nil {
			c.cancel()
			return nil, err
		}
		c.watches.Go(func() { inf.Run(c.ctx.Done()) })
		// The handler's own sync: it has been handed every listed object,
		// not only the informer's cache filled.
		synced = append(synced, c.syncedOrRefused(res, reg.HasSynced))
	}
	sctx, scancel := context.WithTimeout(c.ctx, syncLimit)
	defer scancel()
	cache.WaitForCacheSync(sctx.Done(), synced...)
	// Take in what the lists brought, so the first frame shows it.
	c.kernel.RunUntil(0, func() bool { return false })
	return c, nil
}

// syncedOrRefused counts a watch as synced once it has failed too: the
// learner's RBAC may forbid it, and the rest must not wait for it.
func (c *Cluster) syncedOrRefused(res *apiserver.Resource, synced cache.InformerSynced) cache.InformerSynced {
	return func() bool {
		if synced() {
			return true
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		_, failed := c.unwatched[res.Name]
		return failed
	}
}

func (c *Cluster) watchFailed(res *apiserver.Resource, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unwatched[res.Name] = err
}

// Unwatched are the kinds kubeplay could not watch (RBAC forbids it, most
// likely), each with why: the board cannot show them.
func (c *Cluster) Unwatched() map[string]error {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]error, len(c.unwatched))
	for k, v := range c.unwatched {
		out[k] = v
	}
	return out
}

// Target is what kubeplay is attached to.
func (c *Cluster) Target() Target { return c.target }

// Close stops the watches and waits for them and for the requests in
// flight.
func (c *Cluster) Close() {
	c.cancel()
	c.reqs.Wait()
	c.watches.Wait()
}

// quietKlog silences client-go's log, once per process (klog's logger is
// global): its reflectors log a forbidden watch every second on stderr,
// over the learner's screen, where Unwatched says it once instead.
var quietKlog = sync.OnceFunc(func() { klog.SetLogger(logr.Discard()) })

// addIndexes files the mirror's objects as the embedded engine's
// controllers and apiserver do: by controlling owner and by node.
func (c *Cluster) addIndexes() {
	owner := func(o runtime.Object, dst []string) []string {
		m, err := meta.Accessor(o)
		if err != nil {
			return dst
		}
		if ref := metav1.GetControllerOfNoCopy(m); ref != nil {
			dst = append(dst, string(ref.UID))
		}
		return dst
	}
	for _, name := range []string{"pods", "replicasets", "jobs", "controllerrevisions"} {
		res, _ := apiserver.ResourceFor(name)
		c.st.AddIndex(apiserver.PrefixOf(res), controller.IndexOwner, owner)
	}
	pods, _ := apiserver.ResourceFor("pods")
	c.st.AddIndex(apiserver.PrefixOf(pods), "node", func(o runtime.Object, dst []string) []string {
		return append(dst, o.(*corev1.Pod).Spec.NodeName)
	})
}

// restFor is the REST client of a resource's API group and version,
// made once per group: every kind kubeplay serves is one of client-go's
// built-in types.
func (c *Cluster) restFor(res *apiserver.Resource) rest.Interface {
	gv := schema.GroupVersion{Group: res.Group, Version: res.Version}
	c.mu.Lock()
	defer c.mu.Unlock()
	if rc, ok := c.clients[gv]; ok {
		return rc
	}
	cfg := rest.CopyConfig(c.cfg)
	cfg.GroupVersion = &gv
	cfg.APIPath = "/apis"
	if gv.Group == "" {
		cfg.APIPath = "/api"
	}
	cfg.NegotiatedSerializer = scheme.Codecs.WithoutConversion()
	rc, err := rest.RESTClientFor(cfg)
	if err != nil {
		// Only a config RESTClientFor rejects, which NewForConfig
		// accepted already: fall back to the core group's client.
		return c.cs.CoreV1().RESTClient()
	}
	c.clients[gv] = rc
	return rc
}

// handler mirrors a watch's events onto the kernel's goroutine, each as
// the hops it stands for (see flow.go).
func (c *Cluster) handler(res *apiserver.Resource) cache.ResourceEventHandler {
	return cache.ResourceEventHandlerDetailedFuncs{
		AddFunc: func(obj any, initial bool) {
			c.observe(res, nil, obj, initial)
		},
		UpdateFunc: func(old, obj any) {
			if rv(old.(runtime.Object)) == rv(obj.(runtime.Object)) {
				return // a resync, no change
			}
			c.observe(res, old, obj, false)
		},
		DeleteFunc: func(obj any) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			o, ok := obj.(runtime.Object)
			if !ok {
				return
			}
			key := apiserver.KeyOf(o)
			if h, ok := kubeletDeleteHop(o); ok {
				c.order.add("", h, func() {})
			}
			c.order.add("", deletedHop(res, o), func() { c.st.Delete(key) })
		},
	}
}

// observe takes in an object a watch delivered.
func (c *Cluster) observe(res *apiserver.Resource, old, obj any, initial bool) {
	o, ok := obj.(runtime.Object)
	if !ok {
		return
	}
	setTypeMeta(o, res)
	var prev runtime.Object
	if old != nil {
		prev, _ = old.(runtime.Object)
	}
	h := writtenHop(res, prev, o)
	// What was there before kubeplay attached is no hop of anyone's.
	h.Internal = h.Internal || initial
	key := apiserver.KeyOf(o)
	if h.Verb == sim.VerbDelete && c.ownDelete(key) {
		h.Internal = true // the prompt's delete request is its hop
	}
	if initial {
		c.kernel.Inject(h, func() { c.mirror(key, o) })
		return
	}
	c.order.add(rv(o), h, func() {
		c.mirror(key, o)
		c.kernel.Send(0, etcdHop(res, o), nil)
	})
}

// mirror stores o unless the mirror holds a newer version already (an
// answer to the prompt's request and the watch event of the same write
// come in either order).
func (c *Cluster) mirror(key string, o runtime.Object) {
	if cur, ok := c.st.Get(key); ok && newer(cur, o) {
		return
	}
	c.st.Mirror(key, o)
}

// newer reports whether a's resourceVersion is later than b's; etcd's are
// numbers, which the API calls opaque, so anything else counts as not.
func newer(a, b runtime.Object) bool {
	x, err1 := strconv.ParseUint(rv(a), 10, 64)
	y, err2 := strconv.ParseUint(rv(b), 10, 64)
	return err1 == nil && err2 == nil && x > y
}

func rv(o runtime.Object) string {
	m, err := meta.Accessor(o)
	if err != nil {
		return ""
	}
	return m.GetResourceVersion()
}

func setTypeMeta(o runtime.Object, res *apiserver.Resource) {
	o.GetObjectKind().SetGroupVersionKind(res.GroupKind().WithVersion(res.Version))
}

// Submit sends req to the real apiserver; its answer comes back on the
// kernel's goroutine as a hop, mirrored before req.Done hears it, so the
// command that made it reads its own write.
func (c *Cluster) Submit(from sim.Component, req apiserver.Request) {
	res, ns, name := req.Resource, req.Namespace, req.Name
	if req.Object != nil {
		r, err := apiserver.ResourceOf(req.Object)
		if err != nil {
			c.answer(from, req, nil, err)
			return
		}
		res = r
		if m, err := meta.Accessor(req.Object); err == nil {
			if ns == "" {
				ns = m.GetNamespace()
			}
			if name == "" {
				name = m.GetName()
			}
		}
	}
	if res == nil {
		c.answer(from, req, nil, fmt.Errorf("a request with no resource"))
		return
	}
	if !res.Namespaced {
		ns = ""
	}
	if req.Verb == sim.VerbDelete {
		c.mu.Lock()
		c.deleting[store.Key(etcdName(res), ns, name)] = true
		c.mu.Unlock()
	}
	c.kernel.Send(0, sim.Hop{From: from, To: sim.Component(sim.KindAPIServer), Verb: req.Verb, Object: objectName(res, name),
		Summary: req.Why, Origin: req.Origin, Evidence: sim.Observed, Payload: payload(c.kernel, req.Object)}, nil)
	c.reqs.Add(1)
	go func() {
		defer c.reqs.Done()
		ctx, cancel := context.WithTimeout(c.ctx, requestTimeout)
		defer cancel()
		out, err := c.send(ctx, req, res, ns, name)
		err = explainForbidden(err)
		c.kernel.Inject(sim.Hop{From: sim.Component(sim.KindAPIServer), To: from, Verb: sim.VerbAnswer, Internal: true}, func() {
			if _, gone := out.(*metav1.Status); gone && err == nil && req.Verb == sim.VerbDelete {
				c.goneAtOnce(req, res, ns, name)
				return
			}
			c.answer(from, req, out, err)
		})
	}()
}

// goneAtOnce answers a delete the apiserver did at once (it answered a
// Status, not the object: nothing held it back) with the object as last
// mirrored, and forgets it. It runs on the kernel's goroutine, the only
// one that reads or writes the mirror: the request's own goroutine did
// this before, racing the watch events mirrored meanwhile.
func (c *Cluster) goneAtOnce(req apiserver.Request, res *apiserver.Resource, ns, name string) {
	key := store.Key(etcdName(res), ns, name)
	last, ok := c.st.Get(key)
	if ok {
		c.st.Delete(key)
	}
	if req.Done != nil {
		req.Done(last, nil)
	}
}

// answer mirrors what the apiserver answered and hands it to req.Done.
func (c *Cluster) answer(_ sim.Component, req apiserver.Request, out runtime.Object, err error) {
	if err == nil && out != nil {
		switch req.Verb {
		case sim.VerbCreate, sim.VerbUpdate, sim.VerbUpdateStatus, sim.VerbPatch, sim.VerbGet, sim.VerbDelete:
			if key := apiserver.KeyOf(out); key != "" {
				c.mirror(key, out)
			}
		}
	}
	if req.Done != nil {
		req.Done(out, err)
	}
}

// send makes one request of the real apiserver.
func (c *Cluster) send(ctx context.Context, req apiserver.Request, res *apiserver.Resource, ns, name string) (runtime.Object, error) {
	rc := c.restFor(res)
	switch req.Verb {
	case sim.VerbGet:
		return c.decoded(res, rc.Get().NamespaceIfScoped(ns, res.Namespaced).Resource(res.Name).Name(name).Do(ctx))
	case sim.VerbList:
		return c.list(ctx, rc, res, ns)
	case sim.VerbCreate:
		return c.decoded(res, rc.Post().NamespaceIfScoped(ns, res.Namespaced).Resource(res.Name).
			Param("fieldManager", FieldManager).Body(req.Object).Do(ctx))
	case sim.VerbUpdate, sim.VerbUpdateStatus:
		r := rc.Put().NamespaceIfScoped(ns, res.Namespaced).Resource(res.Name).Name(name)
		if req.Verb == sim.VerbUpdateStatus {
			r = r.SubResource("status")
		}
		return c.decoded(res, r.Param("fieldManager", FieldManager).Body(req.Object).Do(ctx))
	case sim.VerbPatch:
		pt := req.PatchType
		if pt == "" {
			pt = types.StrategicMergePatchType
		}
		return c.decoded(res, rc.Patch(pt).NamespaceIfScoped(ns, res.Namespaced).Resource(res.Name).Name(name).
			Param("fieldManager", FieldManager).Body(req.Patch).Do(ctx))
	case sim.VerbDelete:
		opts := &metav1.DeleteOptions{GracePeriodSeconds: req.Grace, Preconditions: req.Preconditions}
		r := rc.Delete().NamespaceIfScoped(ns, res.Namespaced).Resource(res.Name).Name(name).Body(opts).Do(ctx)
		obj, err := r.Get()
		if err != nil {
			return nil, err
		}
		if _, ok := obj.(*metav1.Status); ok {
			return obj, nil // gone at once: see goneAtOnce
		}
		setTypeMeta(obj, res)
		return obj, nil
	}
	return nil, apierrors.NewMethodNotSupported(res.GroupResource(), string(req.Verb))
}

// etcdName is the resource's name in etcd keys, as apiserver.KeyOf has it.
func etcdName(res *apiserver.Resource) string {
	key := apiserver.PrefixOf(res) // "/registry/NAME/"
	return key[len("/registry/") : len(key)-1]
}

// decoded is a request's answer as the resource's typed object.
func (c *Cluster) decoded(res *apiserver.Resource, r rest.Result) (runtime.Object, error) {
	out := res.New()
	if err := r.Into(out); err != nil {
		return nil, err
	}
	setTypeMeta(out, res)
	return out, nil
}

// list reads a resource's objects from the apiserver and makes the
// mirror hold just those in that namespace (any namespace for ""): a
// namespace kubeplay does not watch is as fresh as its last list.
func (c *Cluster) list(ctx context.Context, rc rest.Interface, res *apiserver.Resource, ns string) (runtime.Object, error) {
	obj, err := rc.Get().NamespaceIfScoped(ns, res.Namespaced).Resource(res.Name).Do(ctx).Get()
	if err != nil {
		return nil, err
	}
	items, err := meta.ExtractList(obj)
	if err != nil {
		return nil, err
	}
	listRV := ""
	if l, err := meta.ListAccessor(obj); err == nil {
		listRV = l.GetResourceVersion()
	}
	done := make(chan struct{})
	c.kernel.Inject(sim.Hop{From: sim.Component(sim.KindAPIServer), To: sim.Component(sim.KindAPIServer), Verb: sim.VerbAnswer, Internal: true}, func() {
		defer close(done)
		seen := map[string]bool{}
		for _, it := range items {
			setTypeMeta(it, res)
			key := apiserver.KeyOf(it)
			seen[key] = true
			c.mirror(key, it)
		}
		for _, old := range c.api.List(res, ns) {
			if key := apiserver.KeyOf(old); !seen[key] && listRV != "" && newer(listAt(listRV), old) {
				c.st.Delete(key)
			}
		}
	})
	select {
	case <-done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return obj, nil
}

// listAt is a stand-in object at a list's resourceVersion, for newer.
func listAt(rv string) runtime.Object {
	return &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{ResourceVersion: rv}}
}

// Capabilities: a real cluster honours no fault of kubeplay's, and its
// containers are what its nodes run, beyond kubeplay's reach.
func (c *Cluster) Capabilities() backend.Capabilities {
	return backend.Capabilities{Attached: "context " + c.target.Context + ", " + c.target.Server, Namespace: c.target.Namespace}
}

// Nodes are the cluster's nodes, by name.
func (c *Cluster) Nodes() []string {
	res, _ := apiserver.ResourceFor("nodes")
	var names []string
	for _, o := range c.api.List(res, "") {
		names = append(names, o.(*corev1.Node).Name)
	}
	return names
}

// Kubelet: a real node's kubelet is reached through the real apiserver's
// proxy (pods/log, pods/exec), which kubeplay does not do yet: its
// kubelet says so for every node the cluster has.
func (c *Cluster) Kubelet(node string) (backend.Kubelet, bool) {
	if node == "" || !slices.Contains(c.Nodes(), node) {
		return nil, false
	}
	return noKubelet{c.lang}, true
}

// Network: kube-proxy of a real cluster is not kubeplay's.
func (c *Cluster) Network() backend.Network { return noNetwork{c.lang} }

// Wait takes in what the cluster tells until done or limit passes.
func (c *Cluster) Wait(limit time.Duration, done func() bool) bool {
	return c.kernel.RunUntil(limit, done)
}

// RunLive takes in what the cluster tells until done.
func (c *Cluster) RunLive(done func() bool) { c.kernel.RunLive(sim.SystemClock{}, done) }

// notHereText is what kubeplay's own words that only its embedded engine
// can honour say on a real cluster.
var notHereText = bilingual.Text{
	EN: "%s is kubeplay's own: only its embedded cluster can do it, and this is a real cluster (context %s); break things here with kubectl itself (kubectl delete pod, kubectl cordon)",
	KO: "%s은 kubeplay 내장 클러스터에서만 되는 기능이에요. 지금은 진짜 클러스터(컨텍스트 %s)라서 할 수 없어요. 여기서는 kubectl로 직접 해 보세요(kubectl delete pod, kubectl cordon)",
}

func (c *Cluster) notHere(what string) error {
	return errors.New(c.lang.Sprintf(notHereText.In(c.lang), what, c.target.Context))
}

// AddNode: a real cluster's nodes are machines kubeplay cannot add.
func (c *Cluster) AddNode(string, string, string) (string, error) { return "", c.notHere("node add") }

// StopNode is kubeplay's fault, not a real cluster's.
func (c *Cluster) StopNode(string) error { return c.notHere("fault stop-node") }

// StartNode is kubeplay's fault, not a real cluster's.
func (c *Cluster) StartNode(string) error { return c.notHere("fault start-node") }

// KillContainer is kubeplay's fault, not a real cluster's.
func (c *Cluster) KillContainer(string, string, string) (string, error) {
	return "", c.notHere("fault kill-container")
}

// KillSandbox is kubeplay's fault, not a real cluster's.
func (c *Cluster) KillSandbox(string, string) error { return c.notHere("fault kill-sandbox") }

// unreachableText says the apiserver did not answer.
var unreachableText = bilingual.Text{
	EN: "the apiserver at %s did not answer",
	KO: "%s의 apiserver가 응답하지 않아요",
}

// noNetwork is kube-proxy's side of a real cluster: not kubeplay's to
// reach (curl, load and port-forward are the embedded engine's).
type noNetwork struct{ lang bilingual.Lang }

var noNetworkText = bilingual.Text{
	EN: "kubeplay reaches Services and pods only in its embedded cluster; on a real cluster use kubectl port-forward from your own kubectl",
	KO: "kubeplay는 내장 클러스터에서만 서비스와 파드에 닿을 수 있어요. 진짜 클러스터에서는 직접 kubectl port-forward를 쓰세요",
}

func (n noNetwork) err() error { return errors.New(noNetworkText.In(n.lang)) }

func (n noNetwork) Do(_, _ string, _ int32, _ string, done func(proxy.Answer)) {
	done(proxy.Answer{Err: n.err()})
}
func (noNetwork) Endpoints(string, string, int32) int { return 0 }

// Ingress: no ingress controller of kubeplay's listens on a real cluster.
func (noNetwork) Ingress(int32, string, string, func(proxy.Answer)) bool { return false }
func (noNetwork) ServiceOfNodePort(int32) (string, string, int32, bool) {
	return "", "", 0, false
}
func (noNetwork) Listening() []int32 { return nil }
func (n noNetwork) StartLoad(proxy.LoadOptions) (*proxy.Load, error) {
	return nil, n.err()
}
func (noNetwork) LastLoad() *proxy.Load { return nil }
func (n noNetwork) PodEndpoint(string, string, int32) (proxy.Endpoint, error) {
	return proxy.Endpoint{}, n.err()
}
func (n noNetwork) StartForward(proxy.Endpoint, int, proxy.ForwardOptions) (*proxy.Forward, error) {
	return nil, n.err()
}
func (noNetwork) StopForward(int) []*proxy.Forward { return nil }
func (n noNetwork) DialPod(context.Context, sim.Component, string, string, int32, func(error)) (net.Conn, error) {
	return nil, n.err()
}

// noKubelet is a real node's kubelet, which kubeplay does not reach yet.
type noKubelet struct{ lang bilingual.Lang }

var noKubeletText = bilingual.Text{
	EN: "kubeplay does not read logs or run exec on a real cluster yet; your own kubectl does, with the same kubeconfig",
	KO: "kubeplay는 아직 진짜 클러스터에서 로그를 읽거나 exec를 실행하지 못해요. 같은 kubeconfig로 직접 kubectl을 쓰세요",
}

func (n noKubelet) err() error { return errors.New(noKubeletText.In(n.lang)) }

// Proxied runs fn at once: there is no proxy hop to show.
func (noKubelet) Proxied(_ sim.Component, _ string, _ sim.Verb, fn func()) { fn() }
func (n noKubelet) Logs(string, io.Writer) error                           { return n.err() }
func (n noKubelet) LogStream(string) (kubelet.LogStreamFunc, bool, error) {
	return nil, false, n.err()
}
func (noKubelet) FollowLogs(*corev1.Pod, string, string, int, io.Writer) (int, bool) { return 0, false }
func (n noKubelet) Exec(string, []string, time.Duration) (kruntime.ExecResult, error) {
	return kruntime.ExecResult{}, n.err()
}
func (n noKubelet) ExecStdin(string, []string, []byte, time.Duration) (kruntime.ExecResult, error) {
	return kruntime.ExecResult{}, n.err()
}
func (n noKubelet) Stream(string) (kubelet.StreamFunc, error) { return nil, n.err() }
