package httpapi

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const hpaV1JSON = `{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"php-apache"},
"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"php-apache"},"minReplicas":1,"maxReplicas":10,"targetCPUUtilizationPercentage":50}}`

// autoscaling/v1 is served beside v2, as kube-apiserver serves it: a
// tutorial's v1 manifest is stored as v2, and read back in either.
func TestHPAServedAsAutoscalingV1(t *testing.T) {
	sv := serve(t)
	const v1, v2 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"

	_, body := sv.do(t, "GET", "/apis", "", "")
	var groups metav1.APIGroupList
	if err := json.Unmarshal([]byte(body), &groups); err != nil {
		t.Fatal(err)
	}
	var versions []string
	for _, g := range groups.Groups {
		if g.Name == "autoscaling" {
			for _, v := range g.Versions {
				versions = append(versions, v.Version)
			}
			if g.PreferredVersion.Version != "v2" {
				t.Errorf("autoscaling prefers %s, want v2", g.PreferredVersion.Version)
			}
		}
	}
	if strings.Join(versions, ",") != "v2,v1" {
		t.Fatalf("autoscaling versions %v, want v2,v1", versions)
	}
	if code, body := sv.do(t, "GET", "/apis/autoscaling/v1", "", ""); code != 200 || !strings.Contains(body, `"name":"horizontalpodautoscalers"`) {
		t.Fatalf("/apis/autoscaling/v1: %d %s", code, body)
	}
	if code, body := sv.do(t, "GET", "/openapi/v3/apis/autoscaling/v1", "", ""); code != 200 || !strings.Contains(body, "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler") {
		t.Fatalf("openapi of autoscaling/v1 (kubectl apply validates against it): %d %.200s", code, body)
	}

	code, body := sv.do(t, "POST", v1, "application/json", hpaV1JSON)
	if code != http.StatusCreated || !strings.Contains(body, `"apiVersion":"autoscaling/v1"`) || !strings.Contains(body, `"targetCPUUtilizationPercentage":50`) {
		t.Fatalf("v1 create: %d %s", code, body)
	}
	if _, body := sv.do(t, "GET", v2+"/php-apache", "", ""); !strings.Contains(body, `"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]`) {
		t.Fatalf("v2 get after a v1 create: %s", body)
	}
	if _, body := sv.do(t, "GET", v1+"/php-apache", "", ""); !strings.Contains(body, `"targetCPUUtilizationPercentage":50`) || strings.Contains(body, `"metrics"`) {
		t.Fatalf("v1 get: %s", body)
	}
	_, body = sv.do(t, "GET", v1, "", "")
	if !strings.Contains(body, `"kind":"HorizontalPodAutoscalerList","apiVersion":"autoscaling/v1"`) || !strings.Contains(body, `"targetCPUUtilizationPercentage":50`) {
		t.Fatalf("v1 list: %s", body)
	}
	var list metav1.List
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}

	// A memory metric set through v2 survives a v1 patch of the cpu
	// target: upstream's annotation carries it through v1.
	memory := `{"spec":{"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},` +
		`{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}}]}}`
	if code, body := sv.do(t, "PATCH", v2+"/php-apache", "application/merge-patch+json", memory); code != 200 {
		t.Fatalf("v2 patch: %d %s", code, body)
	}
	if _, body := sv.do(t, "GET", v1+"/php-apache", "", ""); !strings.Contains(body,
		`"autoscaling.alpha.kubernetes.io/metrics":"[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageValue\":\"100Mi\"}}]"`) {
		t.Fatalf("v1 get of an HPA with a memory metric, which v1 says in an annotation: %s", body)
	}
	code, body = sv.do(t, "PATCH", v1+"/php-apache", "application/strategic-merge-patch+json", `{"spec":{"targetCPUUtilizationPercentage":70}}`)
	if code != 200 || !strings.Contains(body, `"targetCPUUtilizationPercentage":70`) {
		t.Fatalf("v1 patch: %d %s", code, body)
	}
	_, body = sv.do(t, "GET", v2+"/php-apache", "", "")
	if !strings.Contains(body, `"averageUtilization":70`) || !strings.Contains(body, `"name":"memory"`) {
		t.Fatalf("v2 get after a v1 patch: %s", body)
	}

	resp, err := sv.client().Get(sv.base + v1 + "?watch=true&resourceVersion=" + list.ResourceVersion)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() || !strings.Contains(sc.Text(), `"apiVersion":"autoscaling/v1"`) || !strings.Contains(sc.Text(), `"targetCPUUtilizationPercentage":`) {
		t.Fatalf("v1 watch event: %s", sc.Text())
	}
}
