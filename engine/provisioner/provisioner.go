// Package provisioner is kubeplay's storage provisioner, kubeplay.io/storage:
// an external provisioner, as minikube's storage-provisioner or kind's
// local-path-provisioner are, that watches the claims the
// PersistentVolume controller hands to it, makes a PersistentVolume for
// each (named pvc-<claim UID>, sized to the claim), and deletes the
// volume and its data once it is released under a Delete reclaim policy.
//
// Its volumes live in the cluster's storage, which every node reaches (see
// runtime.PersistentStore): no volume is tied to a node, so the default
// StorageClass can bind at once (Immediate), and a claim shows Bound as
// soon as it is made.
package provisioner

import (
	"fmt"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/reference"
	"k8s.io/component-helpers/storage/volume"
)

// Name is the provisioner's component name in hops: the name of its pod
// in minikube's kube-system.
const Name = sim.Component(sim.KindStorageProvisioner)

// Provisioner is the name StorageClasses give in their provisioner field.
const Provisioner = "kubeplay.io/storage"

// eventSource is how the provisioner signs its events: upstream's
// external provisioners use "<provisioner>_<pod>_<uuid>".
const eventSource = Provisioner + "_" + string(Name)

var (
	resPVs, _     = apiserver.ResourceFor("persistentvolumes")
	resClasses, _ = apiserver.ResourceFor("storageclasses")
)

// Options configure the provisioner.
type Options struct {
	// RemoveData deletes a volume's data from the cluster's storage; nil
	// leaves it.
	RemoveData func(pv string) error
	// Async runs RemoveData off the kernel's goroutine, as real storage
	// (files a container wrote) takes real time.
	Async bool
}

// Controller is the provisioner.
type Controller struct {
	api      *apiserver.Server
	k        *sim.Kernel
	opts     Options
	deleting map[string]bool // volumes whose deletion is under way
}

// New starts the provisioner on api.
func New(api *apiserver.Server, opts Options) *Controller {
	c := &Controller{api: api, k: api.Kernel(), opts: opts, deleting: map[string]bool{}}
	api.Watch(apiserver.Watcher{Component: Name, Filter: c.filter, Handle: c.handle})
	return c
}

func (c *Controller) filter(ev store.Event) (string, bool) {
	switch o := ev.Object.(type) {
	case *corev1.PersistentVolumeClaim:
		if ev.Type != watch.Deleted && wantsVolume(o) {
			return "claim " + o.Name + " waits for a volume from " + Provisioner, true
		}
	case *corev1.PersistentVolume:
		if ev.Type != watch.Deleted && c.shouldDelete(o) {
			return "volume " + o.Name + " released, reclaim policy Delete", true
		}
	}
	return "", false
}

// handle acts on the object as it is now: the event may be older.
func (c *Controller) handle(ev store.Event) {
	res, _ := apiserver.ResourceOf(ev.Object)
	m, _ := meta.Accessor(ev.Object)
	obj, err := c.api.Get(res, m.GetNamespace(), m.GetName())
	if err != nil {
		return
	}
	switch o := obj.(type) {
	case *corev1.PersistentVolumeClaim:
		c.provision(o)
	case *corev1.PersistentVolume:
		c.delete(o)
	}
}

// wantsVolume: the PersistentVolume controller named this provisioner on
// a claim that is not bound yet.
func wantsVolume(claim *corev1.PersistentVolumeClaim) bool {
	return claim.Spec.VolumeName == "" && claim.DeletionTimestamp == nil &&
		(claim.Annotations[volume.AnnStorageProvisioner] == Provisioner || claim.Annotations[volume.AnnBetaStorageProvisioner] == Provisioner)
}

// VolumeName is the name of the volume provisioned for a claim.
func VolumeName(claim *corev1.PersistentVolumeClaim) string { return "pvc-" + string(claim.UID) }

