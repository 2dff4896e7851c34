package kubectl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/printers"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// allCategory is what `kubectl get all` lists, in kubectl's order.
var allCategory = []string{"pods", "services", "daemonsets", "deployments", "replicasets", "statefulsets", "horizontalpodautoscalers", "cronjobs", "jobs"}

type getOptions struct {
	output        string
	selector      string
	fieldSelector string
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
	f.StringVar(&o.fieldSelector, "field-selector", "", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.")
	f.BoolVarP(&o.allNamespaces, "all-namespaces", "A", false, "List the requested object(s) across all namespaces")
	f.BoolVar(&o.showLabels, "show-labels", false, "When printing, show all labels as the last column")
	f.BoolVar(&o.noHeaders, "no-headers", false, "When using the default or custom-column output format, don't print headers")
	f.BoolVarP(&o.watch, "watch", "w", false, "After listing/getting the requested object, watch for changes")
	return cmd
}

// group is the objects of one resource type a get prints together, and
// the field selector that picked them, which a watch goes on applying.
type group struct {
	res    *apiserver.Resource
	objs   []runtime.Object
	fields fields.Selector
	// view turns the stored objects into the older version the command
	// named (hpa.v1.autoscaling) for -o yaml, json, name and jsonpath;
	// nil for the stored one.
	view func(runtime.Object) runtime.Object
}

// printed is the group's objects as -o prints them: in the version named.
func (g group) printed() []runtime.Object {
	if g.view == nil {
		return g.objs
	}
	out := make([]runtime.Object, len(g.objs))
	for i, o := range g.objs {
		out[i] = g.view(o)
	}
	return out
}

func (s *Session) runGet(args []string, o getOptions) error {
	if len(args) == 0 {
		return errorf("you must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.")
	}
	ls, err := labels.Parse(o.selector)
	if err != nil {
		return fmt.Errorf("unable to parse requirement: %v", err)
	}
	sel := selection{labels: ls, rawLabels: o.selector, rawFields: o.fieldSelector}
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
	// kubectl prints kinds when what it read holds more than one
	// (multipleGVKsRequested): each type listed counts, empty or not, and
	// a type whose list failed does not.
	total := 0
	kinds := map[*apiserver.Resource]bool{}
	for _, g := range groups {
		total += len(g.objs)
		kinds[g.res] = true
	}
	withKind := len(kinds) > 1
	if total == 0 && printErr == nil {
		if o.output == "" || o.output == "wide" {
			s.noResources(ns)
			if o.watch {
				// kubectl says so and watches on for what comes.
				return s.watch(groups, ns, sel.labels, o, true)
			}
			return nil
		}
	}
	switch {
	case o.output != "" && o.output != "wide":
		var all []runtime.Object
		for _, g := range groups {
			all = append(all, g.printed()...)
		}
		if named {
			err = printers.PrintObjects(s.Out, all, o.output, o.noHeaders)
		} else {
			err = printers.PrintList(s.Out, all, o.output, o.noHeaders)
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
				Now: s.C.Now(), Wide: o.output == "wide", WithKind: withKind, ShowLabels: o.showLabels,
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
		return s.watch(groups, ns, sel.labels, o, false)
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
// returns what it found even when some names were not found, with every
// error joined, as kubectl reads on past each failure (ContinueOnError)
// and prints them all at the end.
func (s *Session) fetch(args []string, ns string, sel selection) ([]group, bool, error) {
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
		var errs []error // types the field selector cannot select
		for _, t := range types {
			res, view, err := resourceVersion(t)
			if err != nil {
				return nil, false, err
			}
			fields, err := sel.fieldsFor(res)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			objs, err := s.list(res, ns)
			if err != nil {
				return nil, false, err
			}
			groups = append(groups, group{res, pick(objs, sel.labels, fields), fields, view})
		}
		return groups, false, errors.Join(errs...)
	}
	targets, err := parseTargets(args)
	if err != nil {
		return nil, true, err
	}
	if sel.rawLabels != "" || sel.rawFields != "" {
		return nil, true, errorf("name cannot be provided when a selector is specified")
	}
	var groups []group
	var errs []error
	for i, t := range targets {
		obj, err := s.get(t.res, ns, t.name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		// The type as typed, for its version: TYPE NAME… or TYPE/NAME….
		typ, _, slashed := strings.Cut(args[i], "/")
		if !slashed {
			typ = args[0]
		}
		_, view, _ := resourceVersion(typ)
		if n := len(groups); n > 0 && groups[n-1].res == t.res && (groups[n-1].view == nil) == (view == nil) {
			groups[n-1].objs = append(groups[n-1].objs, obj)
		} else {
			groups = append(groups, group{t.res, []runtime.Object{obj}, fields.Everything(), view})
		}
	}
	return groups, true, errors.Join(errs...)
}

// selection is what a get's -l and --field-selector pick, with the
// strings as typed, which kubectl repeats in its errors.
type selection struct {
	labels               labels.Selector
	rawLabels, rawFields string
}

// fieldsFor parses the field selector for res, whose kind decides which
// fields it may name. The error is the apiserver's BadRequest as kubectl
// words it (cli-runtime's resource.Selector).
func (sel selection) fieldsFor(res *apiserver.Resource) (fields.Selector, error) {
	fs, err := apiserver.ParseFieldSelector(sel.rawFields, res.New())
	var se *apierrors.StatusError
	if errors.As(err, &se) {
		gvr := schema.GroupVersionResource{Group: res.Group, Version: res.Version, Resource: res.Name}
		se.ErrStatus.Message = fmt.Sprintf("Unable to find %q that match label selector %q, field selector %q: %v",
			gvr.String(), sel.rawLabels, sel.rawFields, se.ErrStatus.Message)
	}
	return fs, err
}

// matches reports whether obj passes both selectors.
func matches(obj runtime.Object, ls labels.Selector, fs fields.Selector) bool {
	m, _ := meta.Accessor(obj)
	return ls.Matches(labels.Set(m.GetLabels())) && (fs.Empty() || fs.Matches(apiserver.SelectableFields(obj)))
}

// filter keeps the objects whose labels ls selects.
func filter(objs []runtime.Object, ls labels.Selector) []runtime.Object {
	return pick(objs, ls, fields.Everything())
}

// pick keeps the objects both selectors select.
func pick(objs []runtime.Object, ls labels.Selector, fs fields.Selector) []runtime.Object {
	if ls.Empty() && fs.Empty() {
		return objs
	}
	var out []runtime.Object
	for _, o := range objs {
		if matches(o, ls, fs) {
			out = append(out, o)
		}
	}
	return out
}
