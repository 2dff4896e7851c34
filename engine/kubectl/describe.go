package kubectl

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/controller"
	"github.com/kubeplay/kubeplay/engine/printers"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

func (s *Session) describeCmd() *cobra.Command {
	var selector string
	cmd := &cobra.Command{
		Use:   "describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)",
		Short: "Show details of a specific resource or group of resources",
		RunE: func(_ *cobra.Command, args []string) error {
			return s.runDescribe(args, selector)
		},
	}
	cmd.Flags().StringVarP(&selector, "selector", "l", "", "Selector (label query) to filter on")
	return cmd
}

func (s *Session) runDescribe(args []string, selector string) error {
	if len(args) == 0 {
		return errorf("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.")
	}
	sel, err := labels.Parse(selector)
	if err != nil {
		return err
	}
	var objs []runtime.Object
	if len(args) == 1 && !strings.Contains(args[0], "/") {
		res, err := resource(args[0])
		if err != nil {
			return err
		}
		all, err := s.list(res, s.Namespace)
		if err != nil {
			return err
		}
		objs = filter(all, sel)
		if len(objs) == 0 {
			s.noResources(s.Namespace)
			return nil
		}
	} else {
		targets, err := parseTargets(args)
		if err != nil {
			return err
		}
		if strings.TrimSpace(selector) != "" {
			return errorf("name cannot be provided when a selector is specified")
		}
		var errs []error
		for _, t := range targets {
			obj, err := s.get(t.res, s.Namespace, t.name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			objs = append(objs, obj)
		}
		if len(errs) > 0 && len(args) == 2 && apierrors.IsNotFound(errs[0]) {
			return s.describeMatching(errs[0], args)
		}
		if err := s.describeAll(objs); err != nil || len(errs) == 0 {
			return err
		}
		// kubectl prints what it found, then every error.
		for _, e := range errs[:len(errs)-1] {
			s.printError(e)
		}
		return errs[len(errs)-1]
	}
	return s.describeAll(objs)
}

// describeMatching is kubectl's DescribeMatchingResources, for TYPE NAME
// when no object has that name: every object whose name starts with it,
// each followed by a blank line (not kubectl's usual separator). With
// TYPE/NAME TYPE/NAME no name can match as a prefix, so nothing prints
// but the error.
func (s *Session) describeMatching(notFound error, args []string) error {
	if strings.Contains(args[0], "/") {
		return notFound
	}
	res, err := resource(args[0])
	if err != nil {
		return err
	}
	matches := s.byPrefix(res, args[1])
	if len(matches) == 0 {
		return notFound
	}
	for _, obj := range matches {
		if err := s.describeOne(obj); err != nil {
			return err
		}
		fmt.Fprintln(s.Out)
	}
	return nil
}

// describeAll prints each object's description, a blank line between two.
func (s *Session) describeAll(objs []runtime.Object) error {
	for i, obj := range objs {
		if i > 0 {
			fmt.Fprintln(s.Out)
			fmt.Fprintln(s.Out)
		}
		if err := s.describeOne(obj); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) describeOne(obj runtime.Object) error {
	if err := printers.Describe(s.Out, obj, s.describeContext(obj)); err != nil {
		return err
	}
	// kubeplay's word after kubectl's, for what a learner often misses.
	switch o := obj.(type) {
	case *networkingv1.Ingress:
		s.noteUnknownClass(o)
	case *autoscalingv2.HorizontalPodAutoscaler:
		s.hpaHint(o)
	}
	return nil
}

// noteUnknownClass tells, beside kubectl's output, that an Ingress whose
// class no IngressClass has is served by no controller: controllers leave
// the classes they do not own alone, silently, so nothing else says so.
func (s *Session) noteUnknownClass(ing *networkingv1.Ingress) {
	class := ""
	if ing.Spec.IngressClassName != nil {
		class = *ing.Spec.IngressClassName
	}
	if v, ok := ing.Annotations["kubernetes.io/ingress.class"]; ok {
		class = v
	}
	classes, _ := apiserver.ResourceFor("ingressclasses")
	switch {
	case class == "":
		fmt.Fprintln(s.Err, s.Lang.Pick("kubeplay: this Ingress names no IngressClass and the cluster has no default one, so no ingress controller serves it",
			"kubeplay: 이 인그레스는 인그레스클래스를 지정하지 않았고 클러스터에 기본 클래스도 없어서, 어떤 인그레스 컨트롤러도 처리하지 않아요"))
	default:
		if _, err := s.C.Get(classes, "", class); err == nil {
			return
		}
		fmt.Fprintf(s.Err, s.Lang.Pick("kubeplay: no IngressClass %q exists, so no ingress controller serves this Ingress and it gets no address (kubectl get ingressclass)\n",
			"kubeplay: 인그레스클래스 %q가 없어서 이 인그레스를 처리하는 인그레스 컨트롤러가 없고, 주소도 받지 못해요 (kubectl get ingressclass)\n"), class)
	}
}

func (s *Session) byPrefix(res *apiserver.Resource, prefix string) []runtime.Object {
	var out []runtime.Object
	for _, o := range s.C.List(res, s.Namespace) {
		m, _ := meta.Accessor(o)
		if len(m.GetName()) >= len(prefix) && m.GetName()[:len(prefix)] == prefix {
			out = append(out, o)
		}
	}
	return out
}

// describeContext gathers what kubectl describe fetches besides the
// object: its events, and its pods and ReplicaSets.
func (s *Session) describeContext(obj runtime.Object) printers.DescribeContext {
	m, _ := meta.Accessor(obj)
	ctx := printers.DescribeContext{Now: s.C.Now()}
	ns := m.GetNamespace()
	if ns == "" {
		ns = metav1.NamespaceDefault
	}
	ctx.Events = s.C.EventsFor(ns, string(m.GetUID()))
	pods, _ := apiserver.ResourceFor("pods")
	rss, _ := apiserver.ResourceFor("replicasets")
	switch o := obj.(type) {
	case *appsv1.ReplicaSet, *appsv1.DaemonSet, *appsv1.StatefulSet:
		for _, p := range s.C.ByIndex(pods, controller.IndexOwner, string(m.GetUID())) {
			ctx.Pods = append(ctx.Pods, *p.(*corev1.Pod))
		}
	case *appsv1.Deployment:
		for _, r := range s.C.ByIndex(rss, controller.IndexOwner, string(o.UID)) {
			ctx.ReplicaSets = append(ctx.ReplicaSets, *r.(*appsv1.ReplicaSet))
		}
	case *corev1.Service:
		eps, _ := apiserver.ResourceFor("endpoints")
		if ep, err := s.C.Get(eps, o.Namespace, o.Name); err == nil {
			//lint:ignore SA1019 kubectl describe service still reads v1 Endpoints here
			ctx.Endpoints = ep.(*corev1.Endpoints)
		}
	case *networkingv1.Ingress:
		ctx.Backends = s.ingressBackends(o)
	case *corev1.PersistentVolumeClaim:
		for _, p := range s.C.List(pods, o.Namespace) {
			if slices.Contains(controller.ClaimNames(p.(*corev1.Pod)), o.Name) {
				ctx.Pods = append(ctx.Pods, *p.(*corev1.Pod))
			}
		}
	case *corev1.Node:
		for _, p := range s.C.ByIndex(pods, "node", o.Name) {
			pod := p.(*corev1.Pod)
			if pod.Status.Phase != corev1.PodSucceeded && pod.Status.Phase != corev1.PodFailed {
				ctx.Pods = append(ctx.Pods, *pod)
			}
		}
		sort.Slice(ctx.Pods, func(i, j int) bool {
			a, b := ctx.Pods[i], ctx.Pods[j]
			if a.Namespace != b.Namespace {
				return a.Namespace < b.Namespace
			}
			return a.Name < b.Name
		})
	}
	return ctx
}

// ingressBackends reads the Services an Ingress's backends name, and
// their Endpoints, as describe ingress fetches them.
func (s *Session) ingressBackends(ing *networkingv1.Ingress) map[string]printers.ServiceBackend {
	svcs, _ := apiserver.ResourceFor("services")
	eps, _ := apiserver.ResourceFor("endpoints")
	out := map[string]printers.ServiceBackend{}
	add := func(b *networkingv1.IngressBackend) {
		if b == nil || b.Service == nil {
			return
		}
		if _, done := out[b.Service.Name]; done {
			return
		}
		var be printers.ServiceBackend
		if obj, err := s.C.Get(svcs, ing.Namespace, b.Service.Name); err == nil {
			be.Service = obj.(*corev1.Service)
		}
		if obj, err := s.C.Get(eps, ing.Namespace, b.Service.Name); err == nil {
			//lint:ignore SA1019 kubeplay keeps a Service's endpoints as v1 Endpoints
			be.Endpoints = obj.(*corev1.Endpoints)
		}
		out[b.Service.Name] = be
	}
	add(ing.Spec.DefaultBackend)
	for _, r := range ing.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for i := range r.HTTP.Paths {
			add(&r.HTTP.Paths[i].Backend)
		}
	}
	return out
}
