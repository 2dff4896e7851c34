// Package apiserver is kubeplay's kube-apiserver: it takes requests from
// the other components as hops on the kernel, runs admission (defaulting
// and validation), writes to the store as its own hop to etcd, and records
// Events. Errors are apimachinery StatusErrors, shaped like the real API's.
package apiserver

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// Name is the component name hops use for the apiserver.
const Name = sim.Component(sim.KindAPIServer)

// Etcd is the component name of the store in hops.
const Etcd = sim.Component(sim.KindEtcd)

// Latency is how long a request takes to reach the apiserver, and a write
// to reach etcd, in virtual time.
const Latency = time.Millisecond

// Admission defaults and validates objects before they are stored.
type Admission interface {
	Default(obj runtime.Object)
	Validate(obj, old runtime.Object) error
}

// CreateAdmission is an Admission with plugins that change new objects
// only (DefaultStorageClass, StorageObjectInUseProtection): AdmitCreate
// runs after Default and before Validate on create.
type CreateAdmission interface {
	AdmitCreate(obj runtime.Object)
}

// Request is one call to the apiserver.
type Request struct {
	Verb      sim.Verb
	Object    runtime.Object // create, update, update-status
	Resource  *Resource      // delete, bind
	Namespace string
	Name      string
	NodeName  string          // bind
	Grace     *int64          // delete: nil means the object's own grace period
	Patch     []byte          // patch
	PatchType types.PatchType // patch: strategic (default), merge or json
	// Prepared, when set, is Patch already applied by the caller on its
	// own goroutine (PreparePatch); it is used while the object it was
	// applied to is still the stored one.
	Prepared *PreparedPatch
	// Preconditions, when set, must hold for the stored object (update,
	// update-status, patch, delete), as DeleteOptions' and the kubelet's
	// status patches carry them: a write meant for a pod deleted and made
	// again under its name must not land on the new one.
	Preconditions *metav1.Preconditions
	Why           string // shown with the hop
	Origin        sim.Origin
	Done          func(runtime.Object, error)
}

// Server is the apiserver. Like every component it runs on the kernel's
// goroutine.
type Server struct {
	k      *sim.Kernel
	st     *store.Store
	admit  Admission
	events eventLog
	// label is the hop label of the change last delivered to watchers.
	label struct {
		rev    int64
		object string
	}
	prefixes        map[prefixKey]string // see Range
	spareRequests   sim.Spares[inFlight] // see inFlight
	spareDeliveries sim.Spares[delivery] // see delivery
}

// New returns an apiserver over st.
func New(k *sim.Kernel, st *store.Store, admit Admission) *Server {
	st.SetCodec(store.Prefix("events", ""), eventCodec{})
	st.AddIndex(store.Prefix("events", ""), indexInvolvedUID, func(o runtime.Object, dst []string) []string {
		return append(dst, string(o.(*corev1.Event).InvolvedObject.UID))
	})
	return &Server{k: k, st: st, admit: admit, events: newEventLog(), prefixes: map[prefixKey]string{}}
}

// Store is the etcd behind the apiserver, for reads.
func (s *Server) Store() *store.Store { return s.st }

// Kernel is the kernel the apiserver runs on.
func (s *Server) Kernel() *sim.Kernel { return s.k }

// Submit sends req from a component to the apiserver as a hop. The
// apiserver takes req.Object: the caller must not change it afterwards.
func (s *Server) Submit(from sim.Component, req Request) {
	res, name := req.Resource, req.Name
	if req.Object != nil {
		if r, err := ResourceOf(req.Object); err == nil {
			res = r
		}
		if m, err := meta.Accessor(req.Object); err == nil {
			name = m.GetName()
			if name == "" {
				name = m.GetGenerateName() + "*"
			}
		}
	}
	object := name
	if res != nil {
		object = res.Name + "/" + name
		if req.Verb == sim.VerbList {
			object = res.Name
		}
	}
	verb := req.Verb
	if verb == sim.VerbBind {
		object += " → " + req.NodeName
	}
	h := sim.Hop{From: from, To: Name, Verb: verb, Object: object, Summary: req.Why, Origin: req.Origin}
	if req.Object != nil && s.k.Payloads() {
		// A copy: the apiserver defaults and stamps the object it is given.
		h.Payload = req.Object.DeepCopyObject()
	}
	c := s.spareRequests.Take()
	c.s, c.req, c.from = s, req, from
	s.k.SendRunner(Latency, h, c)
}

