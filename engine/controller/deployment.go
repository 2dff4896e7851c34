package controller

import (
	"encoding/json"
	"fmt"
	"github.com/kubeplay/kubeplay/engine/addons"
	"hash/fnv"
	"sort"
	"strconv"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	utilrand "k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/utils/ptr"
)

const depController = "deployment-controller"

// Annotations the deployment controller keeps on ReplicaSets.
const (
	RevisionAnnotation        = "deployment.kubernetes.io/revision"
	DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
	MaxReplicasAnnotation     = "deployment.kubernetes.io/max-replicas"
	ChangeCauseAnnotation     = "kubernetes.io/change-cause"
	// PodTemplateHashLabel tells the pods of one template from another's.
	PodTemplateHashLabel = "pod-template-hash"
)

type deployments struct {
	m *Manager
	q Queue
	// sameTemplate remembers which ReplicaSet generations carry which
	// deployment generation's template: the comparison is the costliest
	// part of a sync, and neither side changes without a new generation.
	sameTemplate map[templatePair]bool
}

// installDeployments registers the deployment controller: a Deployment's
// own changes, its ReplicaSets' and the deletion of their pods concern it.
func installDeployments(m *Manager) {
	c := &deployments{m: m, sameTemplate: map[templatePair]bool{}}
	c.q = m.Register(Controller{Name: depController, Order: 40, Reconciler: c, Watches: []Watch{
		{Object: &appsv1.Deployment{}, Keys: ownKey},
		{Object: &appsv1.ReplicaSet{}, Keys: func(ev store.Event) []Key {
			return c.ownerOf(ev.Object.(*appsv1.ReplicaSet))
		}},
		{Object: &corev1.Pod{}, Filter: podChanged, Keys: c.podKeys},
	}})
}

// ownerOf is the key of the Deployment that controls rs, if one does.
func (c *deployments) ownerOf(rs *appsv1.ReplicaSet) []Key {
	if ref := metav1.GetControllerOfNoCopy(rs); ref != nil && ref.Kind == "Deployment" {
		return []Key{{Namespace: rs.Namespace, Name: ref.Name}}
	}
	return nil
}

// podKeys are the Deployment whose ReplicaSet owned a pod that is gone.
func (c *deployments) podKeys(ev store.Event) []Key {
	o := ev.Object.(*corev1.Pod)
	ref := metav1.GetControllerOfNoCopy(o)
	if ev.Type != watch.Deleted || ref == nil || ref.Kind != "ReplicaSet" {
		return nil
	}
	if obj, err := c.m.api.Get(resReplicaSets, o.Namespace, ref.Name); err == nil {
		return c.ownerOf(obj.(*appsv1.ReplicaSet))
	}
	return nil
}

type templatePair struct {
	rs, d       types.UID
	rsGen, dGen int64
}

// isNewReplicaSet reports whether rs runs d's current template.
func (c *deployments) isNewReplicaSet(d *appsv1.Deployment, rs *appsv1.ReplicaSet) bool {
	key := templatePair{rs.UID, d.UID, rs.Generation, d.Generation}
	same, ok := c.sameTemplate[key]
	if !ok {
		if len(c.sameTemplate) > 10000 {
			clear(c.sameTemplate)
		}
		same = equalIgnoreHash(&rs.Spec.Template, &d.Spec.Template)
		c.sameTemplate[key] = same
	}
	return same
}

// Reconcile is the deployment controller's syncDeployment.
func (c *deployments) Reconcile(key Key) Result {
	c.sync(key.Namespace, key.Name)
	return Result{}
}

