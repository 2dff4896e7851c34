package cluster

import (
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/controller"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// Stories of PersistentVolumes and claims: which volume a claim binds,
// what happens to a volume and its data when the claim goes.

var resPVs, _ = apiserver.ResourceFor("persistentvolumes")

const (
	rwo = corev1.ReadWriteOnce
	rox = corev1.ReadOnlyMany
	rwx = corev1.ReadWriteMany
)

// hostPV is a volume an administrator made by hand.
func hostPV(name, size, class string, policy corev1.PersistentVolumeReclaimPolicy, modes ...corev1.PersistentVolumeAccessMode) *corev1.PersistentVolume {
	return &corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PersistentVolumeSpec{
		Capacity:    corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(size)},
		AccessModes: modes, StorageClassName: class, PersistentVolumeReclaimPolicy: policy,
		PersistentVolumeSource: corev1.PersistentVolumeSource{NFS: &corev1.NFSVolumeSource{Server: "nfs.example", Path: "/" + name}}}}
}

// newClaim asks for size; class nil takes the default StorageClass, ""
// asks for none.
func newClaim(name, size string, class *string, modes ...corev1.PersistentVolumeAccessMode) *corev1.PersistentVolumeClaim {
	return &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PersistentVolumeClaimSpec{
		AccessModes: modes, StorageClassName: class,
		Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(size)}}}}
}

func getClaim(c *Cluster, name string) *corev1.PersistentVolumeClaim {
	obj, err := c.api.Get(resPVCs, "default", name)
	if err != nil {
		return nil
	}
	return obj.(*corev1.PersistentVolumeClaim)
}

func getPV(c *Cluster, name string) *corev1.PersistentVolume {
	obj, err := c.api.Get(resPVs, "", name)
	if err != nil {
		return nil
	}
	return obj.(*corev1.PersistentVolume)
}

func claimBound(c *Cluster, name string) func() bool {
	return func() bool { pvc := getClaim(c, name); return pvc != nil && pvc.Status.Phase == corev1.ClaimBound }
}

// eventsAbout are the reason: message of the events about an object.
func eventsAbout(c *Cluster, ns, name string) []string {
	var out []string
	for _, o := range c.api.List(resEvents, ns) {
		if ev := o.(*corev1.Event); ev.InvolvedObject.Name == name {
			out = append(out, ev.Reason+": "+ev.Message)
		}
	}
	return out
}

var resEvents, _ = apiserver.ResourceFor("events")

// claimPod runs script in busybox with the claim mounted at /data.
func claimPod(name, claim, script string) *corev1.Pod {
	p := busyboxPod(name, script)
	p.Spec.RestartPolicy = corev1.RestartPolicyNever
	p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}
	p.Spec.Volumes = []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{
		PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim}}}}
	return p
}

// runPod runs a pod to its end and returns its phase.
func runPod(t *testing.T, c *Cluster, p *corev1.Pod) corev1.PodPhase {
	t.Helper()
	create(t, c, p)
	waitFor(t, c, time.Minute, "pod "+p.Name+" ends", func() bool {
		ph := c.podPhase(p.Name)
		return ph == corev1.PodSucceeded || ph == corev1.PodFailed
	})
	return c.podPhase(p.Name)
}

func deleteNow(t *testing.T, c *Cluster, res *apiserver.Resource, name string) {
	t.Helper()
	ns := "default"
	if !res.Namespaced {
		ns = ""
	}
	call(t, c, apiserver.Request{Verb: sim.VerbDelete, Resource: res, Namespace: ns, Name: name, Grace: ptr.To[int64](0)})
}

