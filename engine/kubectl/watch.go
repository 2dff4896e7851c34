package kubectl

import (
	"bytes"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/printers"
	"github.com/kubeplay/kubeplay/engine/store"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// DefaultWatchFor is how long `get -w` watches in kubeplay's shell, in
// cluster time: a script cannot press Ctrl-C.
const DefaultWatchFor = 30 * time.Second

// watch prints a row for every change to the watched objects, as
// `kubectl get -w` does, for the session's watch time.
// needHeader is true when the list printed nothing: the first change
// brings the table's header, as kubectl's printer does with a new kind.
func (s *Session) watch(groups []group, ns string, ls labels.Selector, o getOptions, needHeader bool) error {
	watched := map[string]fields.Selector{}
	for _, g := range groups {
		watched[g.res.Name] = g.fields
	}
	var rows bytes.Buffer
	stop := s.C.Watch(func(ev store.Event) {
		res, err := apiserver.ResourceOf(ev.Object)
		if err != nil {
			return
		}
		fs, ok := watched[res.Name]
		if !ok {
			return
		}
		m, _ := meta.Accessor(ev.Object)
		if (ns != "" && m.GetNamespace() != ns) || !matches(ev.Object, ls, fs) {
			return
		}
		s.printWatchRow(&rows, ev.Object, o, !needHeader)
		needHeader = false
		_, _ = s.Out.Write(rows.Bytes())
		rows.Reset()
	})
	defer stop()
	d := s.WatchFor
	if d == 0 {
		d = DefaultWatchFor
	}
	s.runFor(d)
	return nil
}

func (s *Session) printWatchRow(w *bytes.Buffer, obj runtime.Object, o getOptions, noHeaders bool) {
	if o.output != "" && o.output != "wide" {
		_ = printers.PrintObjects(w, []runtime.Object{obj}, o.output, noHeaders || o.noHeaders)
		return
	}
	_ = printers.PrintTable(w, []runtime.Object{obj}, printers.Options{
		Now: s.C.Now(), Wide: o.output == "wide", ShowLabels: o.showLabels, AllNamespaces: o.allNamespaces, NoHeaders: noHeaders || o.noHeaders,
	})
}
