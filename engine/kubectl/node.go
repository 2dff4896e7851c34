package kubectl

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// nodeCommands are cordon, uncordon, drain and taint.
func (s *Session) nodeCommands() []*cobra.Command {
	cordon := func(use, short, done string, unschedulable bool) *cobra.Command {
		return &cobra.Command{
			Use: use + " NODE", Short: short, Args: cobra.ExactArgs(1),
			RunE: func(_ *cobra.Command, args []string) error {
				return s.setUnschedulable(args[0], unschedulable, done)
			},
		}
	}
	var force, ignoreDaemonSets bool
	var grace int
	drain := &cobra.Command{
		Use: "drain NODE", Short: "Drain node in preparation for maintenance", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := s.setUnschedulable(args[0], true, "cordoned"); err != nil {
				return err
			}
			return s.evictAll(args[0], grace)
		},
	}
	drain.Flags().BoolVar(&force, "force", false, "Continue even if there are pods not managed by a controller.")
	drain.Flags().BoolVar(&ignoreDaemonSets, "ignore-daemonsets", false, "Ignore DaemonSet-managed pods.")
	drain.Flags().IntVar(&grace, "grace-period", -1, "Period of time in seconds given to each pod to terminate gracefully.")
	taint := &cobra.Command{
		Use:   "taint NODE KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N",
		Short: "Update the taints on one or more nodes",
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 && (args[0] == "node" || args[0] == "nodes" || args[0] == "no") {
				args = args[1:]
			}
			if len(args) < 2 {
				return errorf("at least one taint update is required")
			}
			return s.taint(args[0], args[1:])
		},
	}
	return []*cobra.Command{
		cordon("cordon", "Mark node as unschedulable", "cordoned", true),
		cordon("uncordon", "Mark node as schedulable", "uncordoned", false),
		drain, taint,
	}
}

func (s *Session) updateNode(name string, fn func(n *corev1.Node) bool) (bool, error) {
	changed := false
	err := s.update(target{resNodes, name}, func(obj runtime.Object) error {
		changed = fn(obj.(*corev1.Node))
		return nil
	})
	return changed, err
}

func (s *Session) setUnschedulable(name string, on bool, done string) error {
	changed, err := s.updateNode(name, func(n *corev1.Node) bool {
		was := n.Spec.Unschedulable
		n.Spec.Unschedulable = on
		return was != on
	})
	if err != nil {
		return err
	}
	if !changed {
		done = "already " + done
	}
	fmt.Fprintf(s.Out, "node/%s %s\n", name, done)
	return nil
}

// evictAll deletes every pod on the node, as drain's evictions do, and
// waits for them to be gone.
func (s *Session) evictAll(node string, grace int) error {
	var g *int64
	if grace >= 0 {
		v := int64(grace)
		g = &v
	}
	pods, _ := apiserver.ResourceFor("pods")
	for _, obj := range s.C.ByIndex(pods, "node", node) {
		p := obj.(*corev1.Pod)
		if p.DeletionTimestamp != nil {
			continue
		}
		fmt.Fprintf(s.Out, "evicting pod %s/%s\n", p.Namespace, p.Name)
		if _, err := s.call(apiserver.Request{Verb: sim.VerbDelete, Resource: pods, Namespace: p.Namespace, Name: p.Name, Grace: g}); err != nil {
			return err
		}
		ns, name := p.Namespace, p.Name
		s.runUntil(gracePeriodLimit(p, g), func() bool {
			_, err := s.C.Get(pods, ns, name)
			return err != nil
		})
		fmt.Fprintf(s.Out, "pod/%s evicted\n", name)
	}
	fmt.Fprintf(s.Out, "node/%s drained\n", node)
	return nil
}

// gracePeriodLimit is how long drain waits for a pod: its grace period and
// a minute more.
func gracePeriodLimit(p *corev1.Pod, grace *int64) time.Duration {
	g := int64(corev1.DefaultTerminationGracePeriodSeconds)
	if p.Spec.TerminationGracePeriodSeconds != nil {
		g = *p.Spec.TerminationGracePeriodSeconds
	}
	if grace != nil {
		g = *grace
	}
	return time.Duration(g)*time.Second + time.Minute
}

// taint adds KEY[=VALUE]:EFFECT taints and removes KEY[:EFFECT]- ones.
func (s *Session) taint(node string, specs []string) error {
	var add []corev1.Taint
	var remove []corev1.Taint
	for _, spec := range specs {
		removing := strings.HasSuffix(spec, "-")
		spec = strings.TrimSuffix(spec, "-")
		kv, effect, hasEffect := strings.Cut(spec, ":")
		key, value, _ := strings.Cut(kv, "=")
		t := corev1.Taint{Key: key, Value: value, Effect: corev1.TaintEffect(effect)}
		switch {
		case key == "":
			return errorf("invalid taint spec: %s", spec)
		case !removing && !hasEffect:
			return errorf("invalid taint spec: %s, unknown taint effect", spec)
		case hasEffect && t.Effect != corev1.TaintEffectNoSchedule && t.Effect != corev1.TaintEffectPreferNoSchedule && t.Effect != corev1.TaintEffectNoExecute:
			return errorf("invalid taint effect: %s, unsupported taint effect", effect)
		}
		if removing {
			remove = append(remove, t)
		} else {
			add = append(add, t)
		}
	}
	var missing string
	_, err := s.updateNode(node, func(n *corev1.Node) bool {
		for _, r := range remove {
			kept := n.Spec.Taints[:0:0]
			found := false
			for _, t := range n.Spec.Taints {
				if t.Key == r.Key && (r.Effect == "" || t.Effect == r.Effect) {
					found = true
					continue
				}
				kept = append(kept, t)
			}
			if !found && missing == "" {
				missing = r.Key
			}
			n.Spec.Taints = kept
		}
		for _, a := range add {
			replaced := false
			for i, t := range n.Spec.Taints {
				if t.Key == a.Key && t.Effect == a.Effect {
					n.Spec.Taints[i], replaced = a, true
				}
			}
			if !replaced {
				n.Spec.Taints = append(n.Spec.Taints, a)
			}
		}
		return true
	})
	if err != nil {
		return err
	}
	if missing != "" {
		return errorf("taint %q not found", missing)
	}
	if len(add) == 0 {
		fmt.Fprintf(s.Out, "node/%s untainted\n", node)
	} else {
		fmt.Fprintf(s.Out, "node/%s tainted\n", node)
	}
	return nil
}
