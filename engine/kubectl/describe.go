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
	corev1 "k8s.io/api/core/v1"
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
		for _, t := range targets {
			obj, err := s.get(t.res, s.Namespace, t.name)
			if err != nil {
				// describe matches by name prefix when there is no exact match.
				matches := s.byPrefix(t.res, t.name)
				if len(matches) == 0 {
					return err
				}
				objs = append(objs, matches...)
				continue
			}
			objs = append(objs, obj)
		}
	}
	for i, obj := range objs {
		if i > 0 {
			fmt.Fprintln(s.Out)
			fmt.Fprintln(s.Out)
		}
		if err := printers.Describe(s.Out, obj, s.describeContext(obj)); err != nil {
			return err
		}
	}
	return nil
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