// inFlight is a request on its way through the apiserver, the effect of its
// two hops: Submit's to the apiserver (handle), then handle's to etcd
// (commit). They are reused, so a request costs neither a closure per
// hop nor a copy of itself on the heap: every pod takes a dozen.
type inFlight struct {
	s    *Server
	req  Request
	from sim.Component // who submitted it, named on the hop to etcd
	// Set by handle for commit.
	committing bool
	key        string
	obj, base  runtime.Object
	remove     bool
}

// Run is the effect of the request's next hop.
func (c *inFlight) Run() {
	s := c.s
	if !c.committing {
		s.handle(c)
		return
	}
	out, err := s.commit(c.req, c.key, c.obj, c.base, c.remove)
	done := c.req.Done
	s.spareRequests.Give(c) // before done, which may submit the next request
	if done != nil {
		done(out, err)
	}
}

func (s *Server) handle(c *inFlight) {
	req := &c.req
	key, obj, remove, err := s.prepare(*req)
	if err != nil {
		done := req.Done
		s.spareRequests.Give(c)
		if done != nil {
			done(nil, err)
		}
		return
	}
	verb := sim.VerbPut
	switch {
	case remove:
		verb = sim.VerbDelete
	case req.Verb == sim.VerbGet:
		verb = sim.VerbGet
	case req.Verb == sim.VerbList:
		verb = sim.VerbRange
	}
	h := sim.Hop{From: Name, To: Etcd, Verb: verb, Object: key, Summary: req.Why, Origin: req.Origin, Requester: c.from}
	if obj != nil && s.k.Payloads() {
		h.Payload = obj.DeepCopyObject()
	}
	var base runtime.Object // the version a patch was applied to
	if req.Verb == sim.VerbPatch {
		base, _ = s.st.Get(key)
	}
	c.committing, c.key, c.obj, c.base, c.remove = true, key, obj, base, remove
	s.k.SendRunner(Latency, h, c)
}

// prepare runs admission and works out what to write, without writing.
func (s *Server) prepare(req Request) (key string, obj runtime.Object, remove bool, err error) {
	switch req.Verb {
	case sim.VerbCreate:
		obj = req.Object
		res, err := ResourceOf(obj)
		if err != nil {
			return "", nil, false, apierrors.NewBadRequest(err.Error())
		}
		m, _ := meta.Accessor(obj)
		if res.Namespaced && m.GetNamespace() == "" {
			m.SetNamespace(metav1.NamespaceDefault)
		}
		if !res.Namespaced {
			m.SetNamespace("")
		}
		if m.GetName() == "" && m.GetGenerateName() != "" {
			m.SetName(m.GetGenerateName() + randomSuffix(randFor(s.k, res, obj)))
		}
		if uidBeforeAdmission(obj) {
			// The registry fills in the UID before the strategy's
			// PrepareForCreate, which for a Job makes its selector of it.
			m.SetUID(types.UID(newUID(randFor(s.k, res, obj))))
		}
		if s.admit != nil {
			s.admit.Default(obj)
			if a, ok := s.admit.(CreateAdmission); ok {
				a.AdmitCreate(obj)
			}
			if err := s.admit.Validate(obj, nil); err != nil {
				return "", nil, false, err
			}
		}
		if m.GetName() == "" {
			return "", nil, false, apierrors.NewBadRequest("resource name may not be empty")
		}
		return store.Key(res.etcd(), m.GetNamespace(), m.GetName()), obj, false, nil
	case sim.VerbUpdate, sim.VerbUpdateStatus:
		obj = req.Object
		res, err := ResourceOf(obj)
		if err != nil {
			return "", nil, false, apierrors.NewBadRequest(err.Error())
		}
		m, _ := meta.Accessor(obj)
		key = store.Key(res.etcd(), m.GetNamespace(), m.GetName())
		old, ok := s.st.Get(key)
		if !ok {
			return "", nil, false, apierrors.NewNotFound(res.GroupResource(), m.GetName())
		}
		if req.Verb == sim.VerbUpdate && s.admit != nil {
			s.admit.Default(obj)
			if err := s.admit.Validate(obj, old); err != nil {
				return "", nil, false, err
			}
		}
		return key, obj, false, nil
	case sim.VerbPatch:
		key = store.Key(req.Resource.etcd(), req.Namespace, req.Name)
		obj, err := s.patched(req, key)
		return key, obj, false, err
	case sim.VerbList:
		ns := req.Namespace
		if !req.Resource.Namespaced {
			ns = "" // nodes live at /registry/minions/, in no namespace
		}
		return store.Prefix(req.Resource.etcd(), ns), nil, false, nil
	case sim.VerbGet:
		return store.Key(req.Resource.etcd(), req.Namespace, req.Name), nil, false, nil
	case sim.VerbDelete, sim.VerbBind:
		key = store.Key(req.Resource.etcd(), req.Namespace, req.Name)
		if _, ok := s.st.Get(key); !ok {
			return "", nil, false, apierrors.NewNotFound(req.Resource.GroupResource(), req.Name)
		}
		return key, nil, req.Verb == sim.VerbDelete, nil
	}
	return "", nil, false, apierrors.NewBadRequest("unknown verb " + req.Verb.String())
}

