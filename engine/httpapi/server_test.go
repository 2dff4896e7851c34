package httpapi

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/sim"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
)

// served is a sim cluster behind a Server on a free loopback port, its
// kernel run live on a goroutine of its own (which alone touches it) until
// the test ends.
type served struct {
	c    *cluster.Cluster
	s    *Server
	base string
}

func serve(t testing.TB) *served {
	t.Helper()
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return serveCluster(t, c)
}

// serveCluster serves c until the test ends, its kernel run live; set
// changes the server before it listens.
func serveCluster(t testing.TB, c *cluster.Cluster, set ...func(*Server)) *served {
	t.Helper()
	s := New(c, "en")
	for _, f := range set {
		f(s)
	}
	if err := s.Listen("127.0.0.1:0", false); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.RunLive(stop.Load)
	}()
	t.Cleanup(func() {
		_ = s.Close()
		stop.Store(true)
		c.Inject(sim.Hop{Internal: true}, func() {})
		<-done
	})
	return &served{c: c, s: s, base: s.URL()}
}

// do sends one request and returns the status code and body.
func (sv *served) do(t testing.TB, method, path, contentType, body string, header ...string) (int, string) {
	t.Helper()
	return sv.send(t, sv.client(), method, path, contentType, body, header...)
}

// send is do through client.
func (sv *served) send(t testing.TB, client *http.Client, method, path, contentType, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, sv.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	setHeaders(req, header)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// setHeaders sets name, value pairs on req (Host too).
func setHeaders(req *http.Request, header []string) {
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
}

// client sends the run's token with every request, as kubectl does from
// kubeplay's kubeconfig.
func (sv *served) client() *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(sv.s.CACert())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	return &http.Client{Transport: bearer{sv.s.Token(), tr}}
}

// restConfig is client-go's configuration for sv, from kubeplay's
// kubeconfig.
func (sv *served) restConfig() *rest.Config {
	return &rest.Config{Host: sv.base, BearerToken: sv.s.Token(), TLSClientConfig: rest.TLSClientConfig{CAData: sv.s.CACert()}}
}

// bearer adds a bearer token to requests.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

const podJSON = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}`

func TestCreateGetListDelete(t *testing.T) {
	sv := serve(t)
	code, body := sv.do(t, "POST", "/api/v1/namespaces/default/pods", "application/json", podJSON)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/api/v1/namespaces/default/pods/web", "", "")
	if code != 200 || !strings.Contains(body, `"uid"`) || !strings.Contains(body, `"kind":"Pod"`) {
		t.Fatalf("get: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb", "", "")
	var list struct {
		Kind  string            `json:"kind"`
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || code != 200 || list.Kind != "PodList" || len(list.Items) != 1 {
		t.Fatalf("list: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dother", "", "")
	if code != 200 || !strings.Contains(body, `"items":[]`) {
		t.Fatalf("list with a selector matching nothing: %d %s", code, body)
	}
	code, body = sv.do(t, "DELETE", "/api/v1/namespaces/default/pods/web", "application/json", `{"gracePeriodSeconds":0}`)
	if code != 200 {
		t.Fatalf("delete: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/api/v1/namespaces/default/pods/web", "", "")
	var st metav1.Status
	if err := json.Unmarshal([]byte(body), &st); err != nil || code != 404 || st.Reason != metav1.StatusReasonNotFound || st.Message != `pods "web" not found` {
		t.Fatalf("get after delete: %d %s", code, body)
	}
}

func TestInvalidObjectIsAStatusWithAHint(t *testing.T) {
	sv := serve(t)
	bad := strings.Replace(podJSON, `"name":"web"`, `"name":"Web"`, 1)
	code, body := sv.do(t, "POST", "/api/v1/namespaces/default/pods", "application/json", bad)
	var st metav1.Status
	if err := json.Unmarshal([]byte(body), &st); err != nil || code != 422 || st.Reason != metav1.StatusReasonInvalid {
		t.Fatalf("create with an uppercase name: %d %s", code, body)
	}
	if !strings.Contains(st.Message, `Pod "Web" is invalid`) || !strings.Contains(st.Message, "\nhint: ") {
		t.Errorf("message lacks the apiserver's words or kubeplay's hint: %q", st.Message)
	}
	typo := strings.Replace(podJSON, `"image"`, `"imagee"`, 1)
	code, body = sv.do(t, "POST", "/api/v1/namespaces/default/pods?fieldValidation=Strict", "application/json", typo)
	if code != 400 || !strings.Contains(body, `strict decoding error: unknown field \"spec.containers[0].imagee\"`) {
		t.Fatalf("strict create with a typo: %d %s", code, body)
	}
}