// TestClaimBindsSmallestFit: of the volumes whose class and access modes
// suit the claim, the smallest that is big enough; the binding is marked
// as upstream marks it.
func TestClaimBindsSmallestFit(t *testing.T) {
	c := newCluster(t, Options{})
	for _, pv := range []*corev1.PersistentVolume{
		hostPV("pv-5g", "5Gi", "", corev1.PersistentVolumeReclaimRetain, rwo),
		hostPV("pv-1g", "1Gi", "", corev1.PersistentVolumeReclaimRetain, rwo),
		hostPV("pv-2g", "2Gi", "", corev1.PersistentVolumeReclaimRetain, rwo),
		hostPV("pv-2g-fast", "2Gi", "fast", corev1.PersistentVolumeReclaimRetain, rwo),
	} {
		create(t, c, pv)
	}
	create(t, c, newClaim("data", "1500Mi", ptr.To(""), rwo))
	waitFor(t, c, time.Minute, "claim bound", claimBound(c, "data"))
	pvc := getClaim(c, "data")
	if pvc.Spec.VolumeName != "pv-2g" {
		t.Fatalf("claim of 1500Mi bound %s, want pv-2g (the smallest that fits, of no class)", pvc.Spec.VolumeName)
	}
	if q := pvc.Status.Capacity[corev1.ResourceStorage]; q.String() != "2Gi" {
		t.Errorf("claim capacity %s, want the volume's 2Gi", q.String())
	}
	for _, a := range []string{"pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller"} {
		if pvc.Annotations[a] != "yes" {
			t.Errorf("claim annotation %s = %q, want yes", a, pvc.Annotations[a])
		}
	}
	pv := getPV(c, "pv-2g")
	if pv.Status.Phase != corev1.VolumeBound || pv.Spec.ClaimRef == nil || pv.Spec.ClaimRef.UID != pvc.UID ||
		pv.Annotations["pv.kubernetes.io/bound-by-controller"] != "yes" {
		t.Errorf("volume: phase %s, claimRef %+v, annotations %v; want Bound to the claim's UID, bound by the controller", pv.Status.Phase, pv.Spec.ClaimRef, pv.Annotations)
	}
	for _, name := range []string{"pv-5g", "pv-1g", "pv-2g-fast"} {
		if ph := getPV(c, name).Status.Phase; ph != corev1.VolumeAvailable {
			t.Errorf("%s is %s, want Available", name, ph)
		}
	}
}

// TestClaimAccessModes: a volume must offer every mode the claim asks
// for; among those that do, the set with the fewest modes is tried first,
// as the volume index orders them, before size is looked at.
func TestClaimAccessModes(t *testing.T) {
	c := newCluster(t, Options{})
	create(t, c, hostPV("rwo-1g", "1Gi", "", corev1.PersistentVolumeReclaimRetain, rwo))
	create(t, c, hostPV("rwo-rox-1g", "1Gi", "", corev1.PersistentVolumeReclaimRetain, rwo, rox))
	create(t, c, hostPV("rwo-5g", "5Gi", "", corev1.PersistentVolumeReclaimRetain, rwo))
	create(t, c, hostPV("all-10g", "10Gi", "", corev1.PersistentVolumeReclaimRetain, rwo, rox, rwx))
	create(t, c, newClaim("shared", "1Gi", ptr.To(""), rwx))
	create(t, c, newClaim("reader", "1Gi", ptr.To(""), rox))
	create(t, c, newClaim("single", "2Gi", ptr.To(""), rwo))
	for _, tc := range []struct{ claim, want string }{
		{"shared", "all-10g"},    // the only volume offering ReadWriteMany
		{"reader", "rwo-rox-1g"}, // ReadOnlyMany: two modes beat three
		{"single", "rwo-5g"},     // 2Gi ReadWriteOnce: rwo-1g is too small
	} {
		waitFor(t, c, time.Minute, "claim "+tc.claim+" bound", claimBound(c, tc.claim))
		if got := getClaim(c, tc.claim).Spec.VolumeName; got != tc.want {
			t.Errorf("claim %s bound %s, want %s", tc.claim, got, tc.want)
		}
	}
}

