package controller

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/admission"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/component-helpers/storage/volume"
)

// The PersistentVolume controller (upstream's pkg/controller/volume/
// persistentvolume, "space shuttle style" there, shorter here), with the
// pvc-protection and pv-protection controllers. It binds each claim to the
// smallest available volume that fits, asks a StorageClass's provisioner
// for a volume when none does, and reclaims a volume whose claim is gone.
// A binding is four writes, in upstream's order: the volume's claimRef,
// the volume's phase, the claim's volumeName, the claim's phase.

// PVControllerName is the source of the controller's events.
const PVControllerName = "persistentvolume-controller"

// ClaimResync is how often a claim that is not bound yet is looked at
// again, as upstream's --pvclaimbinder-sync-period: a volume made after
// the claim is found at the next resync, not at once.
const ClaimResync = 15 * time.Second

var (
	resPVs, _     = apiserver.ResourceFor("persistentvolumes")
	resPVCs, _    = apiserver.ResourceFor("persistentvolumeclaims")
	resClasses, _ = apiserver.ResourceFor("storageclasses")
)

// persistentVolumes is the PersistentVolume controller, two reconcilers
// on one state: one for claims, one for volumes.
type persistentVolumes struct {
	*Manager
	claims, volumes Queue
	// resync are the unbound claims with a resync armed, and when it is
	// due (the kernel's elapsed time).
	resync map[Key]time.Duration
}

// installPersistentVolumes registers the claims' and the volumes' halves
// of the PersistentVolume controller. A claim's changes, and a pod
// that finished or is gone (its claims may be let go), concern the
// first; a volume's changes, and a deleted claim's volume, the second.
func installPersistentVolumes(m *Manager) {
	c := &persistentVolumes{Manager: m, resync: map[Key]time.Duration{}}
	c.claims = m.Register(Controller{Name: PVControllerName + " (claims)", Order: 10, Reconciler: ReconcileFunc(c.syncClaim), Watches: []Watch{
		{Object: &corev1.PersistentVolumeClaim{}, Keys: func(ev store.Event) []Key {
			if ev.Type == watch.Deleted {
				return nil
			}
			return ownKey(ev)
		}},
		{Object: &corev1.Pod{}, Filter: podChanged, Keys: c.claimsOfGonePod},
	}})
	c.volumes = m.Register(Controller{Name: PVControllerName + " (volumes)", Order: 20, Reconciler: ReconcileFunc(c.syncVolume), Watches: []Watch{
		{Object: &corev1.PersistentVolume{}, Keys: ownKey},
		{Object: &corev1.PersistentVolumeClaim{}, Keys: func(ev store.Event) []Key {
			if o := ev.Object.(*corev1.PersistentVolumeClaim); ev.Type == watch.Deleted && o.Spec.VolumeName != "" {
				return []Key{{Name: o.Spec.VolumeName}}
			}
			return nil
		}},
	}})
}

// syncClaim is syncClaim upstream: an unbound claim is matched, a bound
// one checked; a claim being deleted is let go once no pod uses it.
func (m *persistentVolumes) syncClaim(key Key) Result {
	if due, ok := m.resync[key]; ok && m.k.Elapsed() >= due {
		delete(m.resync, key) // this is the resync, or later
	}
	obj, err := m.api.Get(resPVCs, key.Namespace, key.Name)
	if err != nil {
		return Result{} // the volume's sync sees the claim is gone
	}
	claim := obj.(*corev1.PersistentVolumeClaim)
	if claim.DeletionTimestamp != nil {
		m.protectClaim(claim)
	}
	if metav1.HasAnnotation(claim.ObjectMeta, volume.AnnBindCompleted) {
		m.syncBoundClaim(claim)
		return Result{}
	}
	m.syncUnboundClaim(claim)
	if claim.DeletionTimestamp == nil {
		return m.resyncClaim(key)
	}
	return Result{}
}

// resyncClaim looks at a claim again after ClaimResync, once per period.
func (m *persistentVolumes) resyncClaim(key Key) Result {
	if _, armed := m.resync[key]; armed {
		return Result{}
	}
	m.resync[key] = m.k.Elapsed() + ClaimResync
	return Result{RequeueAfter: ClaimResync, Why: "resync unbound claim " + key.String()}
}

