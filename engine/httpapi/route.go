package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// target is what a resource path names:
// /api/v1/namespaces/NS/RESOURCE/NAME/SUBRESOURCE or
// /apis/GROUP/VERSION/RESOURCE/NAME.
type target struct {
	group, version string
	namespace      string
	resource       string // plural
	name           string
	sub            string // "status", "scale", "log", "exec", "portforward", …
	res            *apiserver.Resource
	older          *olderVersion // the path's version is an older one than res's, converted
}

// parsePath splits a resource path; ok is false when it is not one.
func parsePath(p string) (t target, ok bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case len(parts) >= 2 && parts[0] == "api":
		t.version, parts = parts[1], parts[2:]
	case len(parts) >= 3 && parts[0] == "apis":
		t.group, t.version, parts = parts[1], parts[2], parts[3:]
	default:
		return t, false
	}
	if len(parts) == 0 {
		return t, true // the group version itself: discovery
	}
	if parts[0] == "namespaces" && len(parts) >= 3 && !(len(parts) == 3 && isNamespaceSub(parts[2])) {
		t.namespace, parts = parts[1], parts[2:]
	}
	t.resource = parts[0]
	if len(parts) > 1 {
		t.name = parts[1]
	}
	if len(parts) > 2 {
		t.sub = strings.Join(parts[2:], "/")
	}
	return t, true
}

// isNamespaceSub reports whether word is a subresource of a namespace
// (/api/v1/namespaces/NAME/status), not a resource in it.
func isNamespaceSub(word string) bool { return word == "status" || word == "finalize" }

// groupResource names a resource in errors.
func groupResource(group, resource string) schema.GroupResource {
	return schema.GroupResource{Group: group, Resource: resource}
}

// lookup finds the served resource a target names.
func lookup(t *target) error {
	for _, r := range apiserver.Resources() {
		if r.Name == t.resource && r.Group == t.group && r.Version == t.version {
			t.res = r
			return nil
		}
	}
	if o := findOlder(t.group, t.version, t.resource); o != nil {
		for _, r := range apiserver.Resources() {
			if r.Name == t.resource && r.Group == t.group {
				t.res, t.older = r, o
				return nil
			}
		}
	}
	return apierrors.NewNotFound(groupResource(t.group, t.resource), t.name)
}

// resource serves every path under /api/ and /apis/.
func (s *Server) resource(w http.ResponseWriter, r *http.Request) {
	t, ok := parsePath(r.URL.Path)
	if !ok {
		writeStatus(w, apierrors.NewNotFound(groupResource("", ""), r.URL.Path))
		return
	}
	if t.resource == "" {
		s.groupVersion(w, r, t)
		return
	}
	s.tellHeard(r)
	switch {
	case t.group == "authorization.k8s.io":
		s.accessReview(w, r, t)
		return
	case t.group == metricsGroup:
		s.metrics(w, r, t)
		return
	case noQuotas(r, t):
		writeNoQuotas(w, t)
		return
	}
	if err := lookup(&t); err != nil {
		writeStatus(w, err)
		return
	}
	if t.res.Deprecated != "" {
		w.Header().Add("Warning", "299 - "+strconv.Quote(t.res.Deprecated))
	}
	if t.res.Namespaced && t.namespace == "" && t.name != "" {
		writeStatus(w, apierrors.NewBadRequest("the server could not find the requested resource: a namespace is needed for "+t.resource))
		return
	}
	if !t.res.Namespaced {
		t.namespace = ""
	}
	switch t.sub {
	case "":
	case "status":
		s.status(w, r, t)
		return
	case "scale":
		s.scale(w, r, t)
		return
	case "log":
		s.logs(w, r, t)
		return
	case "exec":
		s.exec(w, r, t)
		return
	case "portforward":
		s.portForward(w, r, t)
		return
	default:
		writeStatus(w, apierrors.NewNotFound(groupResource(t.group, t.resource+"/"+t.sub), t.name))
		return
	}
	switch r.Method {
	case http.MethodGet:
		switch {
		case t.name != "":
			s.get(w, r, t)
		case isWatch(r):
			s.watch(w, r, t)
		default:
			s.list(w, r, t)
		}
	case http.MethodPost:
		if t.name != "" {
			writeStatus(w, apierrors.NewMethodNotSupported(t.res.GroupResource(), "post to a name"))
			return
		}
		s.create(w, r, t)
	case http.MethodPut:
		s.update(w, r, t)
	case http.MethodPatch:
		s.patch(w, r, t)
	case http.MethodDelete:
		if t.name == "" {
			s.deleteCollection(w, r, t)
			return
		}
		s.delete(w, r, t)
	default:
		writeStatus(w, apierrors.NewMethodNotSupported(t.res.GroupResource(), r.Method))
	}
}

func isWatch(r *http.Request) bool {
	v := r.URL.Query().Get("watch")
	return v == "true" || v == "1"
}
