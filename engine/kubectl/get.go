package kubectl

import (
	"fmt"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/kubectl/printers"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// allCategory is what `kubectl get all` lists, in kubectl's order.
var allCategory = []string{"pods", "services", "daemonsets", "deployments", "replicasets", "statefulsets", "cronjobs", "jobs"}

type getOptions struct {
	output        string
	selector      string
	allNamespaces bool
	showLabels    bool
	noHeaders     bool
	watch         bool
}

func (s *Session) getCmd() *cobra.Command {
	var o getOptions
	cmd := &cobra.Command{
		Use:   "get [(-o|--output=)json|yaml|name|wide|jsonpath=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...)",
		Short: "Display one or many resources",
		RunE:  func(_ *cobra.Command, args []string) error { return s.runGet(args, o) },
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "Output format: json, yaml, name, wide, jsonpath=..., custom-columns=...")
	f.StringVarP(&o.selector, "selector", "l", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'")
	f.BoolVarP(&o.allNamespaces, "all-namespaces", "A", false, "List the requested object(s) across all namespaces")
	f.BoolVar(&o.showLabels, "show-labels", false, "When printing, show all labels as the last column")
	f.BoolVar(&o.noHeaders, "no-headers", false, "When using the default or custom-column output format, don't print headers")
	f.BoolVarP(&o.watch, "watch", "w", false, "After listing/getting the requested object, watch for changes")
	return cmd
}

// group is the objects of one resource type a get prints together.
type group struct {
	res  *apiserver.Resource
	objs []runtime.Object
}

func (s *Session) runGet(args []string, o getOptions) error {
	if len(args) == 0 {
		return errorf("you must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.")
	}
	sel, err := labels.Parse(o.selector)
	if err != nil {
		return fmt.Errorf("unable to parse requirement: %v", err)
	}
	if o.output != "" && o.output != "wide" {
		if _, _, ok := strings.Cut(o.output, "="); !ok {
			switch o.output {
			case "yaml", "json", "name":
			default:
				return fmt.Errorf("unable to match a printer suitable for the output format %q, allowed formats are: custom-columns,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml", o.output)
			}
		}
	}
	ns := s.Namespace
	if o.allNamespaces {
		ns = ""
	}
	groups, named, err := s.fetch(args, ns, sel)
	if err != nil && len(groups) == 0 {
		return err
	}
	printErr := err
	withKind := len(groups) > 1 || args[0] == "all" || strings.Contains(args[0], ",")
	total := 0
	for _, g := range groups {
		total += len(g.objs)
	}
	if total == 0 && printErr == nil {
		if o.output == "" || o.output == "wide" {
			s.noResources(ns)
			return nil
		}
	}
	switch {
	case o.output != "" && o.output != "wide":
		var all []runtime.Object
		for _, g := range groups {
			all = append(all, g.objs...)
		}
		if named {
			err = printers.PrintObjects(s.Out, all, o.output)
		} else {
			err = printers.PrintList(s.Out, all, o.output)
		}
		if err != nil {
			return err
		}
	default:
		first := true
		for _, g := range groups {
			if len(g.objs) == 0 {
				continue
			}
			if !first {
				fmt.Fprintln(s.Out)
			}
			first = false
			if err := printers.PrintTable(s.Out, g.objs, printers.Options{
				Now: s.C.K.Now(), Wide: o.output == "wide", WithKind: withKind, ShowLabels: o.showLabels,
				AllNamespaces: o.allNamespaces, NoHeaders: o.noHeaders,
			}); err != nil {
				return err
			}
		}
	}
	if printErr != nil {
		s.printError(printErr)
		return exitError{1}
	}
	if o.watch {
		return s.watch(groups, ns, sel, o)
	}
	return nil
}

func (s *Session) noResources(ns string) {
	if ns == "" {
		fmt.Fprintln(s.Err, "No resources found")
		return
	}
	fmt.Fprintf(s.Err, "No resources found in %s namespace.\n", ns)
}

// fetch reads what a get names: lists of types, or named objects. It
// returns what it found even when some names were not found, with the
// first error.
func (s *Session) fetch(args []string, ns string, sel labels.Selector) ([]group, bool, error) {
	if len(args) == 1 && !strings.Contains(args[0], "/") {
		var types []string
		for _, t := range strings.Split(args[0], ",") {
			if t == "all" {
				types = append(types, allCategory...)
			} else {
				types = append(types, t)
			}
		}
		var groups []group
		for _, t := range types {
			res, err := resource(t)
			if err != nil {
				return nil, false, err
			}
			objs, err := s.list(res, ns)
			if err != nil {
				return nil, false, err
			}
			groups = append(groups, group{res, filter(objs, sel)})
		}
		return groups, false, nil
	}
	targets, err := parseTargets(args)
	if err != nil {
		return nil, true, err
	}
	var groups []group
	var firstErr error
	for _, t := range targets {
		obj, err := s.get(t.res, ns, t.name)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if n := len(groups); n > 0 && groups[n-1].res == t.res {
			groups[n-1].objs = append(groups[n-1].objs, obj)
		} else {
			groups = append(groups, group{t.res, []runtime.Object{obj}})
		}
	}
	return groups, true, firstErr
}

func filter(objs []runtime.Object, sel labels.Selector) []runtime.Object {
	if sel.Empty() {
		return objs
	}
	var out []runtime.Object
	for _, o := range objs {
		m, _ := meta.Accessor(o)
		if sel.Matches(labels.Set(m.GetLabels())) {
			out = append(out, o)
		}
	}
	return out
}