func (m *persistentVolumes) syncUnboundClaim(claim *corev1.PersistentVolumeClaim) {
	class := volume.GetPersistentVolumeClaimClass(claim)
	if claim.Spec.VolumeName == "" {
		if pv := m.findBestMatch(claim); pv != nil {
			m.bind(pv.Name, claim.Namespace, claim.Name)
			return
		}
		switch {
		case m.assignDefaultClass(claim):
			return
		case m.delayBinding(class):
			m.event(claim, corev1.EventTypeNormal, "WaitForFirstConsumer", "waiting for first consumer to be created before binding")
		case class != "":
			m.provisionClaim(claim, class)
			return
		default:
			m.event(claim, corev1.EventTypeNormal, "FailedBinding", "no persistent volumes available for this claim and no storage class is set")
		}
		m.updateClaimStatus(claim, corev1.ClaimPending, nil, nil)
		return
	}
	// The user asked for a volume by name.
	obj, err := m.api.Get(resPVs, "", claim.Spec.VolumeName)
	if err != nil {
		m.updateClaimStatus(claim, corev1.ClaimPending, nil, nil)
		return
	}
	pv := obj.(*corev1.PersistentVolume)
	switch {
	case pv.Spec.ClaimRef == nil:
		if err := checkVolumeSatisfyClaim(pv, claim); err != nil {
			m.event(claim, corev1.EventTypeWarning, "VolumeMismatch", fmt.Sprintf("Cannot bind to requested volume %q: %s", pv.Name, err))
			m.updateClaimStatus(claim, corev1.ClaimPending, nil, nil)
			return
		}
		m.bind(pv.Name, claim.Namespace, claim.Name)
	case volume.IsVolumeBoundToClaim(pv, claim):
		m.bind(pv.Name, claim.Namespace, claim.Name)
	default:
		m.event(claim, corev1.EventTypeWarning, "FailedBinding", fmt.Sprintf("volume %q already bound to a different claim.", pv.Name))
		m.updateClaimStatus(claim, corev1.ClaimPending, nil, nil)
	}
}

func (m *persistentVolumes) syncBoundClaim(claim *corev1.PersistentVolumeClaim) {
	if claim.Spec.VolumeName == "" {
		m.claimLost(claim, "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!")
		return
	}
	obj, err := m.api.Get(resPVs, "", claim.Spec.VolumeName)
	if err != nil {
		m.claimLost(claim, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!")
		return
	}
	pv := obj.(*corev1.PersistentVolume)
	if pv.Spec.ClaimRef == nil || pv.Spec.ClaimRef.UID == claim.UID {
		m.bind(pv.Name, claim.Namespace, claim.Name) // writes only what is missing
		return
	}
	m.claimLost(claim, "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly")
}

// claimLost is updateClaimStatusWithEvent(Lost): the event only when the
// phase changes.
func (m *persistentVolumes) claimLost(claim *corev1.PersistentVolumeClaim, reason, msg string) {
	if claim.Status.Phase == corev1.ClaimLost {
		return
	}
	m.updateClaimStatus(claim, corev1.ClaimLost, nil, func() { m.event(claim, corev1.EventTypeWarning, reason, msg) })
}

// checkVolumeSatisfyClaim is upstream's check of a volume a claim names.
func checkVolumeSatisfyClaim(pv *corev1.PersistentVolume, claim *corev1.PersistentVolumeClaim) error {
	requested := claim.Spec.Resources.Requests[corev1.ResourceStorage]
	capacity := pv.Spec.Capacity[corev1.ResourceStorage]
	switch {
	case pv.DeletionTimestamp != nil:
		return fmt.Errorf("the volume is marked for deletion %q", pv.Name)
	case capacity.Cmp(requested) < 0:
		return fmt.Errorf("requested PV is too small")
	case volume.GetPersistentVolumeClass(pv) != volume.GetPersistentVolumeClaimClass(claim):
		return fmt.Errorf("storageClassName does not match")
	case volume.CheckVolumeModeMismatches(&claim.Spec, &pv.Spec):
		return fmt.Errorf("incompatible volumeMode")
	case !volume.CheckAccessModes(claim, pv):
		return fmt.Errorf("incompatible accessMode")
	}
	return nil
}

// findBestMatch is the volume index's findBestMatchForClaim: volumes are
// grouped by their set of access modes; the sets that hold every mode the
// claim asks for are tried fewest modes first, and in the first set with a
// match the smallest volume that fits wins (FindMatchingVolume). A volume
// already reserved for this claim wins outright.
func (m *persistentVolumes) findBestMatch(claim *corev1.PersistentVolumeClaim) *corev1.PersistentVolume {
	groups := map[string][]*corev1.PersistentVolume{}
	var keys []string
	for _, obj := range m.api.List(resPVs, "") { // by name, so that ties go the same way every run
		pv := obj.(*corev1.PersistentVolume)
		k := modesKey(pv.Spec.AccessModes)
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], pv)
	}
	keys = slices.DeleteFunc(keys, func(k string) bool { return !volume.CheckAccessModes(claim, groups[k][0]) })
	slices.SortStableFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(groups[a][0].Spec.AccessModes), len(groups[b][0].Spec.AccessModes)), cmp.Compare(a, b))
	})
	delay := m.delayBinding(volume.GetPersistentVolumeClaimClass(claim))
	for _, k := range keys {
		// VolumeAttributesClass is off in Kubernetes 1.33 by default.
		if pv, err := volume.FindMatchingVolume(claim, groups[k], nil, nil, delay, false); err == nil && pv != nil {
			return pv
		}
	}
	return nil
}

