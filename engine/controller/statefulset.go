package controller

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

// The StatefulSet controller, after upstream's pkg/controller/statefulset
// (stateful_set_control.go, stateful_set_utils.go, stateful_pod_control.go):
// pods with stable names <set>-<ordinal>, each with its own claims
// <template>-<set>-<ordinal> that outlive it; OrderedReady creates them
// one at a time, each Running and Ready before the next, and removes them
// highest ordinal first; Parallel does both at once. A RollingUpdate
// replaces pods highest ordinal first down to the partition; OnDelete
// waits for the learner to delete them. The templates in use are kept as
// ControllerRevisions (history.go).

// stsController is the name the StatefulSet controller signs its events with.
const stsController = "statefulset-controller"

// Labels the controller puts on its pods.
const (
	// StatefulSetPodNameLabel is the pod's own name, for a Service that
	// selects one pod of the set.
	StatefulSetPodNameLabel = "statefulset.kubernetes.io/pod-name"
	// PodIndexLabel is the pod's ordinal.
	PodIndexLabel = "apps.kubernetes.io/pod-index"
	// ControllerRevisionLabel names the revision a pod was made from.
	ControllerRevisionLabel = appsv1.ControllerRevisionHashLabelKey
)

var (
	resStatefulSets, _ = apiserver.ResourceFor("statefulsets")
	stsKind            = appsv1.SchemeGroupVersion.WithKind("StatefulSet")
)

type statefulSets struct {
	m *Manager
	q Queue
}

// installStatefulSets registers the StatefulSet controller: a set's own
// changes and those of the pods it controls concern it.
func installStatefulSets(m *Manager) {
	c := &statefulSets{m: m}
	c.q = m.Register(Controller{Name: stsController, Order: 55, Reconciler: c, Watches: []Watch{
		{Object: &appsv1.StatefulSet{}, Keys: ownKey},
		{Object: &corev1.Pod{}, Filter: podChanged, Keys: c.podKeys},
	}})
}

func (c *statefulSets) podKeys(ev store.Event) []Key {
	o := ev.Object.(*corev1.Pod)
	if ref := metav1.GetControllerOfNoCopy(o); ref != nil && ref.Kind == "StatefulSet" {
		return []Key{{Namespace: o.Namespace, Name: ref.Name}}
	}
	return nil
}

// ordinalOf is the ordinal in a pod's name <set>-<n>, or -1 when the name
// is not one of set's (getParentNameAndOrdinal).
func ordinalOf(set *appsv1.StatefulSet, pod *corev1.Pod) int {
	rest, ok := strings.CutPrefix(pod.Name, set.Name+"-")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 || strconv.Itoa(n) != rest {
		return -1
	}
	return n
}

func isTerminating(p *corev1.Pod) bool { return p.DeletionTimestamp != nil }

func isRunningAndReady(p *corev1.Pod) bool {
	return p.Status.Phase == corev1.PodRunning && podutilReady(p)
}

// isHealthy is running, ready and not on its way out.
func isHealthy(p *corev1.Pod) bool { return isRunningAndReady(p) && !isTerminating(p) }

// sync is what one Reconcile decided, for the hops' whys.
type stsSync struct {
	set              *appsv1.StatefulSet
	current, update  *appsv1.ControllerRevision
	currentSet       *appsv1.StatefulSet // the set at its current revision
	monotonic        bool
	why              string // the decision that ended the pass
	requeueAvailable time.Duration
}

