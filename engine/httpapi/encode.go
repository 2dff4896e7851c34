package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/admission"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/manifest"
	"github.com/kubeplay/kubeplay/engine/printers"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// writeJSON answers v as JSON with code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		writeStatus(w, apierrors.NewInternalError(err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(data)
}

// writeStatus answers err as a metav1.Status, which kubectl prints as
// "Error from server (Reason): message".
func writeStatus(w http.ResponseWriter, err error) {
	st := statusOf(err)
	writeJSON(w, int(st.Code), st)
}

// statusOf is err as the API's Status object.
func statusOf(err error) *metav1.Status {
	var as apierrors.APIStatus
	if !errors.As(err, &as) {
		as = apierrors.NewInternalError(err)
	}
	st := as.Status()
	st.Kind, st.APIVersion = "Status", "v1"
	if st.Status == "" {
		st.Status = metav1.StatusFailure
	}
	return &st
}

// hinted is an apiserver error with kubeplay's hint for the learner.
type hinted struct {
	*apierrors.StatusError
	hint manifest.Hint
}

// writeError is writeStatus with kubeplay's hint for the learner added to
// the message, on a line of its own as the built-in prompt prints it.
func (s *Server) writeError(w http.ResponseWriter, err error) {
	st := statusOf(err)
	h, ok := admission.HintFor(err)
	var hd hinted
	if errors.As(err, &hd) {
		h, ok = hd.hint, true
	}
	if ok {
		if line := manifest.HintLine(h, s.lang); line != "" {
			st.Message += "\n" + line
			// kubectl prints an Invalid error from its causes, not its
			// message: the hint follows the last one, on a line of its own.
			if d := st.Details; d != nil && len(d.Causes) > 0 {
				d.Causes[len(d.Causes)-1].Message += "\n" + line
			}
		}
	}
	writeJSON(w, int(st.Code), st)
}

// wantsTable reports whether the client asked for a server-side Table,
// as kubectl get does.
func wantsTable(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "as=Table")
}

// list is the JSON of a typed list: PodList and the like.
type list struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata"`
	Items           []runtime.Object `json:"items"`
}

func newList(t target, rv string, items []runtime.Object) *list {
	items = t.views(items)
	if items == nil {
		items = []runtime.Object{}
	}
	return &list{TypeMeta: metav1.TypeMeta{Kind: t.res.Kind + "List", APIVersion: t.apiVersion()},
		ListMeta: metav1.ListMeta{ResourceVersion: rv}, Items: items}
}

// table converts objects of one resource to a server-side Table with
// kubectl's columns, as the apiserver's table convertor does; now is the
// cluster's time, for AGE columns. withColumns is false for watch events
// after the first, which carry rows only.
func table(res *apiserver.Resource, objs []runtime.Object, rv string, now time.Time, include string, withColumns bool) (*metav1.Table, error) {
	t := &metav1.Table{TypeMeta: metav1.TypeMeta{Kind: "Table", APIVersion: "meta.k8s.io/v1"},
		ListMeta: metav1.ListMeta{ResourceVersion: rv}, Rows: []metav1.TableRow{}}
	if withColumns {
		cols, err := printers.Columns(res.New())
		if err != nil {
			return nil, err
		}
		for _, c := range cols {
			def := metav1.TableColumnDefinition{Name: c.Name, Type: "string"}
			if c.Name == "NAME" {
				def.Format = "name"
			}
			if c.Wide {
				def.Priority = 1
			}
			t.ColumnDefinitions = append(t.ColumnDefinitions, def)
		}
	}
	for _, obj := range objs {
		cells, err := printers.Cells(obj, now)
		if err != nil {
			return nil, err
		}
		row := metav1.TableRow{Cells: make([]any, len(cells))}
		for i, c := range cells {
			row.Cells[i] = c
		}
		raw, err := rowObject(res, obj, include)
		if err != nil {
			return nil, err
		}
		row.Object = runtime.RawExtension{Raw: raw}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// rowObject is what a table row carries: the object's metadata by
// default (kubectl reads namespace and labels from it), the whole object,
// or nothing, as includeObject asks.
func rowObject(res *apiserver.Resource, obj runtime.Object, include string) ([]byte, error) {
	switch include {
	case "None":
		return nil, nil
	case "Object":
		return json.Marshal(obj)
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return nil, err
	}
	pom := metav1.PartialObjectMetadata{TypeMeta: metav1.TypeMeta{Kind: "PartialObjectMetadata", APIVersion: "meta.k8s.io/v1"}}
	pom.ObjectMeta = *objectMeta(m)
	return json.Marshal(&pom)
}

// objectMeta copies an object's metadata without managed fields.
func objectMeta(m metav1.Object) *metav1.ObjectMeta {
	return &metav1.ObjectMeta{
		Name: m.GetName(), GenerateName: m.GetGenerateName(), Namespace: m.GetNamespace(),
		UID: m.GetUID(), ResourceVersion: m.GetResourceVersion(), Generation: m.GetGeneration(),
		CreationTimestamp: m.GetCreationTimestamp(), DeletionTimestamp: m.GetDeletionTimestamp(),
		DeletionGracePeriodSeconds: m.GetDeletionGracePeriodSeconds(),
		Labels:                     m.GetLabels(), Annotations: m.GetAnnotations(),
		OwnerReferences: m.GetOwnerReferences(), Finalizers: m.GetFinalizers(),
	}
}

// writeObjects answers a list, as a Table when asked.
func (s *Server) writeObjects(w http.ResponseWriter, r *http.Request, t target, objs []runtime.Object, rv string, now time.Time) {
	if wantsTable(r) {
		tbl, err := table(t.res, objs, rv, now, r.URL.Query().Get("includeObject"), true)
		if err != nil {
			s.writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, tbl)
		return
	}
	writeJSON(w, http.StatusOK, newList(t, rv, objs))
}

// writeObject answers one object, as a one-row Table when asked.
func (s *Server) writeObject(w http.ResponseWriter, r *http.Request, code int, t target, obj runtime.Object, now time.Time) {
	if wantsTable(r) {
		m, _ := meta.Accessor(obj)
		tbl, err := table(t.res, []runtime.Object{obj}, m.GetResourceVersion(), now, r.URL.Query().Get("includeObject"), true)
		if err != nil {
			s.writeError(w, err)
			return
		}
		writeJSON(w, code, tbl)
		return
	}
	writeJSON(w, code, t.view(obj))
}