func (c *deployments) sync(ns, name string) {
	m := c.m
	obj, err := m.api.Get(resDeployments, ns, name)
	if err != nil {
		return
	}
	d := obj.(*appsv1.Deployment)
	if d.DeletionTimestamp != nil {
		return
	}
	var rsList []*appsv1.ReplicaSet
	for _, o := range m.st.ByIndex(apiserver.PrefixOf(resReplicaSets), IndexOwner, string(d.UID)) {
		rsList = append(rsList, o.(*appsv1.ReplicaSet))
	}
	newRS, oldRSs := findNewReplicaSet(d, rsList, c.isNewReplicaSet)

	if d.Spec.Paused {
		// A paused deployment still scales, but starts no rollout.
		if newRS != nil && ptr.Deref(newRS.Spec.Replicas, 0) != ptr.Deref(d.Spec.Replicas, 1) && len(activeRSs(oldRSs)) == 0 {
			c.scale(d, newRS, ptr.Deref(d.Spec.Replicas, 1), "deployment scaled while paused")
		}
		c.syncStatus(d, newRS, oldRSs, false)
		return
	}
	if newRS == nil {
		// Recreate makes its new ReplicaSet only once every old pod is gone:
		// created earlier, it would start pods beside the old ones.
		if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
			if acted, waiting := c.scaleDownForRecreate(d, oldRSs); acted || waiting {
				c.syncStatus(d, nil, oldRSs, acted)
				return
			}
		}
		c.createNewReplicaSet(d, oldRSs)
		c.syncStatus(d, nil, oldRSs, false)
		return
	}
	if c.bumpRevision(d, newRS, oldRSs) {
		return
	}
	all := append([]*appsv1.ReplicaSet{newRS}, oldRSs...)
	var acted bool
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		acted = c.rolloutRecreate(d, newRS, oldRSs)
	} else {
		acted = c.reconcileNewReplicaSet(d, all, newRS) || c.reconcileOldReplicaSets(d, all, oldRSs, newRS)
	}
	if !acted && deploymentComplete(d, newRS, all) {
		c.cleanup(d, oldRSs)
	}
	c.syncStatus(d, newRS, oldRSs, acted)
}

// findNewReplicaSet picks the ReplicaSet whose template equals the
// deployment's, ignoring the pod-template-hash label (the oldest if several).
func findNewReplicaSet(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet, isNew func(*appsv1.Deployment, *appsv1.ReplicaSet) bool) (*appsv1.ReplicaSet, []*appsv1.ReplicaSet) {
	sort.Slice(rsList, func(i, j int) bool {
		if !rsList[i].CreationTimestamp.Equal(&rsList[j].CreationTimestamp) {
			return rsList[i].CreationTimestamp.Before(&rsList[j].CreationTimestamp)
		}
		return rsList[i].Name < rsList[j].Name
	})
	var newRS *appsv1.ReplicaSet
	var old []*appsv1.ReplicaSet
	for _, rs := range rsList {
		if newRS == nil && isNew(d, rs) {
			newRS = rs
			continue
		}
		old = append(old, rs)
	}
	return newRS, old
}

// equalIgnoreHash is deploymentutil's EqualIgnoreHash without its deep
// copies: shallow copies without labels compare the rest, and the labels
// are compared by hand. It runs for every ReplicaSet on every sync.
func equalIgnoreHash(a, b *corev1.PodTemplateSpec) bool {
	if !equalLabelsIgnoreHash(a.Labels, b.Labels) {
		return false
	}
	ac, bc := *a, *b
	ac.Labels, bc.Labels = nil, nil
	return apiequality.Semantic.DeepEqual(&ac, &bc)
}

