package controller

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/scheduler/framework"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/utils/ptr"
)

// dsController is the name the DaemonSet controller signs its events with.
const dsController = "daemonset-controller"

// DaemonSetUniqueLabel (upstream DefaultDaemonSetUniqueLabelKey) tells a DaemonSet's pods (and revisions) of
// one template from another's.
const DaemonSetUniqueLabel = appsv1.ControllerRevisionHashLabelKey

// podTemplateGenerationLabel is the deprecated label upstream still puts
// on daemon pods beside the hash.
const podTemplateGenerationLabel = "pod-template-generation"

// dsBurstReplicas caps the pods one sync creates or deletes, as upstream's
// daemon controller does.
const dsBurstReplicas = 250

// daemonTolerations are the tolerations every DaemonSet pod gets
// (upstream's AddOrUpdateDaemonPodTolerations): a node's troubles do not
// evict it, and a cordoned node still runs it.
var daemonTolerations = []corev1.Toleration{
	{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
	{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
	{Key: corev1.TaintNodeDiskPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
	{Key: corev1.TaintNodeMemoryPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
	{Key: corev1.TaintNodePIDPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
	{Key: corev1.TaintNodeUnschedulable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
}

// hostNetworkToleration is added for pods on the host's network, which
// need no pod network to run.
var hostNetworkToleration = corev1.Toleration{Key: corev1.TaintNodeNetworkUnavailable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}

type daemonSets struct {
	m      *Manager
	q      Queue
	expect expectationSet
	// nodes are the NodeInfos of the nodes last seen, by name: remade
	// only when the node object changes (a stored object is never
	// changed in place), not on each of the many syncs a rollout makes.
	nodes map[string]*framework.NodeInfo
}

// installDaemonSets registers the DaemonSet controller: a DaemonSet's own
// changes, its pods', its revisions' and every node's that could change
// where it runs concern it.
func installDaemonSets(m *Manager) {
	c := &daemonSets{m: m, expect: expectationSet{}, nodes: map[string]*framework.NodeInfo{}}
	c.q = m.Register(Controller{Name: dsController, Order: 60, Reconciler: c, Watches: []Watch{
		{Object: &appsv1.DaemonSet{}, Keys: ownKey},
		{Object: &corev1.Pod{}, Filter: podChanged, Keys: c.podKeys},
		{Object: &corev1.Node{}, Filter: nodeChanged, Keys: c.allDaemonSets},
		{Object: &appsv1.ControllerRevision{}, Filter: daemonSetOwned, Keys: func(ev store.Event) []Key {
			cr := ev.Object.(*appsv1.ControllerRevision)
			return []Key{{Namespace: cr.Namespace, Name: metav1.GetControllerOfNoCopy(cr).Name}}
		}},
	}})
}

func daemonSetOwned(ev store.Event) (string, bool) {
	m := ev.Object.(metav1.Object)
	ref := metav1.GetControllerOfNoCopy(m)
	return "", ref != nil && ref.Kind == "DaemonSet"
}

// podKeys are the DaemonSet that owns a pod.
func (c *daemonSets) podKeys(ev store.Event) []Key {
	o := ev.Object.(*corev1.Pod)
	if ref := metav1.GetControllerOfNoCopy(o); ref != nil && ref.Kind == "DaemonSet" {
		c.expect.observe(ev, ref.Name)
		return []Key{{Namespace: o.Namespace, Name: ref.Name}}
	}
	return nil
}

// nodeChanged lets through what can change which nodes a DaemonSet runs
// on: a node added or removed, its labels, taints, cordon or readiness.
func nodeChanged(ev store.Event) (string, bool) {
	switch ev.Type {
	case watch.Added:
		return "node added", true
	case watch.Deleted:
		return "node deleted", true
	}
	old, cur := ev.Old.(*corev1.Node), ev.Object.(*corev1.Node)
	switch {
	case !labels.Equals(old.Labels, cur.Labels):
		return "node labels changed", true
	case old.Spec.Unschedulable != cur.Spec.Unschedulable, len(old.Spec.Taints) != len(cur.Spec.Taints):
		return "node taints changed", true
	case nodeReady(old) != nodeReady(cur):
		return "node readiness changed", true
	}
	for i := range old.Spec.Taints {
		if !old.Spec.Taints[i].MatchTaint(&cur.Spec.Taints[i]) {
			return "node taints changed", true
		}
	}
	return "", false
}

func nodeReady(n *corev1.Node) corev1.ConditionStatus {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status
		}
	}
	return corev1.ConditionUnknown
}

// allDaemonSets are the keys of every DaemonSet: a node change may
// concern any of them.
func (c *daemonSets) allDaemonSets(store.Event) []Key {
	var keys []Key
	for _, obj := range c.m.api.List(resDaemonSets, "") {
		ds := obj.(*appsv1.DaemonSet)
		keys = append(keys, Key{Namespace: ds.Namespace, Name: ds.Name})
	}
	return keys
}

// dsSync is what one sync of a DaemonSet reads once: its nodes, pods by
// node, and the pod it would make for a node (with the default
// tolerations) to test each node with.
type dsSync struct {
	ds     *appsv1.DaemonSet
	hash   string
	nodes  []*framework.NodeInfo
	fits   []nodeFit                // shouldRun of each of nodes
	byNode map[string][]*corev1.Pod // every pod it owns, by target node, oldest first
	tmpl   *corev1.Pod
	now    time.Time
}

// nodeFit is shouldRun's answer for one node.
type nodeFit struct {
	run, stay bool
	why       string
}

// Reconcile is the daemon controller's syncDaemonSet.
func (c *daemonSets) Reconcile(key Key) Result {
	m := c.m
	ds, ok := liveOwner[*appsv1.DaemonSet](m, resDaemonSets, key, c.expect)
	if !ok {
		return Result{}
	}
	cur, old := c.constructHistory(ds)
	s := &dsSync{ds: ds, hash: cur.Labels[DaemonSetUniqueLabel], byNode: c.podsByNode(ds), now: m.k.Now()}
	s.tmpl = &corev1.Pod{Spec: daemonPodSpec(&ds.Spec.Template.Spec)}
	for _, obj := range m.api.List(resNodes, "") {
		node := obj.(*corev1.Node)
		ni := c.nodes[node.Name]
		if ni == nil || ni.Node != node {
			ni = framework.NewNodeInfo(node, nil)
			c.nodes[node.Name] = ni
		}
		s.nodes = append(s.nodes, ni)
		run, stay, why := s.shouldRun(ni)
		s.fits = append(s.fits, nodeFit{run, stay, why})
	}
	e := c.expect.of(key.Namespace, key.Name)
	if e.satisfied() {
		c.manage(s, e)
		if e.satisfied() && ds.Spec.UpdateStrategy.Type == appsv1.RollingUpdateDaemonSetStrategyType && s.hasOldPods() {
			c.rollingUpdate(s, e)
		}
		c.cleanupHistory(s, old)
	}
	return c.updateStatus(s)
}

// hasOldPods reports whether a pod of another template is left: only
// then has a rolling update anything to do.
func (s *dsSync) hasOldPods() bool {
	for _, pods := range s.byNode {
		for _, p := range pods {
			if p.Labels[DaemonSetUniqueLabel] != s.hash {
				return true
			}
		}
	}
	return false
}

// daemonPodSpec is the template's spec with the default tolerations
// added, as upstream's CreatePodTemplate makes it.
func daemonPodSpec(t *corev1.PodSpec) corev1.PodSpec {
	spec := *t
	spec.Tolerations = append([]corev1.Toleration(nil), t.Tolerations...)
	add := daemonTolerations
	if spec.HostNetwork {
		add = append(append([]corev1.Toleration(nil), daemonTolerations...), hostNetworkToleration)
	}
	for _, tol := range add {
		found := false
		for i := range spec.Tolerations {
			if have := &spec.Tolerations[i]; have.Key == tol.Key && have.Effect == tol.Effect {
				*have, found = tol, true
			}
		}
		if !found {
			spec.Tolerations = append(spec.Tolerations, tol)
		}
	}
	return spec
}

// targetNode is the node a DaemonSet pod is for: its nodeName once bound,
// until then the node its affinity names (upstream's GetTargetNodeName).
func targetNode(p *corev1.Pod) string {
	if p.Spec.NodeName != "" {
		return p.Spec.NodeName
	}
	if a := p.Spec.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
			for _, f := range t.MatchFields {
				if f.Key == metav1.ObjectNameField && f.Operator == corev1.NodeSelectorOpIn && len(f.Values) == 1 {
					return f.Values[0]
				}
			}
		}
	}
	return ""
}

func (c *daemonSets) podsByNode(ds *appsv1.DaemonSet) map[string][]*corev1.Pod {
	out := map[string][]*corev1.Pod{}
	for _, o := range c.m.st.ByIndex(apiserver.PrefixOf(resPods), IndexOwner, string(ds.UID)) {
		p := o.(*corev1.Pod)
		n := targetNode(p)
		out[n] = append(out[n], p)
	}
	for _, pods := range out {
		sortOldestFirst(pods)
	}
	return out
}

// sortOldestFirst is upstream's podByCreationTimestampAndPhase: older
// first, a running pod before a pending one of the same age.
func sortOldestFirst(pods []*corev1.Pod) {
	sort.SliceStable(pods, func(i, j int) bool {
		a, b := pods[i], pods[j]
		if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
			return a.CreationTimestamp.Before(&b.CreationTimestamp)
		}
		if (a.Status.Phase == corev1.PodRunning) != (b.Status.Phase == corev1.PodRunning) {
			return a.Status.Phase == corev1.PodRunning
		}
		return a.Name < b.Name
	})
}

// shouldRun is NodeShouldRunDaemonPod: whether the node should get a
// daemon pod, whether one already there may stay, and why not.
func (s *dsSync) shouldRun(n *framework.NodeInfo) (run, stay bool, why string) {
	if want := s.tmpl.Spec.NodeName; want != "" && want != n.Name() {
		return false, false, "the template names node " + want
	}
	if !framework.FitsNodeAffinity(s.tmpl, n) {
		return false, false, "does not match the nodeSelector/affinity"
	}
	if t := n.UntoleratedTaint(s.tmpl.Spec.Tolerations, corev1.TaintEffectNoSchedule, corev1.TaintEffectNoExecute); t != nil {
		stay = n.UntoleratedTaint(s.tmpl.Spec.Tolerations, corev1.TaintEffectNoExecute) == nil
		return false, stay, fmt.Sprintf("taint %s:%s is not tolerated", t.Key, t.Effect)
	}
	return true, true, ""
}

// podWhy is a pod to delete and why.
type podWhy struct {
	pod *corev1.Pod
	why string
}

// nodeWhy is a node to make a pod for and why.
type nodeWhy struct {
	node, why string
}

// manage is the daemon controller's manage with podsShouldBeOnNode: a pod
// for each node that should run one and has none, none on a node that
// may not keep one, one (or, surging, two) on the rest.
func (c *daemonSets) manage(s *dsSync, e *expectations) {
	var create []nodeWhy
	var del []podWhy
	surge := allowsSurge(s.ds)
	known := make(map[string]bool, len(s.nodes))
	for i, n := range s.nodes {
		known[n.Name()] = true
		run, stay, why := s.fits[i].run, s.fits[i].stay, s.fits[i].why
		pods := s.byNode[n.Name()]
		switch {
		case run && len(pods) == 0:
			create = append(create, nodeWhy{n.Name(), n.Name() + " matches, no pod → create"})
		case run:
			var running []*corev1.Pod
			for _, p := range pods {
				switch {
				case p.DeletionTimestamp != nil:
				case p.Status.Phase == corev1.PodFailed:
					c.m.api.Record(s.ds, corev1.EventTypeWarning, "FailedDaemonPod", dsController,
						fmt.Sprintf("Found failed daemon pod %s/%s on node %s, will try to kill it", p.Namespace, p.Name, n.Name()))
					del = append(del, podWhy{p, fmt.Sprintf("pod %s failed on %s → delete, a new one follows", p.Name, n.Name())})
				default:
					running = append(running, p)
				}
			}
			del = append(del, s.excessPods(n.Name(), running, surge)...)
		case !stay:
			for _, p := range pods {
				if p.DeletionTimestamp == nil {
					del = append(del, podWhy{p, fmt.Sprintf("%s: %s → delete %s", n.Name(), why, p.Name)})
				}
			}
		}
	}
	// Pods for nodes that are gone (upstream's getUnscheduledPodsWithoutNode).
	gone := make([]string, 0)
	for node := range s.byNode {
		if !known[node] {
			gone = append(gone, node)
		}
	}
	sort.Strings(gone)
	for _, node := range gone {
		for _, p := range s.byNode[node] {
			if p.DeletionTimestamp == nil {
				del = append(del, podWhy{p, fmt.Sprintf("node %q is gone → delete %s", node, p.Name)})
			}
		}
	}
	c.syncNodes(s, del, create, e)
}

// excessPods are the running pods beyond one on a node: all but the
// oldest; when surging, the old pod goes once the new one is ready (or
// when it is not ready itself).
func (s *dsSync) excessPods(node string, running []*corev1.Pod, surge bool) []podWhy {
	if len(running) <= 1 {
		return nil
	}
	var del []podWhy
	if !surge {
		for _, p := range running[1:] {
			del = append(del, podWhy{p, fmt.Sprintf("%d pods on %s → keep the oldest, delete %s", len(running), node, p.Name)})
		}
		return del
	}
	var oldestNew, oldestOld *corev1.Pod
	for _, p := range running {
		switch {
		case p.Labels[DaemonSetUniqueLabel] == s.hash && oldestNew == nil:
			oldestNew = p
		case p.Labels[DaemonSetUniqueLabel] != s.hash && oldestOld == nil:
			oldestOld = p
		default:
			del = append(del, podWhy{p, fmt.Sprintf("%d pods on %s → keep one old and one new, delete %s", len(running), node, p.Name)})
		}
	}
	if oldestNew != nil && oldestOld != nil {
		switch {
		case !podutilReady(oldestOld):
			del = append(del, podWhy{oldestOld, fmt.Sprintf("surge on %s: old pod %s is not ready → delete it", node, oldestOld.Name)})
		case podutilReady(oldestNew):
			del = append(del, podWhy{oldestOld, fmt.Sprintf("surge on %s: new pod %s is ready → delete the old %s", node, oldestNew.Name, oldestOld.Name)})
		}
	}
	return del
}

// syncNodes deletes and creates pods, each a hop with its why: creates in
// slow-start batches, at most dsBurstReplicas of each per sync.
func (c *daemonSets) syncNodes(s *dsSync, del []podWhy, create []nodeWhy, e *expectations) {
	ds := s.ds
	key := Key{Namespace: ds.Namespace, Name: ds.Name}
	create = create[:min(len(create), dsBurstReplicas)]
	del = del[:min(len(del), dsBurstReplicas)]
	podLabels := make(map[string]string, len(ds.Spec.Template.Labels)+1)
	for k, v := range ds.Spec.Template.Labels {
		podLabels[k] = v
	}
	podLabels[DaemonSetUniqueLabel] = s.hash
	podLabels[podTemplateGenerationLabel] = strconv.FormatInt(templateGeneration(ds), 10)
	slowStart(len(create), func(i int, done func(bool)) {
		c.m.createPod(ds, dsController, c.newPod(s, podLabels, create[i].node), create[i].why, e, done)
	}, func() { c.q.AddAfter(key, time.Second, "retry failed creates") })
	for _, d := range del {
		c.m.deletePod(ds, dsController, d.pod, d.why, e)
	}
}

// templateGeneration is what the pod-template-generation label says: the
// deprecated annotation the apiserver keeps, else the generation.
func templateGeneration(ds *appsv1.DaemonSet) int64 {
	if v, err := strconv.ParseInt(ds.Annotations[appsv1.DeprecatedTemplateGeneration], 10, 64); err == nil {
		return v
	}
	return ds.Generation
}

// newPod is a daemon pod for a node: the template with the default
// tolerations, placed by a required node affinity on the node's name for
// the scheduler to bind (as upstream has done since 1.12), named as the
// apiserver would name it from generateName.
func (c *daemonSets) newPod(s *dsSync, podLabels map[string]string, node string) *corev1.Pod {
	ds := s.ds
	spec := s.tmpl.Spec // the tolerations are shared, never changed in place
	spec.Affinity = nodeNameAffinity(spec.Affinity, node)
	return &corev1.Pod{
		TypeMeta: metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{
			Name:            ds.Name + "-" + apiserver.NameSuffix(c.m.k, ds.Namespace, podLabels),
			GenerateName:    ds.Name + "-",
			Namespace:       ds.Namespace,
			Labels:          podLabels,
			Annotations:     ds.Spec.Template.Annotations,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(ds, appsv1.SchemeGroupVersion.WithKind("DaemonSet"))},
		},
		Spec: spec,
	}
}

