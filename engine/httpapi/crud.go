package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/manifest"
	"github.com/kubeplay/kubeplay/engine/sim"

	authzv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	sjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"
)

// read is a read's answer, taken on the kernel goroutine.
type read struct {
	objs []runtime.Object
	rv   string
	now  time.Time
}

// fetch asks the apiserver for one object (name set) or a list, as a hop,
// and reads the store on the kernel goroutine when it answers.
func (s *Server) fetch(r *http.Request, t target) (read, error) {
	var out read
	var rerr error
	verb := sim.VerbList
	if t.name != "" {
		verb = sim.VerbGet
	}
	_, err := s.call(r, apiserver.Request{Verb: verb, Resource: t.res, Namespace: t.namespace, Name: t.name},
		func(_ runtime.Object, err error) {
			out.now, out.rv = s.c.Now(), strconv.FormatInt(s.c.Revision(), 10)
			if err != nil {
				return
			}
			if t.name == "" {
				out.objs = s.c.List(t.res, t.namespace)
				return
			}
			obj, err := s.c.Get(t.res, t.namespace, t.name)
			if err != nil {
				rerr = err
				return
			}
			out.objs = []runtime.Object{obj}
		})
	if err == nil {
		err = rerr
	}
	return out, err
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, t target) {
	got, err := s.fetch(r, t)
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.writeObject(w, r, http.StatusOK, t, got.objs[0], got.now)
}

// selected reads the objects a list request's selectors pick.
func (s *Server) selected(r *http.Request, t target) (read, error) {
	sel, err := parseSelector(r, t.res.New())
	if err != nil {
		return read{}, err
	}
	got, err := s.fetch(r, t)
	got.objs = sel.filter(got.objs)
	return got, err
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, t target) {
	got, err := s.selected(r, t)
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.writeObjects(w, r, t, got.objs, got.rv, got.now)
}