func equalLabelsIgnoreHash(a, b map[string]string) bool {
	count := func(m map[string]string) int {
		if _, ok := m[PodTemplateHashLabel]; ok {
			return len(m) - 1
		}
		return len(m)
	}
	if count(a) != count(b) {
		return false
	}
	for k, v := range a {
		if k == PodTemplateHashLabel {
			continue
		}
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TemplateHash is the pod-template-hash of a template: an FNV-32a hash of
// the template (and the collision count), encoded as apimachinery's
// SafeEncodeString does, so names look like upstream's: web-7d4b9c8f5.
func TemplateHash(t *corev1.PodTemplateSpec, collisions *int32) string {
	h := fnv.New32a()
	b, _ := json.Marshal(t)
	h.Write(b)
	if collisions != nil {
		fmt.Fprintf(h, "%d", *collisions)
	}
	return utilrand.SafeEncodeString(fmt.Sprint(h.Sum32()))
}

func revisionOf(rs *appsv1.ReplicaSet) int64 {
	v, _ := strconv.ParseInt(rs.Annotations[RevisionAnnotation], 10, 64)
	return v
}

func maxRevision(rsList []*appsv1.ReplicaSet) int64 {
	var max int64
	for _, rs := range rsList {
		if v := revisionOf(rs); v > max {
			max = v
		}
	}
	return max
}

// resolveFenceposts turns maxSurge and maxUnavailable into pod counts:
// surge rounds up, unavailable down, and both zero means one unavailable.
func resolveFenceposts(d *appsv1.Deployment) (surge, unavailable int32) {
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType || d.Spec.Strategy.RollingUpdate == nil {
		return 0, 0
	}
	replicas := int(ptr.Deref(d.Spec.Replicas, 1))
	ru := d.Spec.Strategy.RollingUpdate
	s, _ := intstr.GetScaledValueFromIntOrPercent(intstr.ValueOrDefault(ru.MaxSurge, intstr.FromString("25%")), replicas, true)
	u, _ := intstr.GetScaledValueFromIntOrPercent(intstr.ValueOrDefault(ru.MaxUnavailable, intstr.FromString("25%")), replicas, false)
	if s == 0 && u == 0 {
		u = 1
	}
	return int32(s), int32(u)
}

// MaxUnavailable is the number of pods a rollout may have unavailable.
func MaxUnavailable(d *appsv1.Deployment) int32 {
	_, u := resolveFenceposts(d)
	return min(u, ptr.Deref(d.Spec.Replicas, 1))
}

func (c *deployments) createNewReplicaSet(d *appsv1.Deployment, oldRSs []*appsv1.ReplicaSet) {
	revision := maxRevision(oldRSs) + 1
	rs := NewReplicaSet(d, revision)
	all := append([]*appsv1.ReplicaSet{rs}, oldRSs...)
	replicas := newRSReplicas(d, all, rs)
	rs.Spec.Replicas = ptr.To(replicas)
	why := fmt.Sprintf("template changed → new replicaset, revision %d", revision)
	if len(oldRSs) == 0 {
		why = fmt.Sprintf("new deployment → replicaset %s with %d replicas", rs.Name, replicas)
	}
	c.m.submit(apiserver.Request{Verb: sim.VerbCreate, Object: rs, Why: why, Done: func(created runtime.Object, err error) {
		if err != nil {
			c.m.api.Record(d, corev1.EventTypeWarning, "FailedCreate", depController, "Failed to create new replica set "+rs.Name+": "+err.Error())
			return
		}
		if replicas > 0 {
			c.m.api.Record(d, corev1.EventTypeNormal, "ScalingReplicaSet", depController,
				fmt.Sprintf("Scaled up replica set %s from 0 to %d", rs.Name, replicas))
		}
		// Sync again now that the new ReplicaSet is in the cache.
		c.q.Add(Key{Namespace: d.Namespace, Name: d.Name})
	}})
}

// NewReplicaSet is the ReplicaSet the deployment controller creates for
// d's template at revision, with no replicas yet (the controller scales
// it): also how the cluster's installer ships an add-on's.
func NewReplicaSet(d *appsv1.Deployment, revision int64) *appsv1.ReplicaSet {
	hash := TemplateHash(&d.Spec.Template, d.Status.CollisionCount)
	t := d.Spec.Template.DeepCopy()
	if t.Labels == nil {
		t.Labels = map[string]string{}
	}
	t.Labels[PodTemplateHashLabel] = hash
	sel := d.Spec.Selector.DeepCopy()
	if sel.MatchLabels == nil {
		sel.MatchLabels = map[string]string{}
	}
	sel.MatchLabels[PodTemplateHashLabel] = hash
	return &appsv1.ReplicaSet{
		TypeMeta: metav1.TypeMeta{Kind: "ReplicaSet", APIVersion: "apps/v1"},
		ObjectMeta: metav1.ObjectMeta{
			Name: d.Name + "-" + hash, Namespace: d.Namespace, Labels: copyMap(t.Labels),
			Annotations:     rsAnnotations(d, revision),
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))},
		},
		Spec: appsv1.ReplicaSetSpec{Replicas: ptr.To(int32(0)), MinReadySeconds: d.Spec.MinReadySeconds, Selector: sel, Template: *t},
	}
}

