package kubectl

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/manifest"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"
)

type deleteOptions struct {
	files          []string
	all            bool
	selector       string
	fieldSelector  string
	grace          int
	force          bool
	now            bool
	wait           bool
	ignoreNotFound bool
}

func (s *Session) deleteCmd() *cobra.Command {
	var o deleteOptions
	cmd := &cobra.Command{
		Use:   "delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)])",
		Short: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
		RunE:  func(_ *cobra.Command, args []string) error { return s.runDelete(args, o) },
	}
	f := cmd.Flags()
	f.StringSliceVarP(&o.files, "filename", "f", nil, "containing the resource to delete.")
	f.BoolVar(&o.all, "all", false, "Delete all resources, in the namespace of the specified resource types.")
	f.StringVarP(&o.selector, "selector", "l", "", "Selector (label query) to filter on")
	f.StringVar(&o.fieldSelector, "field-selector", "", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.")
	f.IntVar(&o.grace, "grace-period", -1, "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative.")
	f.BoolVar(&o.force, "force", false, "If true, immediately remove resources from API and bypass graceful deletion.")
	f.BoolVar(&o.now, "now", false, "If true, resources are signaled for immediate shutdown (same as --grace-period=1).")
	f.BoolVar(&o.wait, "wait", true, "If true, wait for resources to be gone before returning.")
	f.BoolVar(&o.ignoreNotFound, "ignore-not-found", false, "Treat \"resource not found\" as a successful delete.")
	return cmd
}

func (s *Session) runDelete(args []string, o deleteOptions) error {
	var grace *int64
	if o.now {
		o.grace = 1
	}
	if o.force && o.grace < 0 {
		o.grace = 0
	}
	if o.grace >= 0 {
		g := int64(o.grace)
		grace = &g
	}
	if o.force {
		fmt.Fprintln(s.Err, "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.")
	}
	var targets []target
	if len(o.files) > 0 {
		err := s.eachDocument(o.files, func(doc manifest.Document) error {
			res, m, err := s.prepare(doc, false)
			if err != nil {
				return err
			}
			return s.deleteOne(target{res, m.GetName()}, m.GetNamespace(), grace, o)
		})
		return err
	}
	if len(args) == 0 {
		return errorf("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
	}
	if o.all || o.selector != "" || o.fieldSelector != "" {
		if len(args) != 1 || strings.Contains(args[0], "/") {
			return fmt.Errorf("name cannot be provided when a selector is specified")
		}
		ls, err := labels.Parse(o.selector)
		if err != nil {
			return err
		}
		sel := selection{labels: ls, rawLabels: o.selector, rawFields: o.fieldSelector}
		for _, typ := range strings.Split(args[0], ",") {
			res, err := resource(typ)
			if err != nil {
				return err
			}
			fs, err := sel.fieldsFor(res)
			if err != nil {
				return err
			}
			objs, err := s.list(res, s.Namespace)
			if err != nil {
				return err
			}
			for _, obj := range pick(objs, ls, fs) {
				m, _ := meta.Accessor(obj)
				targets = append(targets, target{res, m.GetName()})
			}
		}
		if len(targets) == 0 {
			// delete says it on stdout, without the namespace get names.
			fmt.Fprintln(s.Out, "No resources found")
			return nil
		}
	} else {
		if len(args) == 1 && !strings.Contains(args[0], "/") {
			return fmt.Errorf("resource(s) were provided, but no name was specified")
		}
		var err error
		if targets, err = parseTargets(args); err != nil {
			return err
		}
	}
	failed := false
	for _, t := range targets {
		if err := s.deleteOne(t, s.Namespace, grace, o); err != nil {
			s.printError(err)
			failed = true
		}
	}
	if failed {
		return exitError{1}
	}
	return nil
}

// deleteOne deletes one object and, with --wait, runs the cluster until it
// is gone, as kubectl waits.
func (s *Session) deleteOne(t target, ns string, grace *int64, o deleteOptions) error {
	if !t.res.Namespaced {
		ns = ""
	}
	_, err := s.call(apiserver.Request{Verb: sim.VerbDelete, Resource: t.res, Namespace: ns, Name: t.name, Grace: grace})
	if err != nil {
		if o.ignoreNotFound && apierrors.IsNotFound(err) {
			return nil
		}
		return err
	}
	label := strings.TrimSuffix(t.res.KindName(t.name), "/"+t.name)
	if o.force {
		fmt.Fprintf(s.Out, "%s %q force deleted\n", label, t.name)
	} else {
		fmt.Fprintf(s.Out, "%s %q deleted\n", label, t.name)
	}
	if o.wait {
		limit := 60 * time.Second
		if grace != nil {
			limit += time.Duration(*grace) * time.Second
		} else {
			limit += 30 * time.Second
		}
		s.runUntil(limit, func() bool {
			_, err := s.C.Get(t.res, ns, t.name)
			return apierrors.IsNotFound(err)
		})
	}
	return nil
}