// Reconcile is the StatefulSet controller's sync: revisions, then the
// pods in ordinal order, then the condemned in reverse, then the rolling
// update, then the status.
func (c *statefulSets) Reconcile(key Key) Result {
	obj, err := c.m.api.Get(resStatefulSets, key.Namespace, key.Name)
	if err != nil {
		return Result{}
	}
	set := obj.(*appsv1.StatefulSet)
	var pods []*corev1.Pod
	for _, o := range c.m.st.ByIndex(apiserver.PrefixOf(resPods), IndexOwner, string(set.UID)) {
		pods = append(pods, o.(*corev1.Pod))
	}
	revisions := c.m.revisionsOf(set)
	data := revisionPatch(&set.Spec.Template)
	want := newRevision(set, stsKind, set.Spec.Template.Labels, data, nextRevision(revisions), set.Status.CollisionCount)
	s := &stsSync{set: set, monotonic: set.Spec.PodManagementPolicy != appsv1.ParallelPodManagement}
	why := "new statefulset → revision " + want.Name
	if len(revisions) > 0 {
		why = "template changed → revision " + want.Name
	}
	s.update = c.m.syncRevision(revisions, want, why, func(r *appsv1.ControllerRevision) string {
		return fmt.Sprintf("template of revision %s is back → renumber it %d", r.Name, want.Revision)
	})
	s.current = s.update
	for _, r := range revisions {
		if r.Name == set.Status.CurrentRevision {
			s.current = r
		}
	}
	s.currentSet = set
	if s.current != s.update {
		s.currentSet = setAtRevision(set, s.current)
	}

	replicas, condemned := c.split(set, pods)
	if set.DeletionTimestamp == nil {
		c.manage(s, replicas, condemned)
	}
	c.updateStatus(s, pods)

	live := map[string]bool{s.current.Name: true, s.update.Name: true}
	for _, p := range pods {
		live[p.Labels[ControllerRevisionLabel]] = true
	}
	c.m.truncateHistory(revisions, live, ptr.Deref(set.Spec.RevisionHistoryLimit, 10))
	if s.requeueAvailable > 0 {
		return Result{RequeueAfter: s.requeueAvailable, Why: "minReadySeconds elapse"}
	}
	return Result{}
}

// setAtRevision is set with the template a revision holds.
func setAtRevision(set *appsv1.StatefulSet, r *appsv1.ControllerRevision) *appsv1.StatefulSet {
	var patch struct {
		Spec struct {
			Template corev1.PodTemplateSpec `json:"template"`
		} `json:"spec"`
	}
	old := set.DeepCopy()
	if err := json.Unmarshal(r.Data.Raw, &patch); err == nil {
		old.Spec.Template = patch.Spec.Template
	}
	return old
}

// split files the set's pods by ordinal: replicas[i] is ordinal start+i
// (nil when missing); condemned are those beyond, highest first.
func (c *statefulSets) split(set *appsv1.StatefulSet, pods []*corev1.Pod) (replicas, condemned []*corev1.Pod) {
	start := 0
	if set.Spec.Ordinals != nil {
		start = int(set.Spec.Ordinals.Start)
	}
	replicas = make([]*corev1.Pod, ptr.Deref(set.Spec.Replicas, 1))
	for _, p := range pods {
		switch ord := ordinalOf(set, p); {
		case ord < 0:
		case ord >= start && ord < start+len(replicas):
			replicas[ord-start] = p
		default:
			condemned = append(condemned, p)
		}
	}
	slices.SortFunc(condemned, func(a, b *corev1.Pod) int { return ordinalOf(set, b) - ordinalOf(set, a) })
	return replicas, condemned
}