// nodeNameAffinity is ReplaceDaemonSetPodNodeNameNodeAffinity: the
// required node affinity becomes one term, metadata.name In [node]; the
// controller has already checked the template's own terms.
func nodeNameAffinity(a *corev1.Affinity, node string) *corev1.Affinity {
	sel := &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{
		{Key: metav1.ObjectNameField, Operator: corev1.NodeSelectorOpIn, Values: []string{node}}}}}}
	out := &corev1.Affinity{}
	if a != nil {
		*out = *a
	}
	na := &corev1.NodeAffinity{}
	if out.NodeAffinity != nil {
		*na = *out.NodeAffinity
	}
	na.RequiredDuringSchedulingIgnoredDuringExecution = sel
	out.NodeAffinity = na
	return out
}

// allowsSurge reports whether a rolling update may start a new pod beside
// the old one (maxSurge above 0).
func allowsSurge(ds *appsv1.DaemonSet) bool {
	surge, _ := dsFenceposts(ds, 1)
	return surge > 0
}

// dsFenceposts are maxSurge and maxUnavailable in pods, of desired
// (both rounded up); both 0 means one unavailable.
func dsFenceposts(ds *appsv1.DaemonSet, desired int) (surge, unavailable int) {
	ru := ds.Spec.UpdateStrategy.RollingUpdate
	if ds.Spec.UpdateStrategy.Type != appsv1.RollingUpdateDaemonSetStrategyType || ru == nil {
		return 0, 0
	}
	surge, _ = intstr.GetScaledValueFromIntOrPercent(intstr.ValueOrDefault(ru.MaxSurge, intstr.FromInt32(0)), desired, true)
	unavailable, _ = intstr.GetScaledValueFromIntOrPercent(intstr.ValueOrDefault(ru.MaxUnavailable, intstr.FromInt32(1)), desired, true)
	if desired > 0 && surge == 0 && unavailable == 0 {
		unavailable = 1
	}
	return surge, unavailable
}

