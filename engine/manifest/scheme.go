package manifest

import (
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
)

// kinds lists every object kubeplay can run. It is the single source for the
// scheme, for "no matches for kind" suggestions and for Kinds(); adding a
// kind here is all it takes to accept it in manifests.
var kinds = []struct {
	gv  schema.GroupVersion
	obj runtime.Object
}{
	{corev1.SchemeGroupVersion, &corev1.Pod{}},
	{corev1.SchemeGroupVersion, &corev1.Service{}},
	{corev1.SchemeGroupVersion, &corev1.ConfigMap{}},
	{corev1.SchemeGroupVersion, &corev1.Secret{}},
	{corev1.SchemeGroupVersion, &corev1.Namespace{}},
	{corev1.SchemeGroupVersion, &corev1.Node{}},
	{corev1.SchemeGroupVersion, &corev1.PersistentVolume{}},
	{corev1.SchemeGroupVersion, &corev1.PersistentVolumeClaim{}},
	{corev1.SchemeGroupVersion, &corev1.Event{}},
	{appsv1.SchemeGroupVersion, &appsv1.Deployment{}},
	{appsv1.SchemeGroupVersion, &appsv1.ReplicaSet{}},
	{appsv1.SchemeGroupVersion, &appsv1.DaemonSet{}},
	{appsv1.SchemeGroupVersion, &appsv1.StatefulSet{}},
	{appsv1.SchemeGroupVersion, &appsv1.ControllerRevision{}},
	{batchv1.SchemeGroupVersion, &batchv1.Job{}},
	{batchv1.SchemeGroupVersion, &batchv1.CronJob{}},
	{storagev1.SchemeGroupVersion, &storagev1.StorageClass{}},
	{autoscalingv2.SchemeGroupVersion, &autoscalingv2.HorizontalPodAutoscaler{}},
	{networkingv1.SchemeGroupVersion, &networkingv1.Ingress{}},
	{networkingv1.SchemeGroupVersion, &networkingv1.IngressClass{}},
	{discoveryv1.SchemeGroupVersion, &discoveryv1.EndpointSlice{}},
}

// codec is built once and never changed afterwards, so sharing it between
// goroutines is safe. Only the kinds above are registered on purpose: a
// scheme filled by corev1.AddToScheme would accept Endpoints, Bindings and
// other kinds kubeplay cannot run.
type codec struct {
	scheme  *runtime.Scheme
	strict  *json.Serializer
	kindsGV map[string]schema.GroupVersion // kind → the only version served
}

var theCodec = newCodec()

func newCodec() *codec {
	c := &codec{scheme: runtime.NewScheme(), kindsGV: map[string]schema.GroupVersion{}}
	for _, k := range kinds {
		c.scheme.AddKnownTypes(k.gv, k.obj)
	}
	for gvk := range c.scheme.AllKnownTypes() {
		c.kindsGV[gvk.Kind] = gvk.GroupVersion()
	}
	c.strict = json.NewSerializerWithOptions(json.DefaultMetaFactory, c.scheme, c.scheme,
		json.SerializerOptions{Strict: true})
	return c
}

// Scheme returns the scheme with every kind kubeplay accepts. Callers must
// not register anything on it.
func Scheme() *runtime.Scheme { return theCodec.scheme }

// Kinds returns the accepted kinds with the version each is served in,
// sorted by kind, e.g. for `kubectl api-resources` or `explain`.
func Kinds() []schema.GroupVersionKind {
	out := make([]schema.GroupVersionKind, 0, len(theCodec.kindsGV))
	for k, gv := range theCodec.kindsGV {
		out = append(out, gv.WithKind(k))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}