// manage makes the pods what the set says, as updateStatefulSet does; it
// stops at the first thing OrderedReady must wait for, saying why.
func (c *statefulSets) manage(s *stsSync, replicas, condemned []*corev1.Pod) {
	set := s.set
	start := 0
	if set.Spec.Ordinals != nil {
		start = int(set.Spec.Ordinals.Start)
	}
	mode := "(" + string(set.Spec.PodManagementPolicy) + ")"
	var firstUnhealthy *corev1.Pod
	for _, p := range replicas {
		if p != nil && !isHealthy(p) && firstUnhealthy == nil {
			firstUnhealthy = p
		}
	}
	for i := len(condemned) - 1; i >= 0 && firstUnhealthy == nil; i-- {
		if !isHealthy(condemned[i]) {
			firstUnhealthy = condemned[i]
		}
	}
	partition := 0
	if ru := set.Spec.UpdateStrategy.RollingUpdate; set.Spec.UpdateStrategy.Type == appsv1.RollingUpdateStatefulSetStrategyType && ru != nil {
		partition = int(ptr.Deref(ru.Partition, 0))
	}
	want := len(replicas)

	for i, p := range replicas {
		ord := start + i
		name := fmt.Sprintf("%s-%d", set.Name, ord)
		switch {
		case p == nil:
			// Below the partition a pod is made at the current revision.
			from, rev := s.set, s.update
			if set.Spec.UpdateStrategy.Type == appsv1.RollingUpdateStatefulSetStrategyType && i < partition {
				from, rev = s.currentSet, s.current
			}
			c.createPod(set, newStatefulPod(from, ord, rev.Name),
				fmt.Sprintf("%s missing (replicas %d) → create it %s", name, want, mode))
			if s.monotonic {
				s.why = fmt.Sprintf("%s created → wait until it is Running and Ready %s", name, mode)
				return
			}
			continue
		case p.Status.Phase == corev1.PodFailed || p.Status.Phase == corev1.PodSucceeded:
			if !isTerminating(p) {
				c.deletePod(set, p, fmt.Sprintf("%s has %s → delete it, to make it again", name, p.Status.Phase))
			}
			s.why = fmt.Sprintf("%s has %s → it is made again once gone", name, p.Status.Phase)
			return
		case isTerminating(p):
			if s.monotonic {
				s.why = fmt.Sprintf("%s is terminating → wait until it is gone %s", name, mode)
				return
			}
			continue
		}
		if p.Status.Phase == corev1.PodPending {
			c.createMissingClaims(set, p)
		}
		if !isRunningAndReady(p) && s.monotonic {
			s.why = fmt.Sprintf("%s not Running and Ready yet → wait %s", name, mode)
			return
		}
		if !isAvailable(p, set.Spec.MinReadySeconds, c.m.k.Now()) && s.monotonic {
			s.requeueAvailable = readySince(p).Add(time.Duration(set.Spec.MinReadySeconds) * time.Second).Sub(c.m.k.Now())
			s.why = fmt.Sprintf("%s not available yet (minReadySeconds %d) → wait %s", name, set.Spec.MinReadySeconds, mode)
			return
		}
		c.syncClaimOwners(set, p, false)
	}

	for _, p := range condemned {
		c.syncClaimOwners(set, p, true)
	}
	for _, p := range condemned {
		name := p.Name
		if isTerminating(p) {
			if s.monotonic {
				s.why = fmt.Sprintf("%s is terminating → wait until it is gone before the next %s", name, mode)
				return
			}
			continue
		}
		if !isRunningAndReady(p) && s.monotonic && p != firstUnhealthy {
			s.why = fmt.Sprintf("%s not Running and Ready → wait before scaling down %s", firstUnhealthy.Name, mode)
			return
		}
		c.deletePod(set, p, fmt.Sprintf("replicas %d, %s is beyond → delete it, highest ordinal first %s", want, name, mode))
		if s.monotonic {
			s.why = fmt.Sprintf("%s deleted → wait until it is gone %s", name, mode)
			return
		}
	}

	if set.Spec.UpdateStrategy.Type == appsv1.OnDeleteStatefulSetStrategyType {
		return
	}
	for i := len(replicas) - 1; i >= partition; i-- {
		p := replicas[i]
		if p == nil {
			continue
		}
		if p.Labels[ControllerRevisionLabel] != s.update.Name && !isTerminating(p) {
			c.deletePod(set, p, fmt.Sprintf("%s is at revision %s, the update is %s → delete it, highest ordinal first (partition %d)",
				p.Name, p.Labels[ControllerRevisionLabel], s.update.Name, partition))
			s.why = fmt.Sprintf("%s deleted for the update → it comes back at %s", p.Name, s.update.Name)
			return
		}
		if !isHealthy(p) {
			s.why = fmt.Sprintf("%s not Running and Ready yet → wait before updating the next", p.Name)
			return
		}
	}
}

