package kubectl

import (
	"fmt"
	"path"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	kresource "k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
)

func (s *Session) scaleCmd() *cobra.Command {
	replicas := -1
	cmd := &cobra.Command{
		Use:   "scale --replicas=COUNT (-f FILENAME | TYPE NAME)",
		Short: "Set a new size for a deployment, replica set, or stateful set",
		RunE: func(_ *cobra.Command, args []string) error {
			if replicas < 0 {
				return errorf("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
			}
			targets, err := namedTargets(args)
			if err != nil {
				return err
			}
			for _, t := range targets {
				err := s.update(t, func(obj runtime.Object) error {
					switch o := obj.(type) {
					case *appsv1.Deployment:
						o.Spec.Replicas = int32Ptr(replicas)
					case *appsv1.ReplicaSet:
						o.Spec.Replicas = int32Ptr(replicas)
					case *appsv1.StatefulSet:
						o.Spec.Replicas = int32Ptr(replicas)
					default:
						return fmt.Errorf("cannot scale %s: only deployments, replicasets and statefulsets scale", t.res.Name)
					}
					return nil
				})
				if err != nil {
					return err
				}
				fmt.Fprintf(s.Out, "%s scaled\n", t.res.KindName(t.name))
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&replicas, "replicas", -1, "The new desired number of replicas. Required.")
	return cmd
}

func int32Ptr(n int) *int32 {
	v := int32(n)
	return &v
}

// update reads an object, changes it with fn and writes it back; when a
// controller wrote the object in between (a status update), it reads it
// again and retries, as kubectl's scaler does on conflict. kubectl's other
// commands send patches, which never conflict; this is their equivalent.
func (s *Session) update(t target, fn func(runtime.Object) error) error {
	for try := 0; ; try++ {
		obj, err := s.get(t.res, s.Namespace, t.name)
		if err != nil {
			return err
		}
		obj = obj.DeepCopyObject()
		if err := fn(obj); err != nil {
			return err
		}
		_, err = s.call(apiserver.Request{Verb: sim.VerbUpdate, Object: obj})
		if !apierrors.IsConflict(err) || try == 4 {
			return err
		}
	}
}

func (s *Session) setCmd() *cobra.Command {
	set := &cobra.Command{Use: "set SUBCOMMAND", Short: "Set specific features on objects"}
	set.AddCommand(&cobra.Command{
		Use:   "image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N",
		Short: "Update the image of a pod template",
		RunE: func(_ *cobra.Command, args []string) error {
			var objArgs []string
			images := map[string]string{}
			var order []string
			for _, a := range args {
				if name, image, ok := strings.Cut(a, "="); ok {
					images[name] = image
					order = append(order, name)
				} else {
					objArgs = append(objArgs, a)
				}
			}
			if len(images) == 0 {
				return fmt.Errorf("at least one image update is required")
			}
			targets, err := parseTargets(objArgs)
			if err != nil {
				return err
			}
			return s.updatePodTemplates(targets, "image updated", func(spec *corev1.PodSpec) error {
				for _, name := range order {
					if !setImage(spec, name, images[name]) {
						return fmt.Errorf("unable to find container named %q", name)
					}
				}
				return nil
			})
		},
	})
	set.AddCommand(s.setResourcesCmd())
	return set
}

// setResourcesCmd is `kubectl set resources`: requests and limits of a pod
// template's containers (all of them unless -c names some), the step an
// HPA tutorial takes before `kubectl autoscale` measures cpu against a
// request.
func (s *Session) setResourcesCmd() *cobra.Command {
	var containers, limits, requests string
	c := &cobra.Command{
		Use:   "resources (-f FILENAME | TYPE NAME) ([--limits=LIMITS & --requests=REQUESTS]",
		Short: "Update resource requests/limits on objects with pod templates",
		RunE: func(_ *cobra.Command, args []string) error {
			if limits == "" && requests == "" {
				return fmt.Errorf("you must specify an update to requests or limits (in the form of --requests/--limits)")
			}
			limitList, err := parseResourceList(limits)
			if err != nil {
				return err
			}
			requestList, err := parseResourceList(requests)
			if err != nil {
				return err
			}
			targets, err := namedTargets(args)
			if err != nil {
				return err
			}
			return s.updatePodTemplates(targets, "resource requirements updated", func(spec *corev1.PodSpec) error {
				found := false
				for i := range spec.Containers {
					ctr := &spec.Containers[i]
					if !matchesContainers(containers, ctr.Name) {
						continue
					}
					found = true
					ctr.Resources.Limits = mergeResources(ctr.Resources.Limits, limitList)
					ctr.Resources.Requests = mergeResources(ctr.Resources.Requests, requestList)
				}
				if !found {
					return fmt.Errorf("unable to find container named %s", containers)
				}
				return nil
			})
		},
	}
	c.Flags().StringVarP(&containers, "containers", "c", "*", "The names of containers in the selected pod templates to change, all containers are selected by default - may use wildcards")
	c.Flags().StringVar(&limits, "limits", "", "The resource requirement limits for this container.  For example, 'cpu=100m,memory=256Mi'.")
	c.Flags().StringVar(&requests, "requests", "", "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.")
	return c
}

// updatePodTemplates is `kubectl set`'s loop: change edits each target's
// pod template (an object without one is an error), and each update is
// said as kubectl says it ("deployment.apps/web image updated").
func (s *Session) updatePodTemplates(targets []target, done string, change func(*corev1.PodSpec) error) error {
	for _, t := range targets {
		err := s.update(t, func(obj runtime.Object) error {
			spec := podSpecOf(obj)
			if spec == nil {
				return fmt.Errorf("%s has no pod template", t.res.KindName(t.name))
			}
			return change(spec)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(s.Out, "%s %s\n", t.res.KindName(t.name), done)
	}
	return nil
}

// matchesContainers reports whether -c (a name, a comma list or a glob such
// as "*") selects the container.
func matchesContainers(pattern, name string) bool {
	for _, p := range strings.Split(pattern, ",") {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// parseResourceList reads kubectl's "cpu=100m,memory=256Mi".
func parseResourceList(spec string) (corev1.ResourceList, error) {
	if spec == "" {
		return nil, nil
	}
	list := corev1.ResourceList{}
	for _, pair := range strings.Split(spec, ",") {
		name, value, ok := strings.Cut(pair, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("invalid argument syntax %s", pair)
		}
		q, err := kresource.ParseQuantity(value)
		if err != nil {
			return nil, err
		}
		list[corev1.ResourceName(name)] = q
	}
	return list, nil
}

// mergeResources sets the named resources over a container's own, keeping
// the ones not named.
func mergeResources(have, set corev1.ResourceList) corev1.ResourceList {
	if len(set) == 0 {
		return have
	}
	if have == nil {
		have = corev1.ResourceList{}
	}
	for name, q := range set {
		have[name] = q
	}
	return have
}

// setImage sets one container's image, or every container's for "*".
func setImage(spec *corev1.PodSpec, name, image string) bool {
	found := false
	for i := range spec.Containers {
		if name == "*" || spec.Containers[i].Name == name {
			spec.Containers[i].Image = image
			found = true
		}
	}
	return found
}

// podSpecOf returns the pod spec inside an object, or nil.
func podSpecOf(obj runtime.Object) *corev1.PodSpec {
	switch o := obj.(type) {
	case *corev1.Pod:
		return &o.Spec
	case *appsv1.Deployment:
		return &o.Spec.Template.Spec
	case *appsv1.ReplicaSet:
		return &o.Spec.Template.Spec
	case *appsv1.StatefulSet:
		return &o.Spec.Template.Spec
	case *appsv1.DaemonSet:
		return &o.Spec.Template.Spec
	}
	return nil
}

// namedTargets are the objects args name for a verb that needs names
// (scale, autoscale), with kubectl's error for a type without one.
func namedTargets(args []string) ([]target, error) {
	targets, err := parseTargets(args)
	if err == nil && len(targets) == 0 {
		err = fmt.Errorf("resource(s) were provided, but no name was specified")
	}
	return targets, err
}