func (c *Controller) provision(claim *corev1.PersistentVolumeClaim) {
	if !wantsVolume(claim) {
		return
	}
	if _, err := c.api.Get(resPVs, "", VolumeName(claim)); err == nil {
		return // made already; the PersistentVolume controller binds it
	}
	obj, err := c.api.Get(resClasses, "", volume.GetPersistentVolumeClaimClass(claim))
	if err != nil {
		return
	}
	class := obj.(*storagev1.StorageClass)
	if class.Provisioner != Provisioner {
		return
	}
	key := claim.Namespace + "/" + claim.Name
	if claim.Spec.Selector != nil {
		c.event(claim, corev1.EventTypeWarning, "ProvisioningFailed", "claim Selector is not supported")
		return
	}
	c.event(claim, corev1.EventTypeNormal, "Provisioning", fmt.Sprintf("External provisioner is provisioning volume for claim %q", key))
	pv, err := volumeFor(claim, class)
	if err != nil {
		c.event(claim, corev1.EventTypeWarning, "ProvisioningFailed", err.Error())
		return
	}
	c.api.Submit(Name, apiserver.Request{Verb: sim.VerbCreate, Object: pv, Why: "provision a volume for claim " + key,
		Done: func(_ runtime.Object, err error) {
			switch {
			case err == nil:
				c.event(claim, corev1.EventTypeNormal, "ProvisioningSucceeded", "Successfully provisioned volume "+pv.Name)
			case !apierrors.IsAlreadyExists(err):
				c.event(claim, corev1.EventTypeWarning, "ProvisioningFailed", "failed to provision volume with StorageClass "+fmt.Sprintf("%q: %v", class.Name, err))
			}
		}})
}

// volumeFor is the volume for claim: its size, access modes and volume
// mode, the class's reclaim policy, and reserved for the claim.
func volumeFor(claim *corev1.PersistentVolumeClaim, class *storagev1.StorageClass) (*corev1.PersistentVolume, error) {
	ref, err := reference.GetReference(scheme.Scheme, claim)
	if err != nil {
		return nil, err
	}
	policy := corev1.PersistentVolumeReclaimDelete
	if class.ReclaimPolicy != nil {
		policy = *class.ReclaimPolicy
	}
	name := VolumeName(claim)
	return &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{volume.AnnDynamicallyProvisioned: Provisioner}},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: claim.Spec.Resources.Requests[corev1.ResourceStorage]},
			AccessModes:                   claim.Spec.AccessModes,
			PersistentVolumeReclaimPolicy: policy,
			StorageClassName:              class.Name,
			VolumeMode:                    claim.Spec.VolumeMode,
			MountOptions:                  class.MountOptions,
			ClaimRef:                      ref,
			PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{
				Driver: Provisioner, VolumeHandle: name}},
		},
	}, nil
}

// shouldDelete is the provisioner library's: a volume it made, released,
// whose policy is Delete.
func (c *Controller) shouldDelete(pv *corev1.PersistentVolume) bool {
	return pv.Annotations[volume.AnnDynamicallyProvisioned] == Provisioner && pv.Status.Phase == corev1.VolumeReleased &&
		pv.Spec.PersistentVolumeReclaimPolicy == corev1.PersistentVolumeReclaimDelete && pv.DeletionTimestamp == nil && !c.deleting[pv.Name]
}

// delete removes a released volume's data, then the volume.
func (c *Controller) delete(pv *corev1.PersistentVolume) {
	if !c.shouldDelete(pv) {
		return
	}
	name := pv.Name
	c.deleting[name] = true
	deleteObject := func(err error) {
		if err != nil {
			delete(c.deleting, name)
			c.event(pv, corev1.EventTypeWarning, "VolumeFailedDelete", err.Error())
			return
		}
		c.api.Submit(Name, apiserver.Request{Verb: sim.VerbDelete, Resource: resPVs, Name: name, Why: "its data is deleted → delete volume " + name,
			Done: func(runtime.Object, error) { delete(c.deleting, name) }})
	}
	remove := c.opts.RemoveData
	if remove == nil {
		deleteObject(nil)
		return
	}
	hop := sim.Hop{From: Name, To: Name, Verb: sim.VerbDeleteData, Object: "persistentvolumes/" + name, Summary: "remove the volume's files from the cluster's storage"}
	if !c.opts.Async {
		c.k.Send(0, hop, func() { deleteObject(remove(name)) })
		return
	}
	go func() {
		err := remove(name)
		hop.Summary = "the volume's files are removed"
		c.k.Inject(hop, func() { deleteObject(err) })
	}()
}

func (c *Controller) event(obj runtime.Object, typ, reason, msg string) {
	c.api.Record(obj, typ, reason, eventSource, msg)
}