func modesKey(modes []corev1.PersistentVolumeAccessMode) string {
	s := make([]string, len(modes))
	for i, m := range modes {
		s[i] = string(m)
	}
	slices.Sort(s)
	return strings.Join(slices.Compact(s), ",")
}

func (m *persistentVolumes) storageClass(name string) *storagev1.StorageClass {
	obj, err := m.api.Get(resClasses, "", name)
	if err != nil {
		return nil
	}
	return obj.(*storagev1.StorageClass)
}

// delayBinding reports whether the claim's class waits for a pod.
func (m *persistentVolumes) delayBinding(class string) bool {
	sc := m.storageClass(class)
	return sc != nil && sc.VolumeBindingMode != nil && *sc.VolumeBindingMode == storagev1.VolumeBindingWaitForFirstConsumer
}

// assignDefaultClass gives a claim that names no class the default one,
// when a default appeared after the claim was made (upstream's
// retroactive default StorageClass assignment).
func (m *persistentVolumes) assignDefaultClass(claim *corev1.PersistentVolumeClaim) bool {
	if volume.PersistentVolumeClaimHasClass(claim) {
		return false
	}
	def := admission.DefaultClass(m.api.List(resClasses, ""))
	if def == nil {
		return false
	}
	c := claim.DeepCopy()
	c.Spec.StorageClassName = &def.Name
	m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: c, Why: "claim names no class → the default, " + def.Name})
	return true
}

// provisionClaim asks the class's provisioner for a volume: every
// provisioner is external to kube-controller-manager here, so the
// controller annotates the claim with the provisioner's name and waits.
func (m *persistentVolumes) provisionClaim(claim *corev1.PersistentVolumeClaim, class string) {
	sc := m.storageClass(class)
	switch {
	case sc == nil:
		m.event(claim, corev1.EventTypeWarning, "ProvisioningFailed", fmt.Sprintf("storageclass.storage.k8s.io %q not found", class))
		return
	case strings.HasPrefix(sc.Provisioner, "kubernetes.io/"):
		// In-tree provisioners: kube-controller-manager has none enabled
		// (kubernetes.io/no-provisioner is for volumes made by hand).
		m.event(claim, corev1.EventTypeWarning, "ProvisioningFailed", "no volume plugin matched name: "+sc.Provisioner)
		return
	}
	waiting := func() {
		m.event(claim, corev1.EventTypeNormal, "ExternalProvisioning", fmt.Sprintf("Waiting for a volume to be created either by the external provisioner '%s' "+
			"or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.", sc.Provisioner))
	}
	if claim.Annotations[volume.AnnStorageProvisioner] == sc.Provisioner {
		waiting()
		return
	}
	c := claim.DeepCopy()
	metav1.SetMetaDataAnnotation(&c.ObjectMeta, volume.AnnBetaStorageProvisioner, sc.Provisioner)
	metav1.SetMetaDataAnnotation(&c.ObjectMeta, volume.AnnStorageProvisioner, sc.Provisioner)
	m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: c, Why: "no volume fits → ask provisioner " + sc.Provisioner,
		Done: func(_ runtime.Object, err error) {
			if err == nil {
				waiting()
			}
		}})
}

