package httpapi

import (
	"net/http"
	"sort"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/version"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Groups served besides the stored resources' ones.
const (
	authzGroup   = "authorization.k8s.io"
	metricsGroup = "metrics.k8s.io"
)

// version answers /version as the cluster's components report it. A
// kubectl wrapper (gcloud's) picks its version from the minor.
func (s *Server) version(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, version.Info())
}

// apiVersions is /api: the legacy core group.
func (s *Server) apiVersions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, metav1.APIVersions{TypeMeta: metav1.TypeMeta{Kind: "APIVersions"}, Versions: []string{"v1"},
		ServerAddressByClientCIDRs: []metav1.ServerAddressByClientCIDR{{ClientCIDR: "0.0.0.0/0", ServerAddress: r.Host}}})
}

// groups lists the named groups with their versions, the stored one
// first and preferred, then the older ones served besides it.
func groups() []metav1.APIGroup {
	seen := map[string]bool{}
	var out []metav1.APIGroup
	add := func(group, version string) {
		if group == "" || seen[group] {
			return
		}
		seen[group] = true
		gv := metav1.GroupVersionForDiscovery{GroupVersion: group + "/" + version, Version: version}
		g := metav1.APIGroup{Name: group, Versions: []metav1.GroupVersionForDiscovery{gv}, PreferredVersion: gv}
		for _, o := range olderVersions {
			if o.group == group && o.version != version {
				g.Versions = append(g.Versions, metav1.GroupVersionForDiscovery{GroupVersion: group + "/" + o.version, Version: o.version})
			}
		}
		out = append(out, g)
	}
	for _, r := range apiserver.Resources() {
		add(r.Group, r.Version)
	}
	add(authzGroup, "v1")
	add(metricsGroup, "v1beta1")
	return out
}

// apiGroups is /apis.
func (s *Server) apiGroups(w http.ResponseWriter) {
	list := metav1.APIGroupList{TypeMeta: metav1.TypeMeta{Kind: "APIGroupList", APIVersion: "v1"}, Groups: groups()}
	writeJSON(w, http.StatusOK, list)
}

// subresources each kind serves, as discovery lists them.
var subresources = map[string][]string{
	"pods":                     {"status", "log", "exec", "portforward"},
	"deployments":              {"status", "scale"},
	"replicasets":              {"status", "scale"},
	"statefulsets":             {"status", "scale"},
	"daemonsets":               {"status"},
	"jobs":                     {"status"},
	"cronjobs":                 {"status"},
	"horizontalpodautoscalers": {"status"},
	"nodes":                    {"status"},
	"namespaces":               {"status"},
	"services":                 {"status"},
	"persistentvolumes":        {"status"},
	"persistentvolumeclaims":   {"status"},
	"ingresses":                {"status"},
}

// inAll is the "all" category, what `kubectl get all` shows.
var inAll = map[string]bool{"pods": true, "services": true, "daemonsets": true, "deployments": true,
	"replicasets": true, "statefulsets": true, "jobs": true, "cronjobs": true,
	"horizontalpodautoscalers": true}

var objectVerbs = metav1.Verbs{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}

// groupVersion answers /api/v1, /apis/apps/v1 …: the resources of one
// group version with their verbs, short names and subresources.
func (s *Server) groupVersion(w http.ResponseWriter, r *http.Request, t target) {
	gv := t.version
	if t.group != "" {
		gv = t.group + "/" + t.version
	}
	list := metav1.APIResourceList{TypeMeta: metav1.TypeMeta{Kind: "APIResourceList", APIVersion: "v1"}, GroupVersion: gv}
	for _, res := range apiserver.Resources() {
		if res.Group != t.group || (res.Version != t.version && findOlder(t.group, t.version, res.Name) == nil) {
			continue
		}
		ar := metav1.APIResource{Name: res.Name, SingularName: res.Singular, Namespaced: res.Namespaced, Kind: res.Kind,
			Verbs: objectVerbs, ShortNames: res.ShortNames}
		if inAll[res.Name] {
			ar.Categories = []string{"all"}
		}
		list.APIResources = append(list.APIResources, ar)
		for _, sub := range subresources[res.Name] {
			sr := metav1.APIResource{Name: res.Name + "/" + sub, Namespaced: res.Namespaced, Kind: res.Kind, Verbs: metav1.Verbs{"get", "patch", "update"}}
			switch sub {
			case "scale":
				sr.Group, sr.Version, sr.Kind = "autoscaling", "v1", "Scale"
			case "log":
				sr.Verbs = metav1.Verbs{"get"}
			case "exec", "portforward":
				sr.Kind, sr.Verbs = "PodExecOptions", metav1.Verbs{"create", "get"}
				if sub == "portforward" {
					sr.Kind = "PodPortForwardOptions"
				}
			}
			list.APIResources = append(list.APIResources, sr)
		}
	}
	switch gv {
	case authzGroup + "/v1":
		list.APIResources = append(list.APIResources, metav1.APIResource{Name: "selfsubjectaccessreviews", SingularName: "selfsubjectaccessreview",
			Kind: "SelfSubjectAccessReview", Verbs: metav1.Verbs{"create"}},
			metav1.APIResource{Name: "selfsubjectrulesreviews", SingularName: "selfsubjectrulesreview",
				Kind: "SelfSubjectRulesReview", Verbs: metav1.Verbs{"create"}})
	case metricsGroup + "/v1beta1":
		list.APIResources = append(list.APIResources,
			metav1.APIResource{Name: "nodes", SingularName: "", Kind: "NodeMetrics", Verbs: metav1.Verbs{"get", "list"}},
			metav1.APIResource{Name: "pods", SingularName: "", Namespaced: true, Kind: "PodMetrics", Verbs: metav1.Verbs{"get", "list"}})
	}
	if len(list.APIResources) == 0 {
		writeStatus(w, apierrors.NewNotFound(groupResource(t.group, ""), gv))
		return
	}
	sort.SliceStable(list.APIResources, func(i, j int) bool { return list.APIResources[i].Name < list.APIResources[j].Name })
	writeJSON(w, http.StatusOK, list)
}