// TestClaimThatCannotBind: a claim of no class finds no volume of no
// class and stays Pending with the controller's event; one of a class no
// StorageClass defines cannot be provisioned either. A volume that fits,
// made later, is found at the next resync.
func TestClaimThatCannotBind(t *testing.T) {
	c := newCluster(t, Options{})
	create(t, c, hostPV("manual-1g", "1Gi", "manual", corev1.PersistentVolumeReclaimRetain, rwo))
	create(t, c, newClaim("plain", "1Gi", ptr.To(""), rwo))
	create(t, c, newClaim("fast", "1Gi", ptr.To("fast"), rwo))
	c.k.RunFor(30 * time.Second)
	for _, tc := range []struct{ claim, event string }{
		{"plain", "FailedBinding: no persistent volumes available for this claim and no storage class is set"},
		{"fast", `ProvisioningFailed: storageclass.storage.k8s.io "fast" not found`},
	} {
		pvc := getClaim(c, tc.claim)
		if pvc.Status.Phase != corev1.ClaimPending || pvc.Spec.VolumeName != "" {
			t.Errorf("claim %s: %s to %q, want Pending and unbound", tc.claim, pvc.Status.Phase, pvc.Spec.VolumeName)
		}
		if evs := eventsAbout(c, "default", tc.claim); len(evs) == 0 || evs[0] != tc.event {
			t.Errorf("claim %s events %q, want %q", tc.claim, evs, tc.event)
		}
	}
	// A pod of the pending claim waits for it, unscheduled.
	create(t, c, claimPod("waiter", "plain", "true"))
	c.k.RunFor(2 * time.Second)
	want := "FailedScheduling: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
	if evs := eventsAbout(c, "default", "waiter"); len(evs) == 0 || evs[0] != want {
		t.Errorf("pod events %q, want %q", evs, want)
	}

	at := c.k.Elapsed()
	create(t, c, hostPV("plain-1g", "1Gi", "", corev1.PersistentVolumeReclaimRetain, rwo))
	waitFor(t, c, time.Minute, "claim plain bound", claimBound(c, "plain"))
	if waited := c.k.Elapsed() - at; waited > controller.ClaimResync+time.Second {
		t.Errorf("claim bound %s after the volume appeared, want within a resync (%s)", waited, controller.ClaimResync)
	}
	waitFor(t, c, time.Minute, "the waiting pod runs", func() bool { return c.podPhase("waiter") == corev1.PodSucceeded })
}

// TestRetainKeepsVolumeAndData: with Retain, a deleted claim's volume is
// Released, its data kept; once an administrator clears its claimRef it is
// Available again, and the next claim finds the data.
func TestRetainKeepsVolumeAndData(t *testing.T) {
	c := newCluster(t, Options{})
	create(t, c, hostPV("kept", "1Gi", "", corev1.PersistentVolumeReclaimRetain, rwo))
	create(t, c, newClaim("data", "1Gi", ptr.To(""), rwo))
	waitFor(t, c, time.Minute, "claim bound", claimBound(c, "data"))
	if ph := runPod(t, c, claimPod("writer", "data", "echo kept > /data/f")); ph != corev1.PodSucceeded {
		t.Fatalf("writer %s", ph)
	}
	deleteNow(t, c, resPods, "writer")
	deleteNow(t, c, resPVCs, "data")
	waitFor(t, c, time.Minute, "volume released", func() bool { return getPV(c, "kept").Status.Phase == corev1.VolumeReleased })
	c.k.RunFor(time.Minute)
	if pv := getPV(c, "kept"); pv == nil || pv.Status.Phase != corev1.VolumeReleased {
		t.Fatalf("a minute later the volume is %v, want still Released", pv)
	}
	create(t, c, newClaim("again", "1Gi", ptr.To(""), rwo))
	c.k.RunFor(20 * time.Second)
	if getClaim(c, "again").Status.Phase != corev1.ClaimPending {
		t.Fatal("a Released volume was bound to a new claim: it still names the old one")
	}
	edit(t, c, resPVs, "kept", func(pv *corev1.PersistentVolume) { pv.Spec.ClaimRef = nil })
	waitFor(t, c, time.Minute, "claim again bound", claimBound(c, "again"))
	if ph := runPod(t, c, claimPod("reader", "again", `test "$(cat /data/f)" = kept`)); ph != corev1.PodSucceeded {
		t.Errorf("reader of the retained volume: %s, want the file written before", ph)
	}
}