func TestTableHasKubectlColumns(t *testing.T) {
	sv := serve(t)
	sv.do(t, "POST", "/api/v1/namespaces/default/pods", "application/json", podJSON)
	code, body := sv.do(t, "GET", "/api/v1/namespaces/default/pods", "", "", "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
	var tbl metav1.Table
	if err := json.Unmarshal([]byte(body), &tbl); err != nil || code != 200 {
		t.Fatalf("table: %d %s", code, body)
	}
	var names []string
	for _, c := range tbl.ColumnDefinitions {
		if c.Priority == 0 {
			names = append(names, c.Name)
		}
	}
	if got := strings.Join(names, ","); got != "NAME,READY,STATUS,RESTARTS,AGE" {
		t.Errorf("columns %s", got)
	}
	if len(tbl.Rows) != 1 || tbl.Rows[0].Cells[0] != "web" || tbl.Rows[0].Cells[1] != "0/1" {
		t.Errorf("rows %+v", tbl.Rows)
	}
}

func TestDiscovery(t *testing.T) {
	sv := serve(t)
	code, body := sv.do(t, "GET", "/apis/apps/v1", "", "")
	if code != 200 || !strings.Contains(body, `"name":"deployments/scale"`) || !strings.Contains(body, `"shortNames":["deploy"]`) {
		t.Fatalf("apps/v1: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/api", "", "")
	if code != 200 || !strings.Contains(body, `"versions":["v1"]`) {
		t.Fatalf("/api: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/version", "", "")
	if code != 200 || !strings.Contains(body, `"minor":"33"`) {
		t.Fatalf("/version: %d %s", code, body)
	}
}

func TestScaleSubresource(t *testing.T) {
	sv := serve(t)
	dep := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}`
	if code, body := sv.do(t, "POST", "/apis/apps/v1/namespaces/default/deployments", "application/json", dep); code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	code, body := sv.do(t, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale", "application/merge-patch+json", `{"spec":{"replicas":3}}`)
	if code != 200 || !strings.Contains(body, `"spec":{"replicas":3}`) {
		t.Fatalf("scale: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/apis/apps/v1/namespaces/default/deployments/web", "", "")
	if code != 200 || !strings.Contains(body, `"replicas":3`) {
		t.Fatalf("deployment after scale: %d %s", code, body)
	}
}

// TestWatchReplaysAndFollows: a watch from a list's resourceVersion sees
// what happened after it, then new changes as they happen; a version
// older than the history gets 410 Gone.
func TestWatchReplaysAndFollows(t *testing.T) {
	sv := serve(t)
	_, body := sv.do(t, "GET", "/api/v1/namespaces/default/pods", "", "")
	var list metav1.List
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	sv.do(t, "POST", "/api/v1/namespaces/default/pods", "application/json", podJSON)
	resp, err := sv.client().Get(sv.base + "/api/v1/namespaces/default/pods?watch=true&resourceVersion=" + list.ResourceVersion)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func() string {
		select {
		case l := <-lines:
			return l
		case <-time.After(10 * time.Second):
			t.Fatal("no watch event within 10s")
		}
		return ""
	}
	if l := next(); !strings.HasPrefix(l, `{"type":"ADDED"`) || !strings.Contains(l, `"name":"web"`) {
		t.Fatalf("first event %s", l)
	}
	// The kubelet and scheduler go on changing it: MODIFIED events follow.
	if l := next(); !strings.HasPrefix(l, `{"type":"MODIFIED"`) {
		t.Fatalf("second event %s", l)
	}

	sv.s.onKernel(httptestRequest(), func() { sv.s.hist.dropped = 1 << 40 })
	code, body := sv.do(t, "GET", "/api/v1/namespaces/default/pods?watch=true&resourceVersion=1", "", "")
	if code != http.StatusGone || !strings.Contains(body, `"reason":"Expired"`) {
		t.Fatalf("watch from an expired version: %d %s", code, body)
	}
}

func httptestRequest() *http.Request {
	r, _ := http.NewRequest("GET", "/", nil)
	return r
}

func TestPanicBecomesA500Status(t *testing.T) {
	sv := serve(t)
	var log strings.Builder
	sv.s.Log = &log
	// A request without a URL makes routing panic.
	rec := &recorder{header: http.Header{}}
	sv.s.ServeHTTP(rec, &http.Request{Method: "GET", RequestURI: "/boom", Host: "127.0.0.1",
		Header: http.Header{"Authorization": {"Bearer " + sv.s.Token()}}})
	if rec.code != 500 || !strings.Contains(rec.body.String(), `"reason":"InternalError"`) || !strings.Contains(rec.body.String(), "GET /boom") {
		t.Fatalf("panic answered %d %s", rec.code, rec.body.String())
	}
	if !strings.Contains(log.String(), "goroutine") {
		t.Errorf("no stack logged: %q", log.String())
	}
}

type recorder struct {
	header http.Header
	code   int
	body   strings.Builder
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(code int)        { r.code = code }

// TestDeleteCollection deletes what the selector picks and nothing else.
func TestDeleteCollection(t *testing.T) {
	sv := serve(t)
	for _, name := range []string{"a", "b", "c"} {
		pod := strings.Replace(podJSON, `"name":"web"`, `"name":"`+name+`"`, 1)
		if name == "c" {
			pod = strings.Replace(pod, `"app":"web"`, `"app":"other"`, 1)
		}
		if code, body := sv.do(t, "POST", "/api/v1/namespaces/default/pods", "application/json", pod); code != 201 {
			t.Fatalf("create %s: %d %s", name, code, body)
		}
	}
	code, body := sv.do(t, "DELETE", "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb&gracePeriodSeconds=0", "", "")
	if code != 200 || !strings.Contains(body, `"name":"a"`) || !strings.Contains(body, `"name":"b"`) || strings.Contains(body, `"name":"c"`) {
		t.Fatalf("deletecollection: %d %s", code, body)
	}
	_, body = sv.do(t, "GET", "/api/v1/namespaces/default/pods", "", "")
	if strings.Contains(body, `"name":"a"`) || !strings.Contains(body, `"name":"c"`) {
		t.Errorf("after deleting app=web: %s", body)
	}
}