// updatedPods is findUpdatedPodsOnNode: the node's new and old pod, not
// ok when it has more than one of either (manage cleans that up first).
func (s *dsSync) updatedPods(pods []*corev1.Pod) (newPod, oldPod *corev1.Pod, ok bool) {
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		if p.Labels[DaemonSetUniqueLabel] == s.hash {
			if newPod != nil {
				return nil, nil, false
			}
			newPod = p
		} else {
			if oldPod != nil {
				return nil, nil, false
			}
			oldPod = p
		}
	}
	return newPod, oldPod, true
}

// rollingUpdate is the daemon controller's rollingUpdate: without surge,
// delete old pods while at most maxUnavailable are unavailable (manage
// then makes their new ones); with surge, start new pods beside old ones
// on at most maxSurge nodes and delete each old pod once its new one is
// available.
func (c *daemonSets) rollingUpdate(s *dsSync, e *expectations) {
	ds := s.ds
	desired := 0
	run := make(map[string]bool, len(s.nodes))
	for i, n := range s.nodes {
		if s.fits[i].run {
			desired++
			run[n.Name()] = true
		}
	}
	maxSurge, maxUnavailable := dsFenceposts(ds, desired)
	minReady := ds.Spec.MinReadySeconds
	// Nodes in name order, so that runs repeat exactly.
	nodes := make([]string, 0, len(s.byNode))
	for n := range s.byNode {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	if maxSurge == 0 {
		numUnavailable := 0
		var replace, candidates []*corev1.Pod
		for _, node := range nodes {
			newPod, oldPod, ok := s.updatedPods(s.byNode[node])
			switch {
			case !ok, oldPod == nil && newPod == nil, oldPod != nil && newPod != nil:
				numUnavailable++
			case newPod != nil:
				if !isAvailable(newPod, minReady, s.now) {
					numUnavailable++
				}
			case !isAvailable(oldPod, minReady, s.now):
				replace = append(replace, oldPod)
			case numUnavailable < maxUnavailable:
				candidates = append(candidates, oldPod)
			}
		}
		n := min(max(maxUnavailable-numUnavailable, 0), len(candidates))
		var del []podWhy
		for _, p := range replace {
			del = append(del, podWhy{p, fmt.Sprintf("rolling update: old pod %s on %s is not available → replace it", p.Name, targetNode(p))})
		}
		for _, p := range candidates[:n] {
			del = append(del, podWhy{p, fmt.Sprintf("rolling update: %d unavailable, maxUnavailable %d → replace old pod %s on %s",
				numUnavailable, maxUnavailable, p.Name, targetNode(p))})
		}
		c.syncNodes(s, del, nil, e)
		return
	}
	var del []podWhy
	var shouldNotRun []*corev1.Pod
	var allowed, candidates []string
	numSurge, numAvailable := 0, 0
	for _, node := range nodes {
		newPod, oldPod, ok := s.updatedPods(s.byNode[node])
		if !ok {
			numSurge++
			continue
		}
		switch {
		case newPod != nil && isAvailable(newPod, minReady, s.now), newPod == nil && oldPod != nil && isAvailable(oldPod, minReady, s.now):
			numAvailable++
		}
		if !run[node] {
			for _, p := range []*corev1.Pod{oldPod, newPod} {
				if p != nil {
					shouldNotRun = append(shouldNotRun, p)
				}
			}
			continue
		}
		switch {
		case oldPod == nil:
		case newPod == nil:
			switch {
			case !isAvailable(oldPod, minReady, s.now):
				allowed = append(allowed, node)
			case numSurge < maxSurge:
				candidates = append(candidates, node)
			}
		case !isAvailable(newPod, minReady, s.now):
			numSurge++
		default:
			del = append(del, podWhy{oldPod, fmt.Sprintf("rolling update: new pod %s on %s is available → delete the old %s", newPod.Name, node, oldPod.Name)})
		}
	}
	if deletable := min(numAvailable-desired, len(shouldNotRun)); deletable > 0 {
		for _, p := range shouldNotRun[:deletable] {
			del = append(del, podWhy{p, fmt.Sprintf("%s no longer runs it and %d pods are available → delete %s", targetNode(p), numAvailable, p.Name)})
		}
	}
	n := min(max(maxSurge-numSurge, 0), len(candidates))
	var create []nodeWhy
	for _, node := range allowed {
		create = append(create, nodeWhy{node, fmt.Sprintf("rolling update: the old pod on %s is not available → start a new one", node)})
	}
	for _, node := range candidates[:n] {
		create = append(create, nodeWhy{node, fmt.Sprintf("rolling update: %d surging, maxSurge %d → start a new pod on %s beside the old", numSurge, maxSurge, node)})
	}
	c.syncNodes(s, del, create, e)
}

// revisionPatch is what a ControllerRevision of a DaemonSet or a
// StatefulSet holds (upstream's getPatch): a strategic merge patch that puts the template
// back whole. The keys come out sorted, as upstream's map does.
func revisionPatch(template *corev1.PodTemplateSpec) []byte {
	t, _ := json.Marshal(template)
	var b bytes.Buffer
	b.WriteString(`{"spec":{"template":{"$patch":"replace"`)
	if len(t) > 2 {
		b.WriteByte(',')
	}
	b.Write(t[1:])
	b.WriteString(`}}`)
	return b.Bytes()
}

// constructHistory finds the revision of the DaemonSet's current template
// among the ones it owns, or makes one (numbered after the newest); an
// old revision that is current again (an undo) gets the next number — the
// StatefulSet's syncRevision, with the DaemonSet's own hash rule (of the
// template, not of the patch) and label. cur is returned at once even
// when its write is still on its way; old are the others.
func (c *daemonSets) constructHistory(ds *appsv1.DaemonSet) (cur *appsv1.ControllerRevision, old []*appsv1.ControllerRevision) {
	revisions := c.m.revisionsOf(ds)
	next := nextRevision(revisions)
	hash := TemplateHash(&ds.Spec.Template, ds.Status.CollisionCount)
	crLabels := copyMap(ds.Spec.Template.Labels)
	if crLabels == nil {
		crLabels = map[string]string{}
	}
	crLabels[DaemonSetUniqueLabel] = hash
	want := &appsv1.ControllerRevision{
		TypeMeta: metav1.TypeMeta{Kind: "ControllerRevision", APIVersion: "apps/v1"},
		ObjectMeta: metav1.ObjectMeta{Name: ds.Name + "-" + hash, Namespace: ds.Namespace, Labels: crLabels, Annotations: copyMap(ds.Annotations),
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(ds, appsv1.SchemeGroupVersion.WithKind("DaemonSet"))}},
		Data:     runtime.RawExtension{Raw: revisionPatch(&ds.Spec.Template)},
		Revision: next,
	}
	why := fmt.Sprintf("template changed → revision %d (%s)", next, hash)
	if next == 1 {
		why = fmt.Sprintf("first template → revision 1 (%s)", hash)
	}
	cur = c.m.syncRevision(revisions, want, why, func(r *appsv1.ControllerRevision) string {
		return fmt.Sprintf("revision %d's template is current again → revision %d", r.Revision, next)
	})
	for _, r := range revisions {
		if r.Name != cur.Name {
			old = append(old, r)
		}
	}
	return cur, old
}