// TestDynamicProvisioningAndDelete: a claim naming no class gets the
// default one, whose provisioner makes a volume sized to it; deleting the
// claim deletes the volume and its data (reclaim policy Delete).
func TestDynamicProvisioningAndDelete(t *testing.T) {
	c := newCluster(t, Options{})
	create(t, c, newClaim("data", "3Gi", nil, rwo))
	waitFor(t, c, time.Minute, "claim bound", claimBound(c, "data"))
	pvc := getClaim(c, "data")
	name := "pvc-" + string(pvc.UID)
	pv := getPV(c, name)
	if pvc.Spec.StorageClassName == nil || *pvc.Spec.StorageClassName != "standard" || pvc.Spec.VolumeName != name || pv == nil {
		t.Fatalf("claim class %v bound %q; want standard, bound to %s", pvc.Spec.StorageClassName, pvc.Spec.VolumeName, name)
	}
	if q := pv.Spec.Capacity[corev1.ResourceStorage]; q.String() != "3Gi" || pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete ||
		pv.Annotations["pv.kubernetes.io/provisioned-by"] != "kubeplay.io/storage" {
		t.Errorf("provisioned volume %s, policy %s, annotations %v; want 3Gi, Delete, provisioned by kubeplay.io/storage", q.String(), pv.Spec.PersistentVolumeReclaimPolicy, pv.Annotations)
	}
	evs := strings.Join(eventsAbout(c, "default", "data"), "\n")
	for _, want := range []string{"ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'kubeplay.io/storage'",
		`Provisioning: External provisioner is provisioning volume for claim "default/data"`, "ProvisioningSucceeded: Successfully provisioned volume " + name} {
		if !strings.Contains(evs, want) {
			t.Errorf("claim events lack %q:\n%s", want, evs)
		}
	}
	if ph := runPod(t, c, claimPod("writer", "data", "echo gone > /data/f")); ph != corev1.PodSucceeded {
		t.Fatalf("writer %s", ph)
	}
	deleteNow(t, c, resPods, "writer")
	deleteNow(t, c, resPVCs, "data")
	waitFor(t, c, time.Minute, "volume deleted", func() bool { return getPV(c, name) == nil })

	create(t, c, newClaim("data", "3Gi", nil, rwo))
	waitFor(t, c, time.Minute, "new claim bound", claimBound(c, "data"))
	if getClaim(c, "data").Spec.VolumeName == name {
		t.Fatal("the new claim got the deleted volume")
	}
	if ph := runPod(t, c, claimPod("reader", "data", "test ! -e /data/f")); ph != corev1.PodSucceeded {
		t.Error("the new volume holds the deleted one's file")
	}
}

// TestClaimInUseIsProtected: a claim deleted while a pod uses it stays,
// Terminating, until the pod is gone.
func TestClaimInUseIsProtected(t *testing.T) {
	c := newCluster(t, Options{})
	create(t, c, newClaim("data", "1Gi", nil, rwo))
	waitFor(t, c, time.Minute, "claim bound", claimBound(c, "data"))
	create(t, c, claimPod("user", "data", "sleep 3600"))
	waitFor(t, c, time.Minute, "pod running", func() bool { return c.podPhase("user") == corev1.PodRunning })
	call(t, c, apiserver.Request{Verb: sim.VerbDelete, Resource: resPVCs, Namespace: "default", Name: "data"})
	c.k.RunFor(30 * time.Second)
	pvc := getClaim(c, "data")
	if pvc == nil || pvc.DeletionTimestamp == nil || pvc.Status.Phase != corev1.ClaimBound {
		t.Fatalf("claim in use after delete: %v, want it kept, Terminating and Bound", pvc)
	}
	deleteNow(t, c, resPods, "user")
	waitFor(t, c, time.Minute, "claim gone", func() bool { return getClaim(c, "data") == nil })
	waitFor(t, c, time.Minute, "its volume gone", func() bool { return getPV(c, "pvc-"+string(pvc.UID)) == nil })
}

// TestDeleteWithoutDeleter: a volume made by hand with policy Delete has
// no plugin to delete it (hostPath's deletes only under /tmp) and fails.
func TestDeleteWithoutDeleter(t *testing.T) {
	c := newCluster(t, Options{})
	pv := hostPV("hand", "1Gi", "", corev1.PersistentVolumeReclaimDelete, rwo)
	pv.Spec.NFS, pv.Spec.HostPath = nil, &corev1.HostPathVolumeSource{Path: "/mnt/data"}
	create(t, c, pv)
	create(t, c, newClaim("data", "1Gi", ptr.To(""), rwo))
	waitFor(t, c, time.Minute, "claim bound", claimBound(c, "data"))
	deleteNow(t, c, resPVCs, "data")
	waitFor(t, c, time.Minute, "volume failed", func() bool { return getPV(c, "hand").Status.Phase == corev1.VolumeFailed })
	want := "host_path deleter only supports /tmp/.+ but received provided /mnt/data"
	if got := getPV(c, "hand").Status.Message; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if evs := eventsAbout(c, "default", "hand"); len(evs) != 1 || evs[0] != "VolumeFailedDelete: "+want {
		t.Errorf("volume events %q", evs)
	}
}