func rsAnnotations(d *appsv1.Deployment, revision int64) map[string]string {
	surge, _ := resolveFenceposts(d)
	replicas := ptr.Deref(d.Spec.Replicas, 1)
	a := map[string]string{
		RevisionAnnotation:        strconv.FormatInt(revision, 10),
		DesiredReplicasAnnotation: strconv.Itoa(int(replicas)),
		MaxReplicasAnnotation:     strconv.Itoa(int(replicas + surge)),
	}
	if cause, ok := d.Annotations[ChangeCauseAnnotation]; ok {
		a[ChangeCauseAnnotation] = cause
	}
	return a
}

// bumpRevision gives a ReplicaSet that becomes new again (a rollback) the
// next revision number, and keeps the deployment's revision annotation in
// step with its new ReplicaSet. It reports whether it sent an update.
func (c *deployments) bumpRevision(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) bool {
	sent := false
	rev := revisionOf(newRS)
	if max := maxRevision(oldRSs); rev <= max {
		rs := newRS.DeepCopy()
		rs.Annotations[RevisionAnnotation] = strconv.FormatInt(max+1, 10)
		if cause, ok := d.Annotations[ChangeCauseAnnotation]; ok {
			rs.Annotations[ChangeCauseAnnotation] = cause
		}
		c.m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: rs,
			Why: fmt.Sprintf("replicaset %s is the template again → revision %d", rs.Name, max+1)})
		rev, sent = max+1, true
	}
	if d.Annotations[RevisionAnnotation] != strconv.FormatInt(rev, 10) {
		dd := d.DeepCopy()
		if dd.Annotations == nil {
			dd.Annotations = map[string]string{}
		}
		dd.Annotations[RevisionAnnotation] = strconv.FormatInt(rev, 10)
		c.m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: dd, Why: fmt.Sprintf("revision %d", rev)})
		sent = true
	}
	return sent
}

func replicasOf(rs *appsv1.ReplicaSet) int32 { return ptr.Deref(rs.Spec.Replicas, 0) }

func sumReplicas(rss []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		n += replicasOf(rs)
	}
	return n
}

func sumAvailable(rss []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		n += rs.Status.AvailableReplicas
	}
	return n
}

func activeRSs(rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, rs := range rss {
		if replicasOf(rs) > 0 {
			out = append(out, rs)
		}
	}
	return out
}

// newRSReplicas is upstream's NewRSNewReplicas for RollingUpdate: grow the
// new ReplicaSet as far as maxSurge lets the total go.
func newRSReplicas(d *appsv1.Deployment, all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) int32 {
	want := ptr.Deref(d.Spec.Replicas, 1)
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		return want
	}
	surge, _ := resolveFenceposts(d)
	current := sumReplicas(all)
	maxTotal := want + surge
	if current >= maxTotal {
		return replicasOf(newRS)
	}
	up := min(maxTotal-current, want-replicasOf(newRS))
	return replicasOf(newRS) + up
}

func (c *deployments) reconcileNewReplicaSet(d *appsv1.Deployment, all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) bool {
	want := ptr.Deref(d.Spec.Replicas, 1)
	cur := replicasOf(newRS)
	if cur == want {
		return false
	}
	if cur > want {
		c.scale(d, newRS, want, fmt.Sprintf("new replicaset above %d desired", want))
		return true
	}
	n := newRSReplicas(d, all, newRS)
	if n == cur {
		return false
	}
	surge, _ := resolveFenceposts(d)
	c.scale(d, newRS, n, fmt.Sprintf("%d pods now, at most %d (replicas %d + maxSurge %d) → new RS to %d", sumReplicas(all), want+surge, want, surge, n))
	return true
}

