// Package printers turns typed Kubernetes objects into the exact text that
// kubectl prints: `get` tables, -o yaml|json|name|jsonpath|custom-columns,
// and `describe`. Everything here is a pure function of its inputs; the
// current time is always passed in, never read.
package printers

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/duration"
)

// Options are the `kubectl get` flags that change the human-readable table.
type Options struct {
	Now           time.Time // for AGE columns (inject; never call time.Now)
	Wide          bool      // -o wide
	WithKind      bool      // prefix names with "pod/", "deployment.apps/"
	ShowLabels    bool      // --show-labels
	AllNamespaces bool      // -A: adds the NAMESPACE column
	NoHeaders     bool      // --no-headers
}

// column is one column of a kubectl table. Wide columns (priority 1 in
// kubectl's column definitions) only show with -o wide.
type column struct {
	name string
	wide bool
}

// tableSpec describes how one kind is printed: its columns and a function
// giving every cell (wide ones included) of one object's row.
type tableSpec struct {
	columns []column
	// nameColumn is the index of the NAME column that --show-kind
	// prefixes, or -1 when the kind has none (events).
	nameColumn int
	row        func(obj runtime.Object, opts Options) []string
}

// The tabwriter settings of cli-runtime's printers.GetNewTabWriter.
const (
	tableMinWidth = 6
	tableTabWidth = 4
	tablePadding  = 3
)

// PrintTable prints objects of ONE kind as kubectl's human-readable table.
// An empty list prints nothing: the caller prints "No resources found …".
func PrintTable(w io.Writer, objs []runtime.Object, opts Options) error {
	if len(objs) == 0 {
		return nil
	}
	spec, err := tableSpecFor(objs[0])
	if err != nil {
		return err
	}
	sorted, err := sortByKey(objs)
	if err != nil {
		return err
	}

	tw := tabwriter.NewWriter(w, tableMinWidth, tableTabWidth, tablePadding, ' ', 0)
	if !opts.NoHeaders {
		var header []string
		if opts.AllNamespaces {
			header = append(header, "NAMESPACE")
		}
		for _, c := range spec.columns {
			if !c.wide || opts.Wide {
				header = append(header, c.name)
			}
		}
		if opts.ShowLabels {
			header = append(header, "LABELS")
		}
		writeRow(tw, header)
	}
	for _, obj := range sorted {
		if err := checkSameKind(objs[0], obj); err != nil {
			return err
		}
		m, err := meta.Accessor(obj)
		if err != nil {
			return err
		}
		cells := spec.row(obj, opts)
		if opts.WithKind && spec.nameColumn >= 0 {
			cells[spec.nameColumn] = resourceName(obj) + "/" + cells[spec.nameColumn]
		}
		var row []string
		if opts.AllNamespaces {
			row = append(row, m.GetNamespace())
		}
		for i, c := range spec.columns {
			if !c.wide || opts.Wide {
				row = append(row, cells[i])
			}
		}
		if opts.ShowLabels {
			row = append(row, labels.FormatLabels(m.GetLabels()))
		}
		writeRow(tw, row)
	}
	return tw.Flush()
}

func writeRow(w io.Writer, cells []string) {
	fmt.Fprintln(w, strings.Join(cells, "\t"))
}

func checkSameKind(first, obj runtime.Object) error {
	if fmt.Sprintf("%T", first) != fmt.Sprintf("%T", obj) {
		return fmt.Errorf("PrintTable needs objects of one kind, got %T and %T", first, obj)
	}
	return nil
}

// sortByKey orders objects like the API server lists them: by
// namespace, then name (the etcd key order).
func sortByKey(objs []runtime.Object) ([]runtime.Object, error) {
	type keyed struct {
		key string
		obj runtime.Object
	}
	ks := make([]keyed, 0, len(objs))
	for _, o := range objs {
		m, err := meta.Accessor(o)
		if err != nil {
			return nil, err
		}
		ks = append(ks, keyed{m.GetNamespace() + "/" + m.GetName(), o})
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].key < ks[j].key })
	out := make([]runtime.Object, len(ks))
	for i, k := range ks {
		out[i] = k.obj
	}
	return out, nil
}

// since is kubectl's translateTimestampSince with an injected clock.
func since(now time.Time, t metav1.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t.Time))
}

// sinceMicro is since for MicroTime fields (event times).
func sinceMicro(now time.Time, t metav1.MicroTime) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t.Time))
}

// Column is one column of kubectl's table for a kind, as an apiserver's
// server-side Table declares it: Wide columns have priority 1, which
// kubectl shows only with -o wide.
type Column struct {
	Name string
	Wide bool
}

// Columns returns the table columns of sample's kind.
func Columns(sample runtime.Object) ([]Column, error) {
	spec, err := tableSpecFor(sample)
	if err != nil {
		return nil, err
	}
	out := make([]Column, len(spec.columns))
	for i, c := range spec.columns {
		out[i] = Column{Name: c.name, Wide: c.wide}
	}
	return out, nil
}

// Cells returns one object's row, wide cells included, as the apiserver's
// table convertor computes it (it prints with Wide set).
func Cells(obj runtime.Object, now time.Time) ([]string, error) {
	spec, err := tableSpecFor(obj)
	if err != nil {
		return nil, err
	}
	return spec.row(obj, Options{Now: now, Wide: true}), nil
}