// cleanupHistory deletes the oldest revisions beyond revisionHistoryLimit
// that no pod runs.
func (c *daemonSets) cleanupHistory(s *dsSync, old []*appsv1.ControllerRevision) {
	toKill := len(old) - int(ptr.Deref(s.ds.Spec.RevisionHistoryLimit, 10))
	if toKill <= 0 {
		return
	}
	live := map[string]bool{}
	for _, pods := range s.byNode {
		for _, p := range pods {
			live[p.Labels[DaemonSetUniqueLabel]] = true
		}
	}
	sort.Slice(old, func(i, j int) bool { return old[i].Revision < old[j].Revision })
	for _, cr := range old {
		if toKill <= 0 {
			break
		}
		if live[cr.Labels[DaemonSetUniqueLabel]] {
			continue
		}
		c.m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resControllerRevisions, Namespace: cr.Namespace, Name: cr.Name,
			Why: fmt.Sprintf("revisionHistoryLimit %d: drop revision %d", ptr.Deref(s.ds.Spec.RevisionHistoryLimit, 10), cr.Revision)})
		toKill--
	}
}

// updateStatus is updateDaemonSetStatus: per node that should run the
// pod, whether it has one, ready, available and of the current template;
// pods on nodes that should not run it are misscheduled.
func (c *daemonSets) updateStatus(s *dsSync) Result {
	ds := s.ds
	st := appsv1.DaemonSetStatus{ObservedGeneration: ds.Generation, CollisionCount: ds.Status.CollisionCount, Conditions: ds.Status.Conditions}
	for i, n := range s.nodes {
		pods := s.byNode[n.Name()]
		if !s.fits[i].run {
			if len(pods) > 0 {
				st.NumberMisscheduled++
			}
			continue
		}
		st.DesiredNumberScheduled++
		if len(pods) == 0 {
			continue
		}
		st.CurrentNumberScheduled++
		p := pods[0]
		if podutilReady(p) {
			st.NumberReady++
			if isAvailable(p, ds.Spec.MinReadySeconds, s.now) {
				st.NumberAvailable++
			}
		}
		if p.Labels[DaemonSetUniqueLabel] == s.hash {
			st.UpdatedNumberScheduled++
		}
	}
	st.NumberUnavailable = st.DesiredNumberScheduled - st.NumberAvailable
	var res Result
	if ds.Spec.MinReadySeconds > 0 && st.NumberReady != st.NumberAvailable {
		res = Result{RequeueAfter: time.Duration(ds.Spec.MinReadySeconds) * time.Second, Why: "minReadySeconds elapse"}
	}
	if equalDSStatus(ds.Status, st) {
		return res
	}
	updated := *ds
	updated.Status = st
	updated.ResourceVersion = "" // status writes are patches: no precondition
	c.m.submit(apiserver.Request{Verb: sim.VerbUpdateStatus, Object: &updated,
		Why: fmt.Sprintf("status: %d desired, %d current, %d ready, %d up-to-date, %d available",
			st.DesiredNumberScheduled, st.CurrentNumberScheduled, st.NumberReady, st.UpdatedNumberScheduled, st.NumberAvailable)})
	return res
}

func equalDSStatus(a, b appsv1.DaemonSetStatus) bool {
	return a.ObservedGeneration == b.ObservedGeneration && a.DesiredNumberScheduled == b.DesiredNumberScheduled &&
		a.CurrentNumberScheduled == b.CurrentNumberScheduled && a.NumberMisscheduled == b.NumberMisscheduled &&
		a.NumberReady == b.NumberReady && a.UpdatedNumberScheduled == b.UpdatedNumberScheduled &&
		a.NumberAvailable == b.NumberAvailable && a.NumberUnavailable == b.NumberUnavailable
}