// bind is upstream's bind: each step reads the objects afresh, writes only
// what is missing, and waits for the apiserver before the next.
func (m *persistentVolumes) bind(pvName, ns, claimName string) {
	get := func() (*corev1.PersistentVolume, *corev1.PersistentVolumeClaim) {
		pvObj, err1 := m.api.Get(resPVs, "", pvName)
		cObj, err2 := m.api.Get(resPVCs, ns, claimName)
		if err1 != nil || err2 != nil {
			return nil, nil
		}
		return pvObj.(*corev1.PersistentVolume), cObj.(*corev1.PersistentVolumeClaim)
	}
	steps := []func(pv *corev1.PersistentVolume, claim *corev1.PersistentVolumeClaim, next func()){
		func(pv *corev1.PersistentVolume, claim *corev1.PersistentVolumeClaim, next func()) {
			clone, dirty, err := volume.GetBindVolumeToClaim(pv, claim)
			if err != nil || !dirty {
				next()
				return
			}
			m.submitThen(apiserver.Request{Verb: sim.VerbUpdate, Object: clone, Why: "bind volume " + pvName + " to claim " + ns + "/" + claimName}, next)
		},
		func(pv *corev1.PersistentVolume, _ *corev1.PersistentVolumeClaim, next func()) {
			m.updateVolumePhase(pv, corev1.VolumeBound, "", next)
		},
		func(pv *corev1.PersistentVolume, claim *corev1.PersistentVolumeClaim, next func()) {
			c := claim.DeepCopy()
			if c.Spec.VolumeName != pv.Name {
				c.Spec.VolumeName = pv.Name
				if !metav1.HasAnnotation(c.ObjectMeta, volume.AnnBoundByController) {
					metav1.SetMetaDataAnnotation(&c.ObjectMeta, volume.AnnBoundByController, "yes")
				}
			}
			if !metav1.HasAnnotation(c.ObjectMeta, volume.AnnBindCompleted) {
				metav1.SetMetaDataAnnotation(&c.ObjectMeta, volume.AnnBindCompleted, "yes")
			}
			if c.Spec.VolumeName == claim.Spec.VolumeName && len(c.Annotations) == len(claim.Annotations) {
				next()
				return
			}
			m.submitThen(apiserver.Request{Verb: sim.VerbUpdate, Object: c, Why: "bind claim " + ns + "/" + claimName + " to volume " + pvName}, next)
		},
		func(pv *corev1.PersistentVolume, claim *corev1.PersistentVolumeClaim, next func()) {
			m.updateClaimStatus(claim, corev1.ClaimBound, pv, next)
		},
	}
	var run func(i int)
	run = func(i int) {
		if i == len(steps) {
			return
		}
		pv, claim := get()
		if pv == nil {
			return
		}
		steps[i](pv, claim, func() { run(i + 1) })
	}
	run(0)
}

// submitThen sends a write and calls next once it is stored.
func (m *persistentVolumes) submitThen(req apiserver.Request, next func()) {
	req.Done = func(_ runtime.Object, err error) {
		if err == nil && next != nil {
			next()
		}
	}
	m.submit(req)
}

// updateClaimStatus is upstream's: the phase, and the volume's access
// modes and capacity (the capacity only as the claim becomes bound).
func (m *persistentVolumes) updateClaimStatus(claim *corev1.PersistentVolumeClaim, phase corev1.PersistentVolumeClaimPhase, pv *corev1.PersistentVolume, next func()) {
	c := claim.DeepCopy()
	c.Status.Phase = phase
	if pv == nil {
		c.Status.AccessModes, c.Status.Capacity = nil, nil
	} else {
		c.Status.AccessModes = pv.Spec.AccessModes
		if claim.Status.Phase != phase {
			c.Status.Capacity = pv.Spec.Capacity
		}
	}
	if apiequality.Semantic.DeepEqual(c.Status, claim.Status) {
		if next != nil {
			next()
		}
		return
	}
	m.submitThen(apiserver.Request{Verb: sim.VerbUpdateStatus, Object: c, Why: "claim " + claim.Namespace + "/" + claim.Name + " is " + string(phase)}, next)
}

func (m *persistentVolumes) updateVolumePhase(pv *corev1.PersistentVolume, phase corev1.PersistentVolumePhase, message string, next func()) {
	if pv.Status.Phase == phase {
		if next != nil {
			next()
		}
		return
	}
	v := pv.DeepCopy()
	v.Status.Phase, v.Status.Message = phase, message
	now := metav1.NewTime(m.k.Now().Truncate(time.Second))
	v.Status.LastPhaseTransitionTime = &now
	m.submitThen(apiserver.Request{Verb: sim.VerbUpdateStatus, Object: v, Why: "volume " + pv.Name + " is " + string(phase)}, next)
}

