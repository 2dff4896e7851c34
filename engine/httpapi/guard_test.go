package httpapi

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
)

// unauthorized is kube-apiserver's answer to a request without valid
// credentials, byte for byte.
const unauthorized = `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}`

// TestWebPagesCannotDriveTheAPI: what a page the learner opens can send —
// a text/plain or form POST, a body without a type, a WebSocket with an
// Origin, a name of its own rebound to 127.0.0.1 — creates nothing and
// upgrades nothing; kubectl's requests (token, JSON, loopback) go on.
func TestWebPagesCannotDriveTheAPI(t *testing.T) {
	sv := serve(t)
	const pods = "/api/v1/namespaces/default/pods"
	port := sv.base[strings.LastIndex(sv.base, ":")+1:]
	noToken := func(method, path, contentType, body string, header ...string) (int, string) {
		t.Helper()
		client := sv.client()
		client.Transport = client.Transport.(bearer).next // the page's request has no token
		return sv.send(t, client, method, path, contentType, body, header...)
	}
	form := "apiVersion=v1&kind=Pod&" + url.Values{"x": {podJSON}}.Encode()

	for _, c := range []struct {
		name               string
		method, ct, body   string
		withToken          bool
		header             []string
		wantCode           int
		wantBody, wantText string
	}{
		{name: "text/plain POST", method: "POST", ct: "text/plain", body: podJSON, wantCode: 401, wantBody: unauthorized},
		{name: "form POST", method: "POST", ct: "application/x-www-form-urlencoded", body: form, wantCode: 401, wantBody: unauthorized},
		{name: "wrong token", method: "POST", ct: "application/json", body: podJSON, header: []string{"Authorization", "Bearer nope"}, wantCode: 401, wantBody: unauthorized},
		{name: "text/plain POST with the token", method: "POST", ct: "text/plain;charset=UTF-8", body: podJSON, withToken: true, wantCode: 415,
			wantText: `"message":"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf"`},
		{name: "untyped body with the token", method: "POST", body: podJSON, withToken: true, wantCode: 415, wantText: `"reason":"UnsupportedMediaType"`},
		{name: "form PATCH with the token", method: "PATCH", ct: "application/x-www-form-urlencoded", body: form, withToken: true, wantCode: 415,
			wantText: "accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml"},
		{name: "rebound name", method: "POST", ct: "application/json", body: podJSON, withToken: true, header: []string{"Host", "attacker.example:" + port}, wantCode: 403,
			wantText: `not to \"attacker.example:` + port + `\"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var code int
			var body string
			if c.withToken {
				code, body = sv.do(t, c.method, pods, c.ct, c.body, c.header...)
			} else {
				code, body = noToken(c.method, pods, c.ct, c.body, c.header...)
			}
			if code != c.wantCode || (c.wantBody != "" && body != c.wantBody) || !strings.Contains(body, c.wantText) {
				t.Fatalf("answered %d %s\nwant %d %s%s", code, body, c.wantCode, c.wantBody, c.wantText)
			}
		})
	}
	if code, body := sv.do(t, "GET", pods, "", ""); code != 200 || strings.Contains(body, `"name":"web"`) {
		t.Fatalf("a refused request made a pod: %d %s", code, body)
	}

	// A page's WebSocket carries an Origin: no upgrade, with the token or
	// without.
	sv.do(t, "POST", pods, "application/json", podJSON)
	exec := pods + "/web/exec?command=ls&stdout=true"
	wsHeaders := []string{"Connection", "Upgrade", "Upgrade", "websocket", "Sec-WebSocket-Version", "13",
		"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol", "v5.channel.k8s.io", "Origin", "http://evil.example"}
	if code, body := sv.do(t, "GET", exec, "", "", wsHeaders...); code != 403 || !strings.Contains(body, "Origin: http://evil.example") {
		t.Fatalf("WebSocket exec with an Origin: %d %s", code, body)
	}
	if code, body := noToken("GET", exec, "", "", wsHeaders...); code != 401 {
		t.Fatalf("WebSocket exec without the token: %d %s", code, body)
	}

	// kubectl's own names for this machine are answered.
	for _, host := range []string{"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LOCALHOST"} {
		if code, body := sv.do(t, "GET", "/api", "", "", "Host", host); code != 200 {
			t.Errorf("Host %s: %d %s", host, code, body)
		}
	}
	// And plain HTTP, what a page would send, is no API at all.
	resp, err := http.Post("http://"+strings.TrimPrefix(sv.base, "https://")+pods, "text/plain", strings.NewReader(podJSON))
	if err == nil {
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Fatalf("plain HTTP answered %d %s", resp.StatusCode, data)
		}
	}
}

// TestListenAnyServesAnyHostName: with --listen-any the token alone keeps
// others out, and any name this machine goes by is answered.
func TestListenAnyServesAnyHostName(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sv := serveCluster(t, c, func(s *Server) { s.anyHost = true })
	if code, body := sv.do(t, "GET", "/api", "", "", "Host", "my-laptop.lan:6445"); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
}

// TestRequestBodyLimits: a body over kube-apiserver's 3 MiB gets its 413
// without being read to the end, and a body that trickles in is cut off
// at the deadline instead of holding its connection.
func TestRequestBodyLimits(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sv := serveCluster(t, c, func(s *Server) { s.bodyTimeout = 300 * time.Millisecond })
	big := `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"x":"` + strings.Repeat("a", maxBody) + `"}}`
	code, body := sv.do(t, "POST", "/api/v1/namespaces/default/configmaps", "application/json", big)
	if code != 413 || !strings.Contains(body, `"message":"Request entity too large: limit is 3145728"`) {
		t.Fatalf("a body over 3 MiB: %d %.300s", code, body)
	}

	conn := sv.dialTLS(t)
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", sv.s.Token())
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("a trickling body was never cut off: %v", err)
	}
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(data), "did not arrive within 300ms") {
		t.Fatalf("a trickling body: %d %s", resp.StatusCode, data)
	}
}

// TestConnectionCap: past the cap a new connection waits in the kernel's
// backlog, holding no file descriptor of kubeplay's, until one closes.
func TestConnectionCap(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sv := serveCluster(t, c, func(s *Server) { s.maxConns = 2 })
	var idle []net.Conn
	for range 2 {
		conn, err := net.Dial("tcp", strings.TrimPrefix(sv.base, "https://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		idle = append(idle, conn)
	}
	answered := make(chan int, 1)
	go func() {
		code, _ := sv.do(t, "GET", "/api", "", "")
		answered <- code
	}()
	select {
	case code := <-answered:
		t.Fatalf("a third connection was served (%d) while two were open", code)
	case <-time.After(300 * time.Millisecond):
	}
	idle[0].Close()
	select {
	case code := <-answered:
		if code != 200 {
			t.Fatalf("answered %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting connection was never served")
	}
}

// dialTLS opens a TLS connection to sv, trusting its certificate.
func (sv *served) dialTLS(t *testing.T) *tls.Conn {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(sv.s.CACert())
	conn, err := tls.Dial("tcp", strings.TrimPrefix(sv.base, "https://"), &tls.Config{RootCAs: pool, NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	return conn
}