// commit is the etcd transaction: it checks again what may have changed
// since prepare (a patch was applied to base) and writes.
func (s *Server) commit(req Request, key string, obj, base runtime.Object, remove bool) (runtime.Object, error) {
	old, exists := s.st.Get(key)
	now := metav1.NewTime(s.k.Now().Truncate(time.Second))
	if exists && req.Preconditions != nil {
		if err := checkPreconditions(req, old); err != nil {
			return nil, err
		}
	}
	switch req.Verb {
	case sim.VerbGet, sim.VerbList:
		return nil, nil
	case sim.VerbCreate:
		res, _ := ResourceOf(obj)
		m, _ := meta.Accessor(obj)
		if exists {
			return nil, apierrors.NewAlreadyExists(res.GroupResource(), m.GetName())
		}
		if res.Namespaced && res.Kind != "Event" {
			nsObj, ok := s.st.Get(store.Key("namespaces", "", m.GetNamespace()))
			if !ok {
				return nil, apierrors.NewNotFound(schemaNamespaces, m.GetNamespace())
			}
			if nsObj.(*corev1.Namespace).DeletionTimestamp != nil {
				return nil, apierrors.NewForbidden(res.GroupResource(), m.GetName(),
					fmt.Errorf("unable to create new content in namespace %s because it is being terminated", m.GetNamespace()))
			}
		}
		if svc, ok := obj.(*corev1.Service); ok {
			if err := s.allocateService(svc, nil); err != nil {
				return nil, err
			}
		}
		setTypeMeta(obj, res)
		if pod, ok := obj.(*corev1.Pod); ok && pod.Status.Phase == "" {
			// The pod strategy's PrepareForCreate: a new pod is Pending.
			pod.Status.Phase = corev1.PodPending
		}
		if !uidBeforeAdmission(obj) {
			m.SetUID(types.UID(newUID(randFor(s.k, res, obj))))
		}
		m.SetCreationTimestamp(now)
		m.SetGeneration(1)
		templateGeneration(obj, nil)
		m.SetDeletionTimestamp(nil)
		if err := fitsEtcd(key, obj); err != nil {
			return nil, err
		}
		return s.st.Put(key, obj), nil
	case sim.VerbUpdate, sim.VerbUpdateStatus, sim.VerbPatch:
		res, _ := ResourceOf(obj)
		m, _ := meta.Accessor(obj)
		if !exists {
			return nil, apierrors.NewNotFound(res.GroupResource(), m.GetName())
		}
		om, _ := meta.Accessor(old)
		if req.Verb == sim.VerbPatch && m.GetResourceVersion() == "" && old != base {
			// The object changed since the patch was applied (stored
			// objects are never changed in place: another version is
			// another object), and the patch asked for no version: apply
			// it again to what is stored now, as the apiserver's
			// GuaranteedUpdate retries.
			var err error
			if obj, err = s.patched(req, key); err != nil {
				return nil, err
			}
			m, _ = meta.Accessor(obj)
		}
		if rv := m.GetResourceVersion(); rv != "" && rv != om.GetResourceVersion() {
			return nil, apierrors.NewConflict(res.GroupResource(), m.GetName(),
				fmt.Errorf("the object has been modified; please apply your changes to the latest version and try again"))
		}
		m.SetResourceVersion(om.GetResourceVersion()) // so that an unchanged patch compares equal
		if req.Verb == sim.VerbUpdateStatus {
			obj = withAllButStatusOf(obj, old)
		} else {
			if svc, ok := obj.(*corev1.Service); ok {
				if err := s.allocateService(svc, old.(*corev1.Service)); err != nil {
					return nil, err
				}
			}
			if req.Verb == sim.VerbPatch && apiequality.Semantic.DeepEqual(withStatusOf(obj, old), old) {
				return old, nil // a patch that changes nothing is not written
			}
			obj = withStatusOf(obj, old)
			m, _ = meta.Accessor(obj)
			// Only the apiserver sets these; a client's copy may be stale.
			m.SetUID(om.GetUID())
			m.SetCreationTimestamp(om.GetCreationTimestamp())
			m.SetDeletionTimestamp(om.GetDeletionTimestamp())
			m.SetDeletionGracePeriodSeconds(om.GetDeletionGracePeriodSeconds())
			m.SetGeneration(om.GetGeneration())
			if !apiequality.Semantic.DeepEqual(specOf(obj), specOf(old)) {
				m.SetGeneration(om.GetGeneration() + 1)
			}
			templateGeneration(obj, old)
		}
		setTypeMeta(obj, res)
		if _, pod := obj.(*corev1.Pod); !pod && m.GetDeletionTimestamp() != nil && len(m.GetFinalizers()) == 0 {
			// The last finalizer is gone from an object being deleted.
			s.st.Delete(key)
			return obj, nil
		}
		if err := fitsEtcd(key, obj); err != nil {
			return nil, err
		}
		return s.st.Put(key, obj), nil
	case sim.VerbBind:
		if !exists {
			return nil, apierrors.NewNotFound(req.Resource.GroupResource(), req.Name)
		}
		// Stored pods are never changed in place: a shallow copy will do,
		// with conditions of its own, which are the only part changed.
		stored := old.(*corev1.Pod)
		pod := new(corev1.Pod)
		*pod = *stored
		pod.Status.Conditions = slices.Clone(stored.Status.Conditions)
		if pod.Spec.NodeName != "" {
			return nil, apierrors.NewConflict(req.Resource.GroupResource(), req.Name,
				fmt.Errorf("pod %s is already assigned to node %q", req.Name, pod.Spec.NodeName))
		}
		pod.Spec.NodeName = req.NodeName
		setPodCondition(pod, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: now})
		return s.st.Put(key, pod), nil
	case sim.VerbDelete:
		if !exists {
			return nil, apierrors.NewNotFound(req.Resource.GroupResource(), req.Name)
		}
		switch o := old.(type) {
		case *corev1.Pod:
			return s.deletePod(key, o, req.Grace, now)
		case *corev1.Namespace:
			return s.deleteNamespace(key, o, now)
		}
		if m, _ := meta.Accessor(old); len(m.GetFinalizers()) > 0 {
			return s.markDeleted(key, old, now)
		}
		s.st.Delete(key)
		return old, nil
	}
	return nil, apierrors.NewBadRequest("unknown verb " + req.Verb.String())
}