// syncVolume is syncVolume upstream: it keeps a volume's phase true to
// its claim, and reclaims it once the claim is gone.
func (m *persistentVolumes) syncVolume(key Key) Result {
	m.reconcileVolume(key.Name)
	return Result{}
}

func (m *persistentVolumes) reconcileVolume(name string) {
	obj, err := m.api.Get(resPVs, "", name)
	if err != nil {
		return
	}
	pv := obj.(*corev1.PersistentVolume)
	if pv.DeletionTimestamp != nil {
		m.protectVolume(pv)
	}
	ref := pv.Spec.ClaimRef
	if ref == nil || ref.UID == "" {
		// Unused, or reserved for a claim that has not bound yet.
		m.updateVolumePhase(pv, corev1.VolumeAvailable, "", nil)
		return
	}
	var claim *corev1.PersistentVolumeClaim
	if obj, err := m.api.Get(resPVCs, ref.Namespace, ref.Name); err == nil && obj.(*corev1.PersistentVolumeClaim).UID == ref.UID {
		claim = obj.(*corev1.PersistentVolumeClaim)
	}
	switch {
	case claim == nil:
		// The claim is gone: release the volume, then apply its policy.
		if pv.Status.Phase != corev1.VolumeReleased && pv.Status.Phase != corev1.VolumeFailed {
			m.updateVolumePhase(pv, corev1.VolumeReleased, "", func() { m.volumes.Add(Key{Name: name}) })
			return
		}
		m.reclaimVolume(pv)
	case claim.Spec.VolumeName == "":
		m.claims.Add(Key{Namespace: claim.Namespace, Name: claim.Name}) // the claim's sync finishes the binding
	case claim.Spec.VolumeName == pv.Name:
		m.updateVolumePhase(pv, corev1.VolumeBound, "", nil)
	case metav1.HasAnnotation(pv.ObjectMeta, volume.AnnDynamicallyProvisioned) && pv.Spec.PersistentVolumeReclaimPolicy == corev1.PersistentVolumeReclaimDelete:
		// Provisioned for a claim that got another volume: not needed.
		if pv.Status.Phase != corev1.VolumeReleased && pv.Status.Phase != corev1.VolumeFailed {
			m.updateVolumePhase(pv, corev1.VolumeReleased, "", func() { m.volumes.Add(Key{Name: name}) })
			return
		}
		m.reclaimVolume(pv)
	default:
		m.unbindVolume(pv)
	}
}

// unbindVolume rolls back a binding the claim did not take: the
// controller's own claimRef goes; a user's pre-binding keeps its name.
func (m *persistentVolumes) unbindVolume(pv *corev1.PersistentVolume) {
	v := pv.DeepCopy()
	if metav1.HasAnnotation(v.ObjectMeta, volume.AnnBoundByController) {
		v.Spec.ClaimRef = nil
		delete(v.Annotations, volume.AnnBoundByController)
	} else {
		v.Spec.ClaimRef.UID = ""
	}
	m.submitThen(apiserver.Request{Verb: sim.VerbUpdate, Object: v, Why: "claim bound elsewhere → unbind volume " + pv.Name}, func() {
		if obj, err := m.api.Get(resPVs, "", pv.Name); err == nil {
			m.updateVolumePhase(obj.(*corev1.PersistentVolume), corev1.VolumeAvailable, "", nil)
		}
	})
}

// hostPathDeletable is the in-tree hostPath deleter's rule: it removes
// only folders under /tmp.
var hostPathDeletable = regexp.MustCompile("/tmp/.+")

