package httpapi

import (
	"net/http"

	"github.com/kubeplay/kubeplay/engine/apiserver"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// selector is a request's labelSelector and fieldSelector.
type selector struct {
	labels labels.Selector
	fields fields.Selector
}

// parseSelector reads the selectors of a list or watch request.
func parseSelector(r *http.Request, sample runtime.Object) (selector, error) {
	q := r.URL.Query()
	sel := selector{labels: labels.Everything(), fields: fields.Everything()}
	if v := q.Get("labelSelector"); v != "" {
		ls, err := labels.Parse(v)
		if err != nil {
			return sel, apierrors.NewBadRequest("unable to parse requirement: " + err.Error())
		}
		sel.labels = ls
	}
	fs, err := apiserver.ParseFieldSelector(q.Get("fieldSelector"), sample)
	if err != nil {
		return sel, err
	}
	sel.fields = fs
	return sel, nil
}

// matches reports whether obj passes both selectors.
func (sel selector) matches(obj runtime.Object) bool {
	m, err := meta.Accessor(obj)
	if err != nil {
		return false
	}
	if !sel.labels.Matches(labels.Set(m.GetLabels())) {
		return false
	}
	return sel.fields.Empty() || sel.fields.Matches(apiserver.SelectableFields(obj))
}

func (sel selector) filter(objs []runtime.Object) []runtime.Object {
	if sel.labels.Empty() && sel.fields.Empty() {
		return objs
	}
	out := make([]runtime.Object, 0, len(objs))
	for _, o := range objs {
		if sel.matches(o) {
			out = append(out, o)
		}
	}
	return out
}
