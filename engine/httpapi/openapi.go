package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/version"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
)

// OpenAPI v3, as much as kubectl reads: for each group version a document
// whose PATCH operations declare the fieldValidation parameter (so kubectl
// apply leaves validation to the server, which is kubeplay's own, with its
// hints), and the schemas of the kinds for kubectl explain.

type openAPIDocs struct {
	index []byte            // /openapi/v3
	docs  map[string][]byte // "api/v1" → its document
}

var openAPI = sync.OnceValue(buildOpenAPI)

func buildOpenAPI() openAPIDocs {
	out := openAPIDocs{docs: map[string][]byte{}}
	byGV := map[string][]servedKind{}
	var order []string
	for _, k := range servedKinds() {
		gv := "api/" + k.version
		if k.res.Group != "" {
			gv = "apis/" + k.res.Group + "/" + k.version
		}
		if byGV[gv] == nil {
			order = append(order, gv)
		}
		byGV[gv] = append(byGV[gv], k)
	}
	type ref struct {
		URL string `json:"serverRelativeURL"`
	}
	index := map[string]map[string]ref{"paths": {}}
	for _, gv := range order {
		doc, err := json.Marshal(gvDocument(byGV[gv]))
		if err != nil {
			panic(err) // built from kubeplay's own tables: a bug, caught by the tests
		}
		sum := sha256.Sum256(doc)
		out.docs[gv] = doc
		index["paths"][gv] = ref{URL: "/openapi/v3/" + gv + "?hash=" + strings.ToUpper(hex.EncodeToString(sum[:16]))}
	}
	out.index, _ = json.Marshal(index)
	return out
}

// servedKind is a resource in one version the API serves: the stored
// one, or an older one converted (autoscaling/v1 HorizontalPodAutoscaler),
// whose schema kubectl apply validates a manifest of that version against.
type servedKind struct {
	res     *apiserver.Resource
	version string
	new     func() runtime.Object
}

func servedKinds() []servedKind {
	var out []servedKind
	for _, r := range apiserver.Resources() {
		out = append(out, servedKind{res: r, version: r.Version, new: r.New})
		for _, o := range olderVersions {
			if o.group == r.Group && o.resource == r.Name {
				out = append(out, servedKind{res: r, version: o.version, new: o.new})
			}
		}
	}
	return out
}

// gvDocument is one group version's OpenAPI document.
func gvDocument(kinds []servedKind) map[string]any {
	paths := map[string]any{}
	schemas := map[string]any{}
	for _, k := range kinds {
		r := k.res
		gvk := map[string]string{"group": r.Group, "version": k.version, "kind": r.Kind}
		prefix := "/api/" + k.version
		if r.Group != "" {
			prefix = "/apis/" + r.Group + "/" + k.version
		}
		item := prefix + "/" + r.Name + "/{name}"
		if r.Namespaced {
			item = prefix + "/namespaces/{namespace}/" + r.Name + "/{name}"
		}
		params := []map[string]any{}
		for _, p := range []string{"dryRun", "fieldManager", "fieldValidation", "force"} {
			params = append(params, map[string]any{"name": p, "in": "query", "schema": map[string]string{"type": "string"}})
		}
		paths[item] = map[string]any{
			"patch": map[string]any{
				"operationId":                     "patch" + r.Kind,
				"parameters":                      params,
				"x-kubernetes-action":             "patch",
				"x-kubernetes-group-version-kind": gvk,
				"responses":                       map[string]any{"200": map[string]any{"description": "OK"}},
			},
		}
		for name, s := range kindSchemas(k) {
			schemas[name] = s
		}
	}
	return map[string]any{
		"openapi":    "3.0.0",
		"info":       map[string]string{"title": "kubeplay", "version": strings.TrimPrefix(version.Kubernetes, "v")},
		"paths":      paths,
		"components": map[string]any{"schemas": schemas},
	}
}

// openAPI serves /openapi/v3 and its documents; /openapi/v2 is not
// served, and kubectl does not need it once v3 answers.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	docs := openAPI()
	p := strings.TrimPrefix(r.URL.Path, "/openapi/v3")
	if p == r.URL.Path {
		writeStatus(w, apierrors.NewNotFound(groupResource("", "openapi"), r.URL.Path))
		return
	}
	var body []byte
	if p == "" || p == "/" {
		body = docs.index
	} else if body = docs.docs[strings.Trim(p, "/")]; body == nil {
		writeStatus(w, apierrors.NewNotFound(groupResource("", "openapi"), r.URL.Path))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Query().Get("hash") != "" {
		w.Header().Set("Cache-Control", "public, immutable")
	}
	_, _ = w.Write(body)
}
