package kubectl

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/sim"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// This file holds what logs and exec share: finding the pod a command
// names (a pod, or one pod of a workload), choosing its container as
// kubectl 1.33 does, and reaching the pod's kubelet through the apiserver.

var resPods, _ = apiserver.ResourceFor("pods")

// podFor reads the pod an argument names: "NAME", "pod/NAME", or a
// workload ("deploy/web") whose first pod by kubectl's logging order is
// used, with kubectl's "Found N pods" note.
func (s *Session) podFor(arg string) (*corev1.Pod, error) {
	pod, _, n, err := s.podOf(arg)
	if err == nil && n > 1 {
		fmt.Fprintf(s.Err, "Found %d pods, using pod/%s\n", n, pod.Name)
	}
	return pod, err
}

// podOf is podFor without the note: the pod, the object named (the pod
// itself, or the workload or Service) and how many pods there were to
// choose from.
func (s *Session) podOf(arg string) (*corev1.Pod, runtime.Object, int, error) {
	if !strings.Contains(arg, "/") {
		arg = "pods/" + arg
	}
	targets, err := parseTargets([]string{arg})
	if err != nil {
		return nil, nil, 0, err
	}
	t := targets[0]
	obj, err := s.get(t.res, s.Namespace, t.name)
	if err != nil {
		return nil, nil, 0, err
	}
	if pod, ok := obj.(*corev1.Pod); ok {
		return pod, obj, 1, nil
	}
	sel, err := podSelector(obj)
	if err != nil {
		return nil, nil, 0, err
	}
	objs, err := s.list(resPods, s.Namespace)
	if err != nil {
		return nil, nil, 0, err
	}
	var pods []*corev1.Pod
	for _, o := range filter(objs, sel) {
		pods = append(pods, o.(*corev1.Pod))
	}
	if len(pods) == 0 {
		return nil, nil, 0, fmt.Errorf("timed out waiting for the condition")
	}
	sort.SliceStable(pods, func(i, j int) bool { return byLogging(pods[i], pods[j]) })
	return pods[0], obj, len(pods), nil
}

// podSelector is the label selector of the pods a workload runs.
func podSelector(obj runtime.Object) (labels.Selector, error) {
	var ls *metav1.LabelSelector
	switch o := obj.(type) {
	case *appsv1.Deployment:
		ls = o.Spec.Selector
	case *appsv1.ReplicaSet:
		ls = o.Spec.Selector
	case *appsv1.StatefulSet:
		ls = o.Spec.Selector
	case *appsv1.DaemonSet:
		ls = o.Spec.Selector
	case *batchv1.Job:
		ls = o.Spec.Selector
	case *corev1.Service:
		if len(o.Spec.Selector) == 0 {
			return nil, fmt.Errorf("invalid service '%s': Service is defined without a selector", o.Name)
		}
		return labels.SelectorFromSet(o.Spec.Selector), nil
	default:
		res, _ := apiserver.ResourceOf(obj)
		return nil, fmt.Errorf("cannot select pods of a %s", res.Kind)
	}
	return metav1.LabelSelectorAsSelector(ls)
}

// byLogging is kubectl's podutils.ByLogging: the pod most worth reading
// first — scheduled, running, ready longest, most restarts, oldest.
func byLogging(a, b *corev1.Pod) bool {
	if (a.Spec.NodeName == "") != (b.Spec.NodeName == "") {
		return a.Spec.NodeName != ""
	}
	rank := map[corev1.PodPhase]int{corev1.PodRunning: 0, corev1.PodUnknown: 1, corev1.PodPending: 2}
	if rank[a.Status.Phase] != rank[b.Status.Phase] {
		return rank[a.Status.Phase] < rank[b.Status.Phase]
	}
	ra, rb := podReady(a), podReady(b)
	if ra != nil && rb != nil && !ra.LastTransitionTime.Equal(&rb.LastTransitionTime) {
		return ra.LastTransitionTime.Before(&rb.LastTransitionTime)
	}
	if (ra != nil) != (rb != nil) {
		return ra != nil
	}
	if ma, mb := maxRestarts(a), maxRestarts(b); ma != mb {
		return ma > mb
	}
	return a.CreationTimestamp.Before(&b.CreationTimestamp)
}

// podReady is the pod's Ready condition when it is true, else nil.
func podReady(p *corev1.Pod) *corev1.PodCondition {
	for i, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

func maxRestarts(p *corev1.Pod) int32 {
	var m int32
	for _, cs := range p.Status.ContainerStatuses {
		m = max(m, cs.RestartCount)
	}
	return m
}

// containerFor picks the container a command addresses: the one named,
// else the pod's default-container annotation, else the first, saying so
// on stderr when there was a choice (kubectl's podcmd).
func (s *Session) containerFor(pod *corev1.Pod, name string, quiet bool) (string, error) {
	if name == "" {
		if def := pod.Annotations["kubectl.kubernetes.io/default-container"]; def != "" {
			if hasContainer(pod, def) {
				name = def
			} else {
				fmt.Fprintf(s.Err, "Default container name %q not found in pod %s\n", def, pod.Name)
			}
		}
	}
	if name == "" {
		name = pod.Spec.Containers[0].Name
		if !quiet && (len(pod.Spec.Containers) > 1 || len(pod.Spec.InitContainers) > 0) {
			fmt.Fprintf(s.Err, "Defaulted container %q out of: %s\n", name, allContainerNames(pod))
		}
	}
	if !hasContainer(pod, name) {
		return "", fmt.Errorf("container %s is not valid for pod %s", name, pod.Name)
	}
	return name, nil
}

func hasContainer(pod *corev1.Pod, name string) bool {
	for _, c := range pod.Spec.Containers {
		if c.Name == name {
			return true
		}
	}
	return false
}

func allContainerNames(pod *corev1.Pod) string {
	var names []string
	for _, c := range pod.Spec.Containers {
		names = append(names, c.Name)
	}
	for _, c := range pod.Spec.InitContainers {
		names = append(names, c.Name+" (init)")
	}
	return strings.Join(names, ", ")
}

// containerStatus is the pod's status of the named container.
func containerStatus(pod *corev1.Pod, name string) (corev1.ContainerStatus, bool) {
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.Name == name {
			return cs, true
		}
	}
	return corev1.ContainerStatus{}, false
}

// viaKubelet reaches the pod's kubelet as the apiserver's proxy does for
// pods/log and pods/exec: two hops, then fn runs on the kubelet.
func (s *Session) viaKubelet(pod *corev1.Pod, sub sim.Verb, fn func(kl backend.Kubelet)) error {
	kl, ok := s.C.Kubelet(pod.Spec.NodeName)
	if !ok {
		return apierrors.NewBadRequest(fmt.Sprintf("pod %s does not have a host assigned", pod.Name))
	}
	done := false
	kl.Proxied(Name, pod.Name, sub, func() {
		fn(kl)
		done = true
	})
	s.runUntil(time.Minute, func() bool { return done })
	if !done {
		return fmt.Errorf("the kubelet did not answer")
	}
	return nil
}