// reconcileOldReplicaSets scales old ReplicaSets down as far as
// maxUnavailable allows, unhealthy pods first (upstream's logic).
func (c *deployments) reconcileOldReplicaSets(d *appsv1.Deployment, all, oldRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) bool {
	if sumReplicas(oldRSs) == 0 {
		return false
	}
	// Available counts come from status; one older than its spec (a
	// scale still in flight) would let the same pods be counted twice.
	for _, rs := range all {
		if rs.Status.ObservedGeneration < rs.Generation {
			return false
		}
	}
	want := ptr.Deref(d.Spec.Replicas, 1)
	minAvailable := want - MaxUnavailable(d)
	newUnavailable := replicasOf(newRS) - newRS.Status.AvailableReplicas
	maxScaledDown := sumReplicas(all) - minAvailable - newUnavailable
	if maxScaledDown <= 0 {
		return false
	}
	// Unhealthy replicas of old ReplicaSets can go first: they serve nothing.
	var cleaned int32
	olds := make([]*appsv1.ReplicaSet, len(oldRSs))
	copy(olds, oldRSs)
	for i, rs := range olds {
		if cleaned >= maxScaledDown {
			break
		}
		r := replicasOf(rs)
		// A status counting more available pods than the spec wants is
		// older than the spec: nothing is known to be unhealthy (and
		// r - available < 0 would scale the old ReplicaSet up).
		if r == 0 || r <= rs.Status.AvailableReplicas {
			continue
		}
		n := min(maxScaledDown-cleaned, r-rs.Status.AvailableReplicas)
		olds[i] = c.scale(d, rs, r-n, fmt.Sprintf("old replicaset has %d unavailable pods → drop them first", r-rs.Status.AvailableReplicas))
		cleaned += n
	}
	// Then available ones, while at least minAvailable stay available.
	available := sumAvailable(append([]*appsv1.ReplicaSet{newRS}, olds...)) - cleaned
	var scaledDown int32
	if total := available - minAvailable; total > 0 {
		for i, rs := range olds {
			if scaledDown >= total {
				break
			}
			r := replicasOf(rs)
			if r == 0 {
				continue
			}
			n := min(r, total-scaledDown)
			olds[i] = c.scale(d, rs, r-n, fmt.Sprintf("%d available, keep ≥ %d (replicas %d - maxUnavailable %d) → scale down %d",
				available, minAvailable, want, MaxUnavailable(d), n))
			scaledDown += n
		}
	}
	return cleaned+scaledDown > 0
}

func (c *deployments) rolloutRecreate(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) bool {
	if acted, waiting := c.scaleDownForRecreate(d, oldRSs); acted || waiting {
		return acted
	}
	if want := ptr.Deref(d.Spec.Replicas, 1); replicasOf(newRS) != want {
		c.scale(d, newRS, want, "Recreate: old pods are gone → scale up the new replicaset")
		return true
	}
	return false
}

// scaleDownForRecreate scales every old ReplicaSet to 0 (acted) and
// reports whether old pods, terminating ones included, are still there.
func (c *deployments) scaleDownForRecreate(d *appsv1.Deployment, oldRSs []*appsv1.ReplicaSet) (acted, waiting bool) {
	for _, rs := range activeRSs(oldRSs) {
		c.scale(d, rs, 0, "Recreate: scale every old replicaset to 0 first")
		acted = true
	}
	if acted {
		return true, true
	}
	for _, rs := range oldRSs {
		if rs.Status.Replicas > 0 || c.m.st.IndexLen(apiserver.PrefixOf(resPods), IndexOwner, string(rs.UID)) > 0 {
			return false, true
		}
	}
	return false, false
}

// scale sets a ReplicaSet's replicas and records ScalingReplicaSet; it
// returns the ReplicaSet as it will be, for the rest of this sync.
func (c *deployments) scale(d *appsv1.Deployment, rs *appsv1.ReplicaSet, to int32, why string) *appsv1.ReplicaSet {
	from := replicasOf(rs)
	updated := rs.DeepCopy()
	updated.Spec.Replicas = ptr.To(to)
	surge, _ := resolveFenceposts(d)
	want := ptr.Deref(d.Spec.Replicas, 1)
	if updated.Annotations == nil {
		updated.Annotations = map[string]string{}
	}
	updated.Annotations[DesiredReplicasAnnotation] = strconv.Itoa(int(want))
	updated.Annotations[MaxReplicasAnnotation] = strconv.Itoa(int(want + surge))
	direction := "up"
	if to < from {
		direction = "down"
	}
	c.m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: updated, Why: why, Done: func(_ runtime.Object, err error) {
		if err == nil {
			c.m.api.Record(d, corev1.EventTypeNormal, "ScalingReplicaSet", depController,
				fmt.Sprintf("Scaled %s replica set %s from %d to %d", direction, rs.Name, from, to))
		}
	}})
	return updated
}

