package kubectl

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// metaKind is what label and annotate change: one map of an object's
// metadata, and how kubectl words the change.
type metaKind struct {
	verb, noun string // "label", "label"; "annotate", "annotation"
	get        func(metav1Object) map[string]string
	set        func(metav1Object, map[string]string)
	// conflicts is kubectl's validateNoOverwrites for this map.
	conflicts func(cur, want map[string]string) error
	// message words the result from the object before and after, as
	// kubectl's label and annotate do.
	message func(before, after []byte, overwrite bool) string
}

type metav1Object = interface {
	GetLabels() map[string]string
	SetLabels(map[string]string)
	GetAnnotations() map[string]string
	SetAnnotations(map[string]string)
}

var labelKind = metaKind{
	verb: "label", noun: "label",
	get: func(m metav1Object) map[string]string { return m.GetLabels() },
	set: func(m metav1Object, v map[string]string) { m.SetLabels(v) },
	conflicts: func(cur, want map[string]string) error {
		var msgs []string
		for _, k := range sortedKeys(want) {
			if v, ok := cur[k]; ok && v != want[k] {
				msgs = append(msgs, fmt.Sprintf("'%s' already has a value (%s), and --overwrite is false", k, v))
			}
		}
		return aggregate(msgs)
	},
	message: func(before, after []byte, overwrite bool) string {
		switch {
		case string(before) == string(after):
			return "not labeled"
		case !overwrite && len(after) < len(before):
			return "unlabeled"
		}
		return "labeled"
	},
}

var annotateKind = metaKind{
	verb: "annotate", noun: "annotation",
	get: func(m metav1Object) map[string]string { return m.GetAnnotations() },
	set: func(m metav1Object, v map[string]string) { m.SetAnnotations(v) },
	conflicts: func(cur, want map[string]string) error {
		var msgs []string
		for _, k := range sortedKeys(want) {
			if v, ok := cur[k]; ok && v != want[k] && k != "kubernetes.io/change-cause" {
				msgs = append(msgs, fmt.Sprintf("'%s' already has a value (%s)", k, v))
			}
		}
		if len(msgs) == 0 {
			return nil
		}
		return fmt.Errorf("--overwrite is false but found the following declared annotation(s): %s", strings.Join(msgs, "; "))
	},
	message: func([]byte, []byte, bool) string { return "annotated" },
}

// aggregate words several errors as apimachinery's NewAggregate does.
func aggregate(msgs []string) error {
	switch len(msgs) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("%s", msgs[0])
	}
	return fmt.Errorf("[%s]", strings.Join(msgs, ", "))
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

type metaOptions struct {
	overwrite bool
	all       bool
	selector  string
}

func (s *Session) labelCmd() *cobra.Command {
	return s.metaCmd(labelKind, "label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]", "Update the labels on a resource")
}

func (s *Session) annotateCmd() *cobra.Command {
	return s.metaCmd(annotateKind, "annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]", "Update the annotations on a resource")
}

func (s *Session) metaCmd(k metaKind, use, short string) *cobra.Command {
	var o metaOptions
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		RunE: func(c *cobra.Command, args []string) error {
			return s.runMeta(c, k, args, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.overwrite, "overwrite", false, "If true, allow "+k.noun+"s to be overwritten, otherwise reject "+k.noun+" updates that overwrite existing "+k.noun+"s.")
	f.BoolVar(&o.all, "all", false, "Select all resources, in the namespace of the specified resource types")
	f.StringVarP(&o.selector, "selector", "l", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.")
	return cmd
}

func (s *Session) runMeta(c *cobra.Command, k metaKind, args []string, o metaOptions) error {
	var objArgs []string
	add := map[string]string{}
	var remove []string
	for _, a := range args {
		switch {
		case strings.Contains(a, "="):
			key, val, _ := strings.Cut(a, "=")
			add[key] = val
		case strings.HasSuffix(a, "-"):
			remove = append(remove, strings.TrimSuffix(a, "-"))
		default:
			objArgs = append(objArgs, a)
		}
	}
	if len(objArgs) == 0 {
		return fmt.Errorf("one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee '%s -h' for help and examples", c.CommandPath())
	}
	if len(add) == 0 && len(remove) == 0 {
		return fmt.Errorf("at least one %s update is required\nSee '%s -h' for help and examples", k.noun, c.CommandPath())
	}
	for _, key := range remove {
		if _, ok := add[key]; ok {
			return fmt.Errorf("can not both modify and remove the following %s(s) in the same command: %s", k.noun, key)
		}
	}
	targets, err := s.metaTargets(objArgs, o)
	if err != nil {
		return err
	}
	for _, t := range targets {
		var msg string
		err := s.update(t, func(obj runtime.Object) error {
			m, err := meta.Accessor(obj)
			if err != nil {
				return err
			}
			before, _ := json.Marshal(obj)
			cur := k.get(m)
			if !o.overwrite {
				if err := k.conflicts(cur, add); err != nil {
					return err
				}
			}
			next := map[string]string{}
			for key, v := range cur {
				next[key] = v
			}
			for key, v := range add {
				next[key] = v
			}
			for _, key := range remove {
				if _, ok := next[key]; !ok && k.verb == "label" {
					fmt.Fprintf(s.Out, "label %q not found.\n", key)
				}
				delete(next, key)
			}
			k.set(m, next)
			after, _ := json.Marshal(obj)
			msg = k.message(before, after, o.overwrite)
			return nil
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(s.Out, "%s %s\n", t.res.KindName(t.name), msg)
	}
	return nil
}

// metaTargets reads the objects label and annotate change: named ones, or
// every one of a type with --all or -l.
func (s *Session) metaTargets(args []string, o metaOptions) ([]target, error) {
	if !o.all && o.selector == "" {
		if len(args) == 1 && !strings.Contains(args[0], "/") {
			return nil, fmt.Errorf("resource(s) were provided, but no name was specified")
		}
		return parseTargets(args)
	}
	if len(args) != 1 || strings.Contains(args[0], "/") {
		return nil, fmt.Errorf("name cannot be provided when a selector is specified")
	}
	sel, err := labels.Parse(o.selector)
	if err != nil {
		return nil, err
	}
	res, err := resource(args[0])
	if err != nil {
		return nil, err
	}
	objs, err := s.list(res, s.Namespace)
	if err != nil {
		return nil, err
	}
	var out []target
	for _, obj := range filter(objs, sel) {
		out = append(out, target{res, nameOf(obj)})
	}
	return out, nil
}
