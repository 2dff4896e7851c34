package httpapi

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	discoveryv1 "k8s.io/api/discovery/v1"
)

// TestEndpointSlicesByServiceName: what kubectl describe service and
// describe ingress ask for, a Service's EndpointSlices listed by the
// label kubernetes.io/service-name, is served and holds the Service's pod.
func TestEndpointSlicesByServiceName(t *testing.T) {
	sv := serve(t)
	if code, body := sv.do(t, "POST", "/api/v1/namespaces/default/pods", "application/json", podJSON); code != http.StatusCreated {
		t.Fatalf("create pod: %d %s", code, body)
	}
	const svcJSON = `{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}`
	if code, body := sv.do(t, "POST", "/api/v1/namespaces/default/services", "application/json", svcJSON); code != http.StatusCreated {
		t.Fatalf("create service: %d %s", code, body)
	}
	var list discoveryv1.EndpointSliceList
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		code, body := sv.do(t, "GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb", "", "")
		if code != 200 {
			t.Fatalf("list: %d %s", code, body)
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Items) == 1 && len(list.Items[0].Endpoints) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no slice with the pod's endpoint: %s", body)
		}
	}
	es := list.Items[0]
	if list.Kind != "EndpointSliceList" || es.AddressType != discoveryv1.AddressTypeIPv4 || es.Endpoints[0].TargetRef.Name != "web" {
		t.Errorf("kind %q, slice %+v", list.Kind, es)
	}
	code, body := sv.do(t, "GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dother", "", "")
	if code != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Items) != 0 {
		t.Errorf("another Service's slices: %d %s", code, body)
	}
}