// newStatefulPod is newStatefulSetPod: the template with the pod's
// identity (name, hostname, subdomain, labels) and its claims as volumes.
func newStatefulPod(set *appsv1.StatefulSet, ord int, revision string) *corev1.Pod {
	t := &set.Spec.Template
	name := fmt.Sprintf("%s-%d", set.Name, ord)
	labels := make(map[string]string, len(t.Labels)+3)
	maps.Copy(labels, t.Labels)
	labels[StatefulSetPodNameLabel] = name
	labels[PodIndexLabel] = strconv.Itoa(ord)
	labels[ControllerRevisionLabel] = revision
	pod := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{Name: name, GenerateName: set.Name + "-", Namespace: set.Namespace, Labels: labels,
			Annotations: copyMap(t.Annotations), Finalizers: slices.Clone(t.Finalizers),
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(set, stsKind)}},
		Spec: *t.Spec.DeepCopy(),
	}
	pod.Spec.Hostname = name
	pod.Spec.Subdomain = set.Spec.ServiceName
	var volumes []corev1.Volume
	claimed := map[string]bool{}
	for _, ct := range set.Spec.VolumeClaimTemplates {
		claimed[ct.Name] = true
		volumes = append(volumes, corev1.Volume{Name: ct.Name, VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claimName(set, ct.Name, ord)}}})
	}
	for _, v := range pod.Spec.Volumes {
		if !claimed[v.Name] {
			volumes = append(volumes, v)
		}
	}
	pod.Spec.Volumes = volumes
	return pod
}

// claimName is <template>-<set>-<ordinal>.
func claimName(set *appsv1.StatefulSet, template string, ord int) string {
	return fmt.Sprintf("%s-%s-%d", template, set.Name, ord)
}