// write sends a create, update or patch and answers with what was stored.
func (s *Server) write(w http.ResponseWriter, r *http.Request, t target, code int, req apiserver.Request) {
	if dry := r.URL.Query().Get("dryRun"); dry != "" {
		s.writeError(w, apierrors.NewBadRequest("kubeplay does not run server-side dry runs (dryRun="+dry+"); use --dry-run=client"))
		return
	}
	req.Resource, req.Namespace, req.Name = t.res, t.namespace, t.name
	var now time.Time
	obj, err := s.call(r, req, func(runtime.Object, error) { now = s.c.Now() })
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.writeObject(w, r, code, t, obj, now)
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, t target) {
	obj, err := s.decodeBody(r, t)
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.warn(w, manifest.DroppedNotices(t.res.Kind, obj))
	s.write(w, r, t, http.StatusCreated, apiserver.Request{Verb: sim.VerbCreate, Object: obj})
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, t target) {
	obj, err := s.decodeBody(r, t)
	if err != nil {
		s.writeError(w, err)
		return
	}
	if m, _ := meta.Accessor(obj); m.GetName() != t.name {
		s.writeError(w, apierrors.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", m.GetName(), t.name)))
		return
	}
	s.warn(w, manifest.DroppedNotices(t.res.Kind, obj))
	s.write(w, r, t, http.StatusOK, apiserver.Request{Verb: sim.VerbUpdate, Object: obj})
}

// warn sends kubeplay's notices about an object as the apiserver sends
// admission warnings, which kubectl prints as "Warning: …".
func (s *Server) warn(w http.ResponseWriter, notices []manifest.Notice) {
	for _, n := range notices {
		w.Header().Add("Warning", "299 - "+strconv.Quote("kubeplay: "+n.Text.In(s.lang)))
	}
}

// patchTypes maps a PATCH's Content-Type to its kind of patch.
var patchTypes = map[string]types.PatchType{
	string(types.JSONPatchType):           types.JSONPatchType,
	string(types.MergePatchType):          types.MergePatchType,
	string(types.StrategicMergePatchType): types.StrategicMergePatchType,
	string(types.ApplyYAMLPatchType):      types.ApplyYAMLPatchType,
}

func (s *Server) patch(w http.ResponseWriter, r *http.Request, t target) {
	body, err := readBody(r)
	if err != nil {
		s.writeError(w, err)
		return
	}
	pt, ok := patchTypes[mediaType(r)]
	if !ok {
		s.writeError(w, unsupportedMediaType(patchMediaTypes))
		return
	}
	if pt == types.ApplyYAMLPatchType {
		s.serverSideApply(w, r, t, body)
		return
	}
	if t.older != nil {
		s.patchOlder(w, r, t, pt, body)
		return
	}
	s.write(w, r, t, http.StatusOK, apiserver.Request{Verb: sim.VerbPatch, Patch: body, PatchType: pt, Prepared: s.prepare(r, t, pt, body)})
}

// prepare applies a patch to the stored object here, on the request's
// goroutine (apiserver.PreparePatch), so that the kernel, which every
// other client's request waits for, only admits and stores the result:
// a hostile patch, or a 1 MiB one, no longer holds up everybody's `get`.
// nil when there is no such object: the apiserver then says so.
func (s *Server) prepare(r *http.Request, t target, pt types.PatchType, body []byte) *apiserver.PreparedPatch {
	var current runtime.Object
	if s.onKernel(r, func() { current, _ = s.c.Get(t.res, t.namespace, t.name) }) != nil || current == nil {
		return nil
	}
	return apiserver.PreparePatch(current, pt, body)
}

// serverSideApply is `kubectl apply --server-side`, approximated: a new
// object is created; an existing one gets the applied configuration as a
// strategic merge patch. kubeplay keeps no managedFields, so there are no
// field-ownership conflicts and a field dropped from the configuration is
// not removed.
func (s *Server) serverSideApply(w http.ResponseWriter, r *http.Request, t target, body []byte) {
	data, err := yaml.YAMLToJSON(body)
	if err != nil {
		s.writeError(w, apierrors.NewBadRequest("error decoding YAML: "+err.Error()))
		return
	}
	got, err := s.fetch(r, t)
	if apierrors.IsNotFound(err) {
		obj, err := s.decode(r, t, data)
		if err != nil {
			s.writeError(w, err)
			return
		}
		s.write(w, r, t, http.StatusCreated, apiserver.Request{Verb: sim.VerbCreate, Object: obj})
		return
	}
	if err != nil || len(got.objs) == 0 {
		s.writeError(w, err)
		return
	}
	if t.older != nil {
		s.patchOlder(w, r, t, types.StrategicMergePatchType, data)
		return
	}
	s.write(w, r, t, http.StatusOK, apiserver.Request{Verb: sim.VerbPatch, Patch: data, PatchType: types.StrategicMergePatchType,
		Prepared: apiserver.PreparePatch(got.objs[0], types.StrategicMergePatchType, data)})
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request, t target) {
	opts, err := deleteOptions(r)
	if err != nil {
		s.writeError(w, err)
		return
	}
	var now time.Time
	obj, err := s.call(r, apiserver.Request{Verb: sim.VerbDelete, Resource: t.res, Namespace: t.namespace, Name: t.name, Grace: opts.GracePeriodSeconds},
		func(runtime.Object, error) { now = s.c.Now() })
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.writeObject(w, r, http.StatusOK, t, obj, now)
}

// deleteCollection deletes what a selector matches, one by one, as the
// apiserver's DeleteCollection does, and answers the list of them.
func (s *Server) deleteCollection(w http.ResponseWriter, r *http.Request, t target) {
	opts, err := deleteOptions(r)
	if err != nil {
		s.writeError(w, err)
		return
	}
	got, err := s.selected(r, t)
	if err != nil {
		s.writeError(w, err)
		return
	}
	var deleted []runtime.Object
	for _, obj := range got.objs {
		m, _ := meta.Accessor(obj)
		out, err := s.call(r, apiserver.Request{Verb: sim.VerbDelete, Resource: t.res, Namespace: m.GetNamespace(), Name: m.GetName(), Grace: opts.GracePeriodSeconds}, nil)
		if err != nil && !apierrors.IsNotFound(err) {
			s.writeError(w, err)
			return
		}
		if out != nil {
			deleted = append(deleted, out)
		}
	}
	writeJSON(w, http.StatusOK, newList(t, got.rv, deleted))
}

// deleteOptions reads DeleteOptions from the body or the query. Only
// background cascading is simulated (the garbage collector's default).
func deleteOptions(r *http.Request) (metav1.DeleteOptions, error) {
	var opts metav1.DeleteOptions
	body, err := readBody(r)
	if err != nil {
		return opts, err
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &opts); err != nil {
			return opts, apierrors.NewBadRequest("error decoding DeleteOptions: " + err.Error())
		}
	}
	q := r.URL.Query()
	if v := q.Get("gracePeriodSeconds"); v != "" && opts.GracePeriodSeconds == nil {
		g, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return opts, apierrors.NewBadRequest("gracePeriodSeconds: " + err.Error())
		}
		opts.GracePeriodSeconds = &g
	}
	if v := q.Get("propagationPolicy"); v != "" && opts.PropagationPolicy == nil {
		p := metav1.DeletionPropagation(v)
		opts.PropagationPolicy = &p
	}
	if p := opts.PropagationPolicy; p != nil && *p != metav1.DeletePropagationBackground {
		return opts, apierrors.NewBadRequest(fmt.Sprintf("kubeplay simulates background cascading deletion only, not %s; leave out --cascade (or use --cascade=background)", *p))
	}
	if opts.DryRun != nil {
		return opts, apierrors.NewBadRequest("kubeplay does not run server-side dry runs; use --dry-run=client")
	}
	return opts, nil
}

