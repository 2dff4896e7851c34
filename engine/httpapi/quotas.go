package httpapi

import (
	"net/http"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// noQuotas reports whether a request lists a namespace's ResourceQuotas
// or LimitRanges. kubeplay keeps neither, but kubectl describe namespace
// lists both and, when the server says 404, leaves out the lines a real
// cluster gets ("No resource quota.", "No LimitRange resource."): so
// such lists answer empty, as a fresh cluster's do. They stay out of
// discovery, as kubeplay cannot store them.
func noQuotas(r *http.Request, t target) bool {
	return r.Method == http.MethodGet && t.group == "" && t.version == "v1" && t.namespace != "" &&
		t.name == "" && !isWatch(r) && (t.resource == "resourcequotas" || t.resource == "limitranges")
}

func writeNoQuotas(w http.ResponseWriter, t target) {
	kind := "ResourceQuotaList"
	if t.resource == "limitranges" {
		kind = "LimitRangeList"
	}
	writeJSON(w, http.StatusOK, &list{TypeMeta: metav1.TypeMeta{Kind: kind, APIVersion: "v1"}, Items: []runtime.Object{}})
}