// UIDPrecondition is the precondition that the stored object is obj
// itself, not another made under its name since.
func UIDPrecondition(obj metav1.Object) *metav1.Preconditions {
	// One allocation for both: every status write of a kubelet and every
	// write of a controller carries one.
	p := &struct {
		metav1.Preconditions
		uid types.UID
	}{uid: obj.GetUID()}
	p.UID = &p.uid
	return &p.Preconditions
}

// checkPreconditions is the storage's check of a request's preconditions
// against the stored object, with its wording.
func checkPreconditions(req Request, stored runtime.Object) error {
	m, _ := meta.Accessor(stored)
	res, err := ResourceOf(stored)
	if err != nil {
		return apierrors.NewBadRequest(err.Error())
	}
	p := req.Preconditions
	if p.UID != nil && *p.UID != m.GetUID() {
		return apierrors.NewConflict(res.GroupResource(), m.GetName(),
			//lint:ignore ST1005 kube-apiserver's own wording, capital and all
			fmt.Errorf("Precondition failed: UID in precondition: %v, UID in object meta: %v", *p.UID, m.GetUID()))
	}
	if p.ResourceVersion != nil && *p.ResourceVersion != m.GetResourceVersion() {
		return apierrors.NewConflict(res.GroupResource(), m.GetName(),
			//lint:ignore ST1005 kube-apiserver's own wording, capital and all
			fmt.Errorf("Precondition failed: ResourceVersion in precondition: %v, ResourceVersion in object meta: %v", *p.ResourceVersion, m.GetResourceVersion()))
	}
	return nil
}