// reclaimVolume applies a released volume's reclaim policy. Retain keeps
// the volume (and its data) Released until an administrator acts. Delete
// leaves a provisioned volume to its provisioner, which deletes the data
// and the volume; a volume made by hand has no deleter but hostPath's,
// and fails. Recycle (deprecated upstream) is not simulated: it fails as
// upstream does for a volume with no recycler.
func (m *persistentVolumes) reclaimVolume(pv *corev1.PersistentVolume) {
	if pv.Status.Phase == corev1.VolumeFailed {
		return
	}
	failed := func(reason, msg string) {
		m.updateVolumePhase(pv, corev1.VolumeFailed, msg, func() { m.event(pv, corev1.EventTypeWarning, reason, msg) })
	}
	switch pv.Spec.PersistentVolumeReclaimPolicy {
	case corev1.PersistentVolumeReclaimRetain:
	case corev1.PersistentVolumeReclaimRecycle:
		failed("VolumeFailedRecycle", "No recycler plugin found for the volume!")
	case corev1.PersistentVolumeReclaimDelete:
		by := pv.Annotations[volume.AnnDynamicallyProvisioned]
		switch {
		case by != "" && !strings.HasPrefix(by, "kubernetes.io/"), pv.Spec.CSI != nil:
			// An external provisioner deletes it.
		case pv.Spec.HostPath != nil && !hostPathDeletable.MatchString(pv.Spec.HostPath.Path):
			failed("VolumeFailedDelete", "host_path deleter only supports /tmp/.+ but received provided "+pv.Spec.HostPath.Path)
		case pv.Spec.HostPath != nil:
			m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resPVs, Name: pv.Name, Why: "reclaim policy Delete: volume " + pv.Name + " released"})
		default:
			failed("VolumeFailedDelete", fmt.Sprintf("error getting deleter volume plugin for volume %q: no deletable volume plugin matched", pv.Name))
		}
	default:
		failed("VolumeUnknownReclaimPolicy", "Volume has unrecognized PersistentVolumeReclaimPolicy")
	}
}

// protectClaim is the pvc-protection controller: a claim being deleted
// keeps its finalizer while a pod scheduled to a node still uses it.
func (m *persistentVolumes) protectClaim(claim *corev1.PersistentVolumeClaim) {
	if !slices.Contains(claim.Finalizers, admission.PVCProtectionFinalizer) {
		return
	}
	for _, obj := range m.api.List(resPods, claim.Namespace) {
		pod := obj.(*corev1.Pod)
		if pod.Spec.NodeName != "" && pod.Status.Phase != corev1.PodSucceeded && pod.Status.Phase != corev1.PodFailed && usesClaim(pod, claim.Name) {
			return
		}
	}
	c := claim.DeepCopy()
	c.Finalizers = slices.DeleteFunc(c.Finalizers, func(f string) bool { return f == admission.PVCProtectionFinalizer })
	m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: c, Why: "pvc-protection: no pod uses claim " + claim.Name + " → let it go"})
}

// protectVolume is the pv-protection controller: a volume being deleted
// keeps its finalizer while it is bound to a claim.
func (m *persistentVolumes) protectVolume(pv *corev1.PersistentVolume) {
	if !slices.Contains(pv.Finalizers, admission.PVProtectionFinalizer) || pv.Status.Phase == corev1.VolumeBound {
		return
	}
	v := pv.DeepCopy()
	v.Finalizers = slices.DeleteFunc(v.Finalizers, func(f string) bool { return f == admission.PVProtectionFinalizer })
	m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: v, Why: "pv-protection: volume " + pv.Name + " is not bound → let it go"})
}

// claimsOfGonePod are the claims being deleted that a pod which has
// finished or gone named: the pvc-protection controller may now let them
// go.
func (m *persistentVolumes) claimsOfGonePod(ev store.Event) []Key {
	pod := ev.Object.(*corev1.Pod)
	if ev.Type != watch.Deleted && pod.Status.Phase != corev1.PodSucceeded && pod.Status.Phase != corev1.PodFailed {
		return nil
	}
	var keys []Key
	for _, name := range ClaimNames(pod) {
		if obj, err := m.api.Get(resPVCs, pod.Namespace, name); err == nil && obj.(*corev1.PersistentVolumeClaim).DeletionTimestamp != nil {
			keys = append(keys, Key{Namespace: pod.Namespace, Name: name})
		}
	}
	return keys
}

// ClaimNames are the claims a pod's volumes name.
func ClaimNames(pod *corev1.Pod) []string {
	var out []string
	for _, v := range pod.Spec.Volumes {
		if v.PersistentVolumeClaim != nil {
			out = append(out, v.PersistentVolumeClaim.ClaimName)
		}
	}
	return out
}

func usesClaim(pod *corev1.Pod, claim string) bool { return slices.Contains(ClaimNames(pod), claim) }

func (m *persistentVolumes) event(obj runtime.Object, typ, reason, msg string) {
	m.api.Record(obj, typ, reason, PVControllerName, msg)
}