// newClaim is the claim of one ordinal from one template, labelled with
// the set's selector.
func newClaim(set *appsv1.StatefulSet, t *corev1.PersistentVolumeClaim, ord int) *corev1.PersistentVolumeClaim {
	claim := &corev1.PersistentVolumeClaim{
		TypeMeta: metav1.TypeMeta{Kind: "PersistentVolumeClaim", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{Name: claimName(set, t.Name, ord), Namespace: set.Namespace,
			Labels: copyMap(t.Labels), Annotations: copyMap(t.Annotations)},
		Spec: *t.Spec.DeepCopy(),
	}
	if set.Spec.Selector != nil && len(set.Spec.Selector.MatchLabels) > 0 {
		if claim.Labels == nil {
			claim.Labels = map[string]string{}
		}
		maps.Copy(claim.Labels, set.Spec.Selector.MatchLabels)
	}
	if retention(set).WhenDeleted == appsv1.DeletePersistentVolumeClaimRetentionPolicyType {
		claim.OwnerReferences = []metav1.OwnerReference{setOwnerRef(set)}
	}
	return claim
}

func retention(set *appsv1.StatefulSet) appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy {
	if p := set.Spec.PersistentVolumeClaimRetentionPolicy; p != nil {
		return *p
	}
	return appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{WhenDeleted: appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
		WhenScaled: appsv1.RetainPersistentVolumeClaimRetentionPolicyType}
}

// setOwnerRef is the (non-controller) reference that lets the garbage
// collector delete a claim with its set (whenDeleted: Delete).
func setOwnerRef(set *appsv1.StatefulSet) metav1.OwnerReference {
	return metav1.OwnerReference{APIVersion: "apps/v1", Kind: "StatefulSet", Name: set.Name, UID: set.UID}
}

func podOwnerRef(p *corev1.Pod) metav1.OwnerReference {
	return metav1.OwnerReference{APIVersion: "v1", Kind: "Pod", Name: p.Name, UID: p.UID}
}

// claimOf reads a claim from the store, nil when there is none.
func (c *statefulSets) claimOf(ns, name string) *corev1.PersistentVolumeClaim {
	obj, err := c.m.api.Get(resPVCs, ns, name)
	if err != nil {
		return nil
	}
	return obj.(*corev1.PersistentVolumeClaim)
}

// createClaims sends the creates of the pod's claims that do not exist
// yet (createPersistentVolumeClaims); it reports false when one is being
// deleted, and the pod must wait for it to go.
func (c *statefulSets) createClaims(set *appsv1.StatefulSet, pod *corev1.Pod) bool {
	ord := ordinalOf(set, pod)
	for i := range set.Spec.VolumeClaimTemplates {
		claim := newClaim(set, &set.Spec.VolumeClaimTemplates[i], ord)
		if existing := c.claimOf(set.Namespace, claim.Name); existing != nil {
			if existing.DeletionTimestamp != nil {
				c.m.api.Record(set, corev1.EventTypeWarning, "FailedCreate", stsController,
					fmt.Sprintf("create Pod %s in StatefulSet %s failed error: pvc %s is being deleted", pod.Name, set.Name, claim.Name))
				return false
			}
			continue
		}
		c.m.submit(apiserver.Request{Verb: sim.VerbCreate, Object: claim,
			Why: fmt.Sprintf("%s needs claim %s (volumeClaimTemplate %s) → create it", pod.Name, claim.Name, set.Spec.VolumeClaimTemplates[i].Name),
			Done: func(_ runtime.Object, err error) {
				if err != nil && !apierrors.IsAlreadyExists(err) {
					c.m.api.Record(set, corev1.EventTypeWarning, "FailedCreate", stsController,
						fmt.Sprintf("create Claim %s for Pod %s in StatefulSet %s failed error: %v", claim.Name, pod.Name, set.Name, err))
					return
				}
				if err == nil {
					c.m.api.Record(set, corev1.EventTypeNormal, "SuccessfulCreate", stsController,
						fmt.Sprintf("create Claim %s Pod %s in StatefulSet %s success", claim.Name, pod.Name, set.Name))
				}
			}})
	}
	return true
}

// createMissingClaims makes again the claims of a pending pod that are
// gone (a claim deleted by hand while its pod waits).
func (c *statefulSets) createMissingClaims(set *appsv1.StatefulSet, pod *corev1.Pod) {
	c.createClaims(set, pod)
}

// createPod creates the pod's claims, then the pod (CreateStatefulPod).
func (c *statefulSets) createPod(set *appsv1.StatefulSet, pod *corev1.Pod, why string) {
	if !c.createClaims(set, pod) {
		c.q.AddAfter(Key{Namespace: set.Namespace, Name: set.Name}, secondRetry, "retry: a claim is being deleted")
		return
	}
	c.m.submit(apiserver.Request{Verb: sim.VerbCreate, Object: pod, Why: why, Done: func(_ runtime.Object, err error) {
		switch {
		case apierrors.IsAlreadyExists(err):
		case err != nil:
			c.m.api.Record(set, corev1.EventTypeWarning, "FailedCreate", stsController,
				fmt.Sprintf("create Pod %s in StatefulSet %s failed error: %v", pod.Name, set.Name, err))
			c.q.AddAfter(Key{Namespace: set.Namespace, Name: set.Name}, secondRetry, "retry failed create")
		default:
			c.m.api.Record(set, corev1.EventTypeNormal, "SuccessfulCreate", stsController,
				fmt.Sprintf("create Pod %s in StatefulSet %s successful", pod.Name, set.Name))
		}
	}})
}

func (c *statefulSets) deletePod(set *appsv1.StatefulSet, pod *corev1.Pod, why string) {
	c.m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: pod.Namespace, Name: pod.Name, Why: why,
		Preconditions: apiserver.UIDPrecondition(pod), Done: func(_ runtime.Object, err error) {
			switch {
			case apierrors.IsNotFound(err):
			case err != nil:
				c.m.api.Record(set, corev1.EventTypeWarning, "FailedDelete", stsController,
					fmt.Sprintf("delete Pod %s in StatefulSet %s failed error: %v", pod.Name, set.Name, err))
			default:
				c.m.api.Record(set, corev1.EventTypeNormal, "SuccessfulDelete", stsController,
					fmt.Sprintf("delete Pod %s in StatefulSet %s successful", pod.Name, set.Name))
			}
		}})
}