// patched is the stored object with req's patch applied, defaulted and
// validated. When the patch does not set a resourceVersion (no
// precondition), the result carries none, so that commit applies it again
// to a newer object instead of refusing it as a conflict.
func (s *Server) patched(req Request, key string) (runtime.Object, error) {
	old, ok := s.st.Get(key)
	if !ok {
		return nil, apierrors.NewNotFound(req.Resource.GroupResource(), req.Name)
	}
	var obj runtime.Object
	var err error
	if p := req.Prepared; p != nil && p.base == old && !p.used {
		p.used = true // admission below changes it: it serves once
		obj, err = p.obj, p.err
	} else {
		obj, err = applyPatch(old, req.PatchType, req.Patch)
	}
	if err != nil {
		return nil, err
	}
	if s.admit != nil {
		s.admit.Default(obj)
		if err := s.admit.Validate(obj, old); err != nil {
			return nil, err
		}
	}
	m, _ := meta.Accessor(obj)
	om, _ := meta.Accessor(old)
	if m.GetResourceVersion() == om.GetResourceVersion() {
		m.SetResourceVersion("")
	}
	return obj, nil
}

// systemNamespaces may not be deleted, as the apiserver's lifecycle
// admission refuses.
var systemNamespaces = map[string]bool{"default": true, "kube-system": true, "kube-public": true, "kube-node-lease": true}

// deleteNamespace marks a namespace Terminating; the namespace controller
// empties it and then removes it, as the "kubernetes" finalizer makes
// upstream do.
func (s *Server) deleteNamespace(key string, ns *corev1.Namespace, now metav1.Time) (runtime.Object, error) {
	if systemNamespaces[ns.Name] {
		return nil, apierrors.NewForbidden(schemaNamespaces, ns.Name, fmt.Errorf("this namespace may not be deleted"))
	}
	if ns.DeletionTimestamp != nil {
		return ns, nil
	}
	ns = ns.DeepCopy()
	ns.DeletionTimestamp = &now
	ns.Status.Phase = corev1.NamespaceTerminating
	return s.st.Put(key, ns), nil
}

// RemoveNamespace deletes a Terminating namespace for good, once the
// namespace controller has emptied it.
func (s *Server) RemoveNamespace(name string) {
	s.st.Delete(store.Key("namespaces", "", name))
}

// markDeleted is the deletion of an object with finalizers: it stays,
// with a deletionTimestamp (Terminating), until the controllers that own
// its finalizers have removed them all.
func (s *Server) markDeleted(key string, obj runtime.Object, now metav1.Time) (runtime.Object, error) {
	if m, _ := meta.Accessor(obj); m.GetDeletionTimestamp() != nil {
		return obj, nil
	}
	obj = obj.DeepCopyObject()
	m, _ := meta.Accessor(obj)
	m.SetDeletionTimestamp(&now)
	m.SetDeletionGracePeriodSeconds(new(int64))
	return s.st.Put(key, obj), nil
}

// deletePod is graceful deletion: a pod on a node is marked with a
// deletionTimestamp and left for its kubelet to stop; only then, or with a
// grace period of 0, is it removed.
func (s *Server) deletePod(key string, pod *corev1.Pod, grace *int64, now metav1.Time) (runtime.Object, error) {
	g := int64(corev1.DefaultTerminationGracePeriodSeconds)
	if pod.Spec.TerminationGracePeriodSeconds != nil {
		g = *pod.Spec.TerminationGracePeriodSeconds
	}
	if grace != nil {
		g = *grace
	}
	terminal := pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
	if g == 0 || pod.Spec.NodeName == "" || terminal {
		s.st.Delete(key)
		return pod, nil
	}
	if pod.DeletionGracePeriodSeconds != nil && *pod.DeletionGracePeriodSeconds <= g {
		return pod, nil
	}
	pod = pod.DeepCopy()
	at := metav1.NewTime(now.Add(time.Duration(g) * time.Second))
	pod.DeletionTimestamp = &at
	pod.DeletionGracePeriodSeconds = &g
	return s.st.Put(key, pod), nil
}