func deploymentComplete(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, all []*appsv1.ReplicaSet) bool {
	want := ptr.Deref(d.Spec.Replicas, 1)
	var total int32
	for _, rs := range all {
		total += rs.Status.Replicas
	}
	return newRS.Status.Replicas == want && total == want && newRS.Status.AvailableReplicas == want
}

// cleanup deletes old, empty ReplicaSets beyond revisionHistoryLimit,
// oldest first.
func (c *deployments) cleanup(d *appsv1.Deployment, oldRSs []*appsv1.ReplicaSet) {
	limit := ptr.Deref(d.Spec.RevisionHistoryLimit, 10)
	var empty []*appsv1.ReplicaSet
	for _, rs := range oldRSs {
		if replicasOf(rs) == 0 && rs.Status.Replicas == 0 && rs.DeletionTimestamp == nil {
			empty = append(empty, rs)
		}
	}
	sort.Slice(empty, func(i, j int) bool { return revisionOf(empty[i]) < revisionOf(empty[j]) })
	for i := 0; i < len(empty)-int(limit); i++ {
		c.m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resReplicaSets, Namespace: d.Namespace, Name: empty[i].Name,
			Why: fmt.Sprintf("revisionHistoryLimit %d: drop revision %d", limit, revisionOf(empty[i]))})
	}
}