// syncClaimOwners gives the pod's claims the owners the retention policy
// asks for (UpdatePodClaimForRetentionPolicy): the set when whenDeleted
// is Delete; the pod, once condemned, when whenScaled is Delete — then
// the garbage collector removes the claim with its owner.
func (c *statefulSets) syncClaimOwners(set *appsv1.StatefulSet, pod *corev1.Pod, condemned bool) {
	policy := retention(set)
	ord := ordinalOf(set, pod)
	for _, t := range set.Spec.VolumeClaimTemplates {
		claim := c.claimOf(set.Namespace, claimName(set, t.Name, ord))
		if claim == nil || claim.DeletionTimestamp != nil {
			continue
		}
		refs := slices.DeleteFunc(slices.Clone(claim.OwnerReferences), func(r metav1.OwnerReference) bool {
			return r.UID == set.UID || (r.Kind == "Pod" && r.Name == pod.Name)
		})
		var why []string
		if policy.WhenDeleted == appsv1.DeletePersistentVolumeClaimRetentionPolicyType {
			refs = append(refs, setOwnerRef(set))
			why = append(why, "whenDeleted: Delete → owned by the set")
		}
		if condemned && policy.WhenScaled == appsv1.DeletePersistentVolumeClaimRetentionPolicyType {
			refs = append(refs, podOwnerRef(pod))
			why = append(why, "whenScaled: Delete and "+pod.Name+" is scaled away → owned by the pod")
		}
		if ownersEqual(refs, claim.OwnerReferences) {
			continue
		}
		if len(why) == 0 {
			why = append(why, "retention policy Retain → no owners")
		}
		updated := claim.DeepCopy()
		updated.OwnerReferences = refs
		c.m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: updated, Why: claim.Name + ": " + strings.Join(why, "; ")})
	}
}

func ownersEqual(a, b []metav1.OwnerReference) bool {
	if len(a) != len(b) {
		return false
	}
	uids := map[types.UID]bool{}
	for _, r := range a {
		uids[r.UID] = true
	}
	for _, r := range b {
		if !uids[r.UID] {
			return false
		}
	}
	return true
}

// updateStatus counts the pods as computeReplicaStatus does and writes
// the status when it changed, with the pass's decision as its why.
func (c *statefulSets) updateStatus(s *stsSync, pods []*corev1.Pod) {
	set := s.set
	st := appsv1.StatefulSetStatus{ObservedGeneration: set.Generation, CollisionCount: set.Status.CollisionCount,
		CurrentRevision: s.current.Name, UpdateRevision: s.update.Name, Conditions: set.Status.Conditions}
	now := c.m.k.Now()
	for _, p := range pods {
		if ordinalOf(set, p) < 0 {
			continue
		}
		st.Replicas++
		if isRunningAndReady(p) {
			st.ReadyReplicas++
			if isAvailable(p, set.Spec.MinReadySeconds, now) {
				st.AvailableReplicas++
			}
		}
		if !isTerminating(p) {
			switch p.Labels[ControllerRevisionLabel] {
			case s.current.Name:
				st.CurrentReplicas++
				if s.current.Name == s.update.Name {
					st.UpdatedReplicas++
				}
			case s.update.Name:
				st.UpdatedReplicas++
			}
		}
	}
	// completeRollingUpdate: every pod is at the update revision and ready.
	if set.Spec.UpdateStrategy.Type == appsv1.RollingUpdateStatefulSetStrategyType &&
		st.UpdatedReplicas == st.Replicas && st.ReadyReplicas == st.Replicas {
		st.CurrentReplicas = st.UpdatedReplicas
		st.CurrentRevision = st.UpdateRevision
	}
	if equalSTSStatus(set.Status, st) {
		return
	}
	updated := *set
	updated.Status = st
	updated.ResourceVersion = ""
	why := fmt.Sprintf("status: %d replicas, %d ready, %d updated", st.Replicas, st.ReadyReplicas, st.UpdatedReplicas)
	if s.why != "" {
		why += "; " + s.why
	}
	c.m.submit(apiserver.Request{Verb: sim.VerbUpdateStatus, Object: &updated, Why: why})
}

func equalSTSStatus(a, b appsv1.StatefulSetStatus) bool {
	return a.ObservedGeneration == b.ObservedGeneration && a.Replicas == b.Replicas && a.ReadyReplicas == b.ReadyReplicas &&
		a.CurrentReplicas == b.CurrentReplicas && a.UpdatedReplicas == b.UpdatedReplicas && a.AvailableReplicas == b.AvailableReplicas &&
		a.CurrentRevision == b.CurrentRevision && a.UpdateRevision == b.UpdateRevision
}