// Get reads one object.
func (s *Server) Get(res *Resource, namespace, name string) (runtime.Object, error) {
	if !res.Namespaced {
		namespace = ""
	}
	obj, ok := s.st.GetAt(res.etcd(), namespace, name)
	if !ok {
		return nil, apierrors.NewNotFound(res.GroupResource(), name)
	}
	return obj, nil
}

// List reads every object of a resource in a namespace ("" for all), in
// key order.
func (s *Server) List(res *Resource, namespace string) []runtime.Object {
	if !res.Namespaced {
		namespace = ""
	}
	return s.st.List(store.Prefix(res.etcd(), namespace))
}

// Each calls fn with what List returns, one object at a time and without
// making a slice, until fn returns false: for readers that only look, on
// a hot path (which Services select a pod, for every pod change). fn does
// not escape (see store.Each).
func (s *Server) Each(res *Resource, namespace string, fn func(runtime.Object) bool) {
	if !res.Namespaced {
		namespace = ""
	}
	key := prefixKey{res, namespace}
	prefix, ok := s.prefixes[key]
	if !ok {
		if len(s.prefixes) >= maxPrefixes {
			clear(s.prefixes)
		}
		prefix = store.Prefix(res.etcd(), namespace)
		s.prefixes[key] = prefix
	}
	s.st.Each(prefix, fn)
}

// prefixKey names the key prefix of a resource in a namespace, which
// Each keeps rather than spell it for every call.
type prefixKey struct {
	res       *Resource
	namespace string
}

// maxPrefixes bounds Range's prefixes: namespaces come and go.
const maxPrefixes = 1024

// KeyOf is the etcd key of an object.
func KeyOf(obj runtime.Object) string {
	res, err := ResourceOf(obj)
	if err != nil {
		return ""
	}
	m, _ := meta.Accessor(obj)
	return store.Key(res.etcd(), m.GetNamespace(), m.GetName())
}

// PrefixOf is the etcd key prefix of a resource.
func PrefixOf(res *Resource) string { return store.Prefix(res.etcd(), "") }

func setTypeMeta(obj runtime.Object, res *Resource) {
	obj.GetObjectKind().SetGroupVersionKind(schemaGVK(res))
}

// specOf returns the Spec field of an object, or nil.
func specOf(obj runtime.Object) any {
	v := reflect.ValueOf(obj).Elem().FieldByName("Spec")
	if !v.IsValid() {
		return nil
	}
	return v.Interface()
}

// withAllButStatusOf copies every field of from but Status into to,
// returning to: a status write keeps the stored spec and metadata. The
// apiserver owns to (see Submit), so no new object is needed.
func withAllButStatusOf(to, from runtime.Object) runtime.Object {
	dst, src := reflect.ValueOf(to).Elem(), reflect.ValueOf(from).Elem()
	for i := range dst.NumField() {
		if dst.Type().Field(i).Name != "Status" {
			dst.Field(i).Set(src.Field(i))
		}
	}
	return to
}

// withStatusOf copies the Status field of from into to, returning to.
func withStatusOf(to, from runtime.Object) runtime.Object {
	dst := reflect.ValueOf(to).Elem().FieldByName("Status")
	src := reflect.ValueOf(from).Elem().FieldByName("Status")
	if dst.IsValid() && src.IsValid() && dst.CanSet() {
		dst.Set(src)
	}
	return to
}

func setPodCondition(pod *corev1.Pod, c corev1.PodCondition) {
	for i := range pod.Status.Conditions {
		if pod.Status.Conditions[i].Type == c.Type {
			if pod.Status.Conditions[i].Status != c.Status {
				pod.Status.Conditions[i] = c
			}
			return
		}
	}
	pod.Status.Conditions = append(pod.Status.Conditions, c)
}

// uidBeforeAdmission says whether obj's admission reads its UID: the
// registry fills the UID in before the strategy's PrepareForCreate, and a
// Job's generated selector names it.
func uidBeforeAdmission(obj runtime.Object) bool {
	_, ok := obj.(*batchv1.Job)
	return ok
}