// readBody is the body guard has read (at most maxBody).
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, apierrors.NewBadRequest("reading the request body: " + err.Error())
	}
	if len(data) > maxBody {
		return nil, apierrors.NewRequestEntityTooLargeError(fmt.Sprintf("limit is %d", maxBody))
	}
	return data, nil
}

// mediaType is the request's Content-Type without parameters.
func mediaType(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.TrimSpace(ct)
}

// decodeBody reads the object a create or update sends.
func (s *Server) decodeBody(r *http.Request, t target) (runtime.Object, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	return s.decode(r, t, body)
}

// scheme has the kinds kubeplay serves (manifest's) and the few request
// kinds the API reads besides: access reviews.
var scheme = func() *runtime.Scheme {
	sc := runtime.NewScheme()
	for gvk, t := range manifest.Scheme().AllKnownTypes() {
		sc.AddKnownTypeWithName(gvk, reflect.New(t).Interface().(runtime.Object))
	}
	if err := authzv1.AddToScheme(sc); err != nil {
		panic(err)
	}
	for _, o := range olderVersions {
		obj := o.new()
		sc.AddKnownTypeWithName(schema.GroupVersionKind{Group: o.group, Version: o.version, Kind: reflect.TypeOf(obj).Elem().Name()}, obj)
	}
	return sc
}()

// codecs decode JSON, YAML and protobuf (kubectl create and auth can-i
// send protobuf); strict refuses unknown and duplicated fields.
var (
	codecs = serializer.NewCodecFactory(scheme)
	strict = sjson.NewSerializerWithOptions(sjson.DefaultMetaFactory, scheme, scheme,
		sjson.SerializerOptions{Strict: true})
)

// decode turns a body into an object of the target's kind, checked as the
// apiserver checks it: with fieldValidation=Strict (kubectl's default)
// an unknown or duplicated field is refused with the apiserver's words,
// and kubeplay's did-you-mean as a hint.
func (s *Server) decode(r *http.Request, t target, body []byte) (runtime.Object, error) {
	gvk := t.res.GroupVersionKind()
	into := t.res.New()
	if t.older != nil {
		gvk.Version, into = t.older.version, t.older.new()
	}
	var obj runtime.Object
	var err error
	if mediaType(r) == runtime.ContentTypeProtobuf {
		obj, _, err = codecs.UniversalDeserializer().Decode(body, &gvk, into)
	} else {
		if !json.Valid(body) {
			if body, err = yaml.YAMLToJSON(body); err != nil {
				return nil, apierrors.NewBadRequest("error decoding YAML: " + err.Error())
			}
		}
		dec := codecs.UniversalDeserializer()
		if v := r.URL.Query().Get("fieldValidation"); v == "Strict" {
			dec = strict
		}
		obj, _, err = dec.Decode(body, &gvk, into)
	}
	if err != nil {
		msg := fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", gvk.Kind, gvk.Version, gvk.Kind, err)
		bad := apierrors.NewBadRequest(msg)
		var me *manifest.Error
		if _, merr := manifest.Decode("request", body); errors.As(merr, &me) && !me.Hint.Empty() {
			return nil, hinted{bad, me.Hint}
		}
		return nil, bad
	}
	if got := obj.GetObjectKind().GroupVersionKind(); got.Kind != "" && got.Kind != gvk.Kind {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the kind of the object (%s) does not match the kind of the URL (%s)", got.Kind, gvk.Kind))
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	if t.res.Namespaced {
		switch m.GetNamespace() {
		case "":
			m.SetNamespace(t.namespace)
		case t.namespace:
		default:
			return nil, apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
		}
	}
	if t.older != nil {
		obj = t.older.toStored(obj, s.stored(r, t))
	}
	return obj, nil
}

// stored is the object a target names as the store holds it, nil when
// there is none (or the target names no object).
func (s *Server) stored(r *http.Request, t target) runtime.Object {
	var current runtime.Object
	if t.name == "" || s.onKernel(r, func() { current, _ = s.c.Get(t.res, t.namespace, t.name) }) != nil {
		return nil
	}
	return current
}

// patchOlder applies a patch sent to an older version to the stored
// object as that version shows it, as the apiserver patches in the
// request's version, and stores the result converted back, guarded by
// the resourceVersion it was read at.
func (s *Server) patchOlder(w http.ResponseWriter, r *http.Request, t target, pt types.PatchType, body []byte) {
	current := s.stored(r, t)
	if current == nil {
		s.writeError(w, apierrors.NewNotFound(t.res.GroupResource(), t.name))
		return
	}
	patched, err := apiserver.ApplyPatch(t.view(current), pt, body)
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.write(w, r, t, http.StatusOK, apiserver.Request{Verb: sim.VerbUpdate, Object: t.older.toStored(patched, current)})
}
