package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// TestDroppedFieldsWarn: what kubeplay does not grant is said to a real
// kubectl as the apiserver says admission warnings, which kubectl prints
// as "Warning: …" (not the fields it only does not simulate: kubectl run
// fills in defaults the learner never wrote).
func TestDroppedFieldsWarn(t *testing.T) {
	sv := serve(t)
	body := `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"priv"},"spec":{"hostPID":true,"containers":[{"name":"c","image":"nginx",
"securityContext":{"privileged":true}}]}}`
	req, err := http.NewRequest("POST", sv.base+"/api/v1/namespaces/default/pods", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := sv.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := resp.Header.Values("Warning")
	want := []string{
		`299 - "kubeplay: spec.hostPID: true is dropped: the pod's processes see only each other (kubeplay never shares the node's)"`,
		`299 - "kubeplay: spec.containers[0].securityContext.privileged: true is dropped: kubeplay never runs a privileged container"`,
	}
	if resp.StatusCode != http.StatusCreated || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("create: %d, warnings\n%s\nwant\n%s", resp.StatusCode, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestEndpointsDeprecationWarns: every request for v1 Endpoints carries
// kube-apiserver 1.33's deprecation warning, as a real kubectl then prints
// it; EndpointSlices carry none.
func TestEndpointsDeprecationWarns(t *testing.T) {
	sv := serve(t)
	for path, want := range map[string]string{
		"/api/v1/namespaces/default/endpoints":                        `299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"`,
		"/api/v1/namespaces/default/endpoints/kubernetes":             `299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"`,
		"/apis/discovery.k8s.io/v1/namespaces/default/endpointslices": "",
	} {
		resp, err := sv.client().Get(sv.base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := strings.Join(resp.Header.Values("Warning"), "\n"); resp.StatusCode != http.StatusOK || got != want {
			t.Errorf("GET %s: %d, warnings %q, want 200 and %q", path, resp.StatusCode, got, want)
		}
	}
}