// syncStatus computes the deployment's status from its ReplicaSets and
// writes it if it changed, with the Available and Progressing conditions.
func (c *deployments) syncStatus(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet, progressed bool) {
	now := metav1.NewTime(c.m.k.Now().Truncate(time.Second))
	all := oldRSs
	if newRS != nil {
		all = append([]*appsv1.ReplicaSet{newRS}, oldRSs...)
	}
	want := ptr.Deref(d.Spec.Replicas, 1)
	st := appsv1.DeploymentStatus{ObservedGeneration: d.Generation, CollisionCount: d.Status.CollisionCount}
	for _, rs := range all {
		st.Replicas += rs.Status.Replicas
		st.ReadyReplicas += rs.Status.ReadyReplicas
		st.AvailableReplicas += rs.Status.AvailableReplicas
	}
	if newRS != nil {
		st.UpdatedReplicas = newRS.Status.Replicas
	}
	st.UnavailableReplicas = max(0, st.Replicas-st.AvailableReplicas)
	if u := want - st.AvailableReplicas; u > st.UnavailableReplicas {
		st.UnavailableReplicas = u
	}
	st.Conditions = append([]appsv1.DeploymentCondition(nil), d.Status.Conditions...)
	if st.AvailableReplicas >= want-MaxUnavailable(d) {
		setDeploymentCondition(&st, appsv1.DeploymentAvailable, corev1.ConditionTrue, "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
	} else {
		setDeploymentCondition(&st, appsv1.DeploymentAvailable, corev1.ConditionFalse, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now)
	}
	if newRS != nil && !d.Spec.Paused {
		c.progress(d, &st, newRS, all, progressed, now)
	}
	if d.Spec.Paused {
		setDeploymentCondition(&st, appsv1.DeploymentProgressing, corev1.ConditionUnknown, "DeploymentPaused", "Deployment is paused", now)
	} else if cond := getDeploymentCondition(st, appsv1.DeploymentProgressing); cond != nil && cond.Reason == "DeploymentPaused" {
		setDeploymentCondition(&st, appsv1.DeploymentProgressing, corev1.ConditionUnknown, "DeploymentResumed", "Deployment is resumed", now)
	}
	// Pointers, so that neither status is copied into an interface.
	if apiequality.Semantic.DeepEqual(&d.Status, &st) {
		return
	}
	// A status write replaces only the status: a shallow copy will do.
	dd := *d
	dd.ResourceVersion = "" // status writes are patches: no precondition
	dd.Status = st
	c.m.submit(apiserver.Request{Verb: sim.VerbUpdateStatus, Object: &dd,
		Why: fmt.Sprintf("status: %d updated, %d available of %d", st.UpdatedReplicas, st.AvailableReplicas, want)})
}

// progress maintains the Progressing condition and the progress deadline.
func (c *deployments) progress(d *appsv1.Deployment, st *appsv1.DeploymentStatus, newRS *appsv1.ReplicaSet, all []*appsv1.ReplicaSet, progressed bool, now metav1.Time) {
	cond := getDeploymentCondition(*st, appsv1.DeploymentProgressing)
	if deploymentComplete(d, newRS, all) {
		setDeploymentCondition(st, appsv1.DeploymentProgressing, corev1.ConditionTrue, "NewReplicaSetAvailable",
			fmt.Sprintf("ReplicaSet %q has successfully progressed.", newRS.Name), now)
		return
	}
	oldStatus := d.Status
	if progressed || st.UpdatedReplicas > oldStatus.UpdatedReplicas || st.AvailableReplicas > oldStatus.AvailableReplicas ||
		st.ReadyReplicas > oldStatus.ReadyReplicas || cond == nil || cond.Reason == "NewReplicaSetAvailable" {
		reason, msg := "ReplicaSetUpdated", fmt.Sprintf("ReplicaSet %q is progressing.", newRS.Name)
		if cond == nil || cond.Reason == "NewReplicaSetAvailable" {
			reason, msg = "NewReplicaSetCreated", fmt.Sprintf("Created new replica set %q", newRS.Name)
		}
		setDeploymentCondition(st, appsv1.DeploymentProgressing, corev1.ConditionTrue, reason, msg, now)
		cond = getDeploymentCondition(*st, appsv1.DeploymentProgressing)
		cond.LastUpdateTime = now
	}
	if d.Spec.ProgressDeadlineSeconds == nil || cond.Reason == "ProgressDeadlineExceeded" {
		return
	}
	deadline := cond.LastUpdateTime.Add(time.Duration(*d.Spec.ProgressDeadlineSeconds) * time.Second)
	if !c.m.k.Now().Before(deadline) {
		setDeploymentCondition(st, appsv1.DeploymentProgressing, corev1.ConditionFalse, "ProgressDeadlineExceeded",
			fmt.Sprintf("ReplicaSet %q has timed out progressing.", newRS.Name), now)
		return
	}
	addAfter := c.q.AddAfter
	if addons.Is(d.Namespace, d.Labels) {
		addAfter = c.q.AddAfterBackground // the cluster's own, not the learner's
	}
	addAfter(Key{Namespace: d.Namespace, Name: d.Name}, deadline.Sub(c.m.k.Now())+time.Second, "check progress deadline")
}

func getDeploymentCondition(st appsv1.DeploymentStatus, t appsv1.DeploymentConditionType) *appsv1.DeploymentCondition {
	for i := range st.Conditions {
		if st.Conditions[i].Type == t {
			return &st.Conditions[i]
		}
	}
	return nil
}

// setDeploymentCondition keeps lastTransitionTime when only the reason
// changes, as upstream's SetDeploymentCondition does.
func setDeploymentCondition(st *appsv1.DeploymentStatus, t appsv1.DeploymentConditionType, status corev1.ConditionStatus, reason, msg string, now metav1.Time) {
	if c := getDeploymentCondition(*st, t); c != nil {
		if c.Status == status && c.Reason == reason && c.Message == msg {
			return
		}
		if c.Status == status {
			c.Reason, c.Message, c.LastUpdateTime = reason, msg, now
			return
		}
		*c = appsv1.DeploymentCondition{Type: t, Status: status, Reason: reason, Message: msg, LastUpdateTime: now, LastTransitionTime: now}
		return
	}
	st.Conditions = append(st.Conditions, appsv1.DeploymentCondition{Type: t, Status: status, Reason: reason, Message: msg, LastUpdateTime: now, LastTransitionTime: now})
}
