// Package scheduler is kubeplay's kube-scheduler, the actor: it watches pods,
// nodes and claims, keeps a queue of pods waiting for a node and a cache of
// what each node holds, asks the pure plugins of scheduler/framework where a
// pod goes, and binds it through the apiserver.
package scheduler

import (
	"sort"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/scheduler/framework"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// Name is the scheduler's component name in hops.
const Name = sim.Component(sim.KindScheduler)

var (
	resPods, _    = apiserver.ResourceFor("pods")
	resClasses, _ = apiserver.ResourceFor("storageclasses")
	resPVCs, _    = apiserver.ResourceFor("persistentvolumeclaims")
)

// Scheduler is kube-scheduler around the pure algorithm: a queue of
// pods waiting for a node, a cache of what each node holds (with the pods
// it has decided on but not yet seen bound: "assumed"), and the pods that
// fit nowhere, retried when a node or a pod changes.
type Scheduler struct {
	api           *apiserver.Server
	k             *sim.Kernel
	algo          *framework.Scheduler
	nodes         map[string]*framework.NodeInfo
	sorted        []*framework.NodeInfo // nodes by name, kept as they come and go
	placed        map[string]placement  // by pod UID: the pod as accounted, and its node
	queue         []string              // pod keys "ns/name" waiting, in arrival order
	queued        map[string]bool
	unschedulable map[string]bool
	armed         bool
}

// New starts the scheduler on api's watch.
func New(api *apiserver.Server) *Scheduler {
	s := &Scheduler{
		api: api, k: api.Kernel(), algo: framework.New(api.Kernel().Rand()),
		nodes: map[string]*framework.NodeInfo{}, placed: map[string]placement{},
		queued: map[string]bool{}, unschedulable: map[string]bool{},
	}
	api.Watch(apiserver.Watcher{Component: Name, Filter: s.filter, Handle: s.handle})
	return s
}

func (s *Scheduler) filter(ev store.Event) (string, bool) {
	switch o := ev.Object.(type) {
	case *corev1.Node:
		return "node " + string(ev.Type), true
	case *corev1.PersistentVolumeClaim:
		// A pod waiting for its claim may fit once the claim is bound.
		if len(s.unschedulable) > 0 && ev.Type != watch.Deleted {
			return "claim " + o.Name + " " + ev.Verb() + " → retry pods waiting for it", true
		}
	case *corev1.Pod:
		if o.Spec.SchedulerName != "" && o.Spec.SchedulerName != corev1.DefaultSchedulerName {
			return "", false
		}
		if o.Spec.NodeName == "" {
			if ev.Type == watch.Added {
				return "pod added (no node) → schedule it", true
			}
			return "", false
		}
		// Bound pods matter when they free or take room on a node: one
		// created bound (spec.nodeName set, as an installer's add-on pods
		// or a learner's pod that names its node) takes room at once.
		if ev.Type == watch.Added && !terminatedPod(o) {
			return "pod added on " + o.Spec.NodeName + " → room taken", true
		}
		if ev.Type == watch.Deleted || terminatedPod(o) && !terminatedPod(ev.Old.(*corev1.Pod)) {
			return "pod gone from " + o.Spec.NodeName + " → room freed", true
		}
		if ev.Type == watch.Modified && ev.Old.(*corev1.Pod).Spec.NodeName == "" {
			return "pod bound to " + o.Spec.NodeName, true
		}
		if ev.Type == watch.Modified {
			s.refresh(o)
		}
	}
	return "", false
}

// refresh takes a newer version of a bound pod into the node cache, as
// upstream's cache takes every update from its informer: an informer's
// store follows every change, while the scheduler acts (a hop) only on
// those that free or take room. Without it the cache would hold each pod
// as it was when bound, beside the stored one: without its start time,
// and twice the memory. A pod whose binding the scheduler has not yet
// seen waits for it.
func (s *Scheduler) refresh(p *corev1.Pod) {
	old, ok := s.placed[string(p.UID)]
	if !ok || old.pod == p || old.node != p.Spec.NodeName || old.pod.Spec.NodeName == "" {
		return
	}
	if ni := s.nodes[old.node]; ni != nil && ni.UpdatePodFrom(old.pod, p) {
		s.placed[string(p.UID)] = placement{p, old.node}
	}
}

func terminatedPod(p *corev1.Pod) bool {
	return p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
}

func podKey(p *corev1.Pod) string { return p.Namespace + "/" + p.Name }

func (s *Scheduler) handle(ev store.Event) {
	switch o := ev.Object.(type) {
	case *corev1.Node:
		if ev.Type == watch.Deleted {
			delete(s.nodes, o.Name)
		} else if ni := s.nodes[o.Name]; ni != nil {
			ni.SetNode(o)
		} else {
			s.nodes[o.Name] = framework.NewNodeInfo(o, nil)
		}
		s.sorted = s.sorted[:0]
		for _, ni := range s.nodes {
			s.sorted = append(s.sorted, ni)
		}
		sort.Slice(s.sorted, func(i, j int) bool { return s.sorted[i].Name() < s.sorted[j].Name() })
		s.retryUnschedulable()
	case *corev1.PersistentVolumeClaim:
		s.retryUnschedulable()
	case *corev1.Pod:
		switch {
		case o.Spec.NodeName == "":
			s.enqueue(podKey(o))
		case ev.Type == watch.Deleted || terminatedPod(o):
			s.forget(o)
			s.retryUnschedulable()
		default:
			s.account(o, o.Spec.NodeName)
		}
	}
}

// placement is a pod the scheduler counts on a node: bound, or assumed
// (chosen, its binding on the way), when the pod object is the pending one
// and only node says where it goes.
type placement struct {
	pod  *corev1.Pod
	node string
}

// account records a pod on node, replacing the assumed placement.
func (s *Scheduler) account(p *corev1.Pod, node string) {
	if old, ok := s.placed[string(p.UID)]; ok {
		if ni := s.nodes[old.node]; ni != nil {
			ni.RemovePod(old.pod)
		}
	}
	if ni := s.nodes[node]; ni != nil {
		ni.AddPod(p)
		s.placed[string(p.UID)] = placement{p, node}
	}
}

func (s *Scheduler) forget(p *corev1.Pod) {
	if old, ok := s.placed[string(p.UID)]; ok {
		if ni := s.nodes[old.node]; ni != nil {
			ni.RemovePod(old.pod)
		}
		delete(s.placed, string(p.UID))
	}
}

func (s *Scheduler) enqueue(key string) {
	if s.queued[key] {
		return
	}
	s.queued[key] = true
	delete(s.unschedulable, key)
	s.queue = append(s.queue, key)
	s.arm()
}

func (s *Scheduler) arm() {
	if s.armed || len(s.queue) == 0 {
		return
	}
	s.armed = true
	s.k.After(0, Name, "scheduling cycle", s.cycle)
}

// retryUnschedulable moves every pod that fit nowhere back to the queue:
// what changed may make room (upstream moves them on cluster events).
func (s *Scheduler) retryUnschedulable() {
	keys := make([]string, 0, len(s.unschedulable))
	for k := range s.unschedulable {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s.enqueue(k)
	}
}

// cycle schedules the pod at the head of the queue.
func (s *Scheduler) cycle() {
	s.armed = false
	if len(s.queue) == 0 {
		return
	}
	key := s.queue[0]
	s.queue = s.queue[1:]
	delete(s.queued, key)
	defer s.arm()
	ns, name := splitKey(key)
	obj, err := s.api.Get(resPods, ns, name)
	if err != nil {
		return
	}
	pod := obj.(*corev1.Pod)
	if pod.Spec.NodeName != "" || pod.DeletionTimestamp != nil {
		return
	}
	if st := framework.VolumeBindingPreFilter(pod, s.claimGetter(ns), s.delayBinding); st != nil {
		s.unschedulable[key] = true
		msg := framework.PreFilterMessage(len(s.sorted), st)
		s.api.Record(pod, corev1.EventTypeWarning, "FailedScheduling", "default-scheduler", msg)
		s.markUnschedulable(pod, msg)
		return
	}
	res := s.algo.ScheduleSorted(pod, s.sorted)
	if res.Node == "" {
		s.unschedulable[key] = true
		s.api.Record(pod, corev1.EventTypeWarning, "FailedScheduling", "default-scheduler", res.Message)
		s.markUnschedulable(pod, res.Message)
		return
	}
	// Assume: count the pod on its node now, as it will be once bound.
	s.account(pod, res.Node)
	node := res.Node // for Done: the whole Result would go to the heap
	s.api.Submit(Name, apiserver.Request{Verb: sim.VerbBind, Resource: resPods, Namespace: ns, Name: name, NodeName: node,
		Why: res.Why, Done: func(_ kruntime.Object, err error) {
			if err != nil {
				s.forget(pod)
				return
			}
			s.api.Record(pod, corev1.EventTypeNormal, "Scheduled", "default-scheduler",
				"Successfully assigned "+ns+"/"+name+" to "+node)
		}})
}

func (s *Scheduler) claimGetter(ns string) framework.ClaimGetter {
	return func(name string) (*corev1.PersistentVolumeClaim, bool) {
		obj, err := s.api.Get(resPVCs, ns, name)
		if err != nil {
			return nil, false
		}
		return obj.(*corev1.PersistentVolumeClaim), true
	}
}

// delayBinding reports whether a StorageClass waits for the first pod.
func (s *Scheduler) delayBinding(class string) bool {
	obj, err := s.api.Get(resClasses, "", class)
	if err != nil || class == "" {
		return false
	}
	m := obj.(*storagev1.StorageClass).VolumeBindingMode
	return m != nil && *m == storagev1.VolumeBindingWaitForFirstConsumer
}

// markUnschedulable sets PodScheduled=False, as kube-scheduler does, so
// that describe shows why the pod waits.
func (s *Scheduler) markUnschedulable(pod *corev1.Pod, msg string) {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Message == msg {
			return
		}
	}
	p := pod.DeepCopy()
	p.ResourceVersion = ""
	p.Status.Phase = corev1.PodPending
	cond := corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
		Message: msg, LastTransitionTime: metav1.NewTime(s.k.Now().Truncate(1e9))}
	replaced := false
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == corev1.PodScheduled {
			p.Status.Conditions[i], replaced = cond, true
		}
	}
	if !replaced {
		p.Status.Conditions = append(p.Status.Conditions, cond)
	}
	s.api.Submit(Name, apiserver.Request{Verb: sim.VerbUpdateStatus, Object: p, Why: "unschedulable: " + msg})
}

func splitKey(key string) (string, string) {
	ns, name, _ := strings.Cut(key, "/")
	return ns, name
}
