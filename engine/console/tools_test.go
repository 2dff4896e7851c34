package console

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/launch/launchtest"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// toolsSetup: nginx (a stand-in on 80) and the demo app behind Services,
// and the pods to run the tools from: busybox's c has ping (and wget),
// nginx's n has curl and getent, which busybox has not.
const toolsSetup = `create deployment web --image=nginx --replicas=1
expose deployment web --port=80
create deployment demo --image=kubeplay/demo:v1 --replicas=1
expose deployment demo --port=80 --target-port=8080
run c --image=busybox -- sleep 3600
run n --image=nginx
wait --for=condition=Ready pod/c pod/n --timeout=2m
rollout status deployment/web --timeout=2m
rollout status deployment/demo --timeout=2m
sleep 3s
get svc demo -o jsonpath='{.spec.clusterIP}{"\n"}'
get pods -l app=demo -o jsonpath='{.items[0].metadata.name} {.items[0].status.podIP}{"\n"}'
`

// toolsScript are the tools a learner reaches for inside a pod: curl's
// common flags, ping, getent. CLUSTERIP and PODIP are demo's.
const toolsScript = `exec n -- sh -c 'curl -sv http://demo/ 2>&1'
exec n -- curl -sI http://demo/healthz
exec n -- curl -s -d name=kube http://demo/
exec n -- curl -si -X POST http://web/
exec n -- curl -s -o /dev/null -w '%{http_code} %{method}\n' -X DELETE http://web/
exec n -- curl -s -H 'Host: shop.example' -w ' %{http_code}\n' http://demo/healthz
exec n -- curl -sSf http://demo/files/nope
exec n -- getent ahosts demo
exec c -- ping -c 2 PODIP
exec c -- ping -c 2 -W 1 CLUSTERIP
`

// What differs from run to run on Docker: dates and round trips.
var (
	dateLine = regexp.MustCompile(`Date: [^\r\n]+`)
	rtt      = regexp.MustCompile(`time=\d+\.\d{3} ms|= \d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3} ms`)
)

func checkTools(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(toolsSetup))
	m := regexp.MustCompile(`(?m)^\$ get svc demo -o jsonpath.*\n(\S+)\n\$ get pods -l app=demo.*\n(\S+) (\S+)\n`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no cluster IP and pod of demo in the output:\n%s", out.String())
	}
	ip, pod, podIP := m[1], m[2], m[3]
	out.Reset()
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(strings.NewReplacer("PODIP", podIP, "CLUSTERIP", ip).Replace(toolsScript)))
	got := rtt.ReplaceAllString(dateLine.ReplaceAllString(out.String(), "Date: DATE"), "RTT")
	hello := "kubeplay demo v1 from pod " + pod + "\n"
	want := "$ exec n -- sh -c 'curl -sv http://demo/ 2>&1'\n" +
		"* Host demo:80 was resolved.\n* IPv6: (none)\n* IPv4: " + ip + "\n*   Trying " + ip + ":80...\n" +
		"* Connected to demo (" + ip + ") port 80\n* using HTTP/1.x\n" +
		"> GET / HTTP/1.1\r\n> Host: demo\r\n> User-Agent: curl/8.14.1\r\n> Accept: */*\r\n> \r\n* Request completely sent off\n" +
		"< HTTP/1.1 200 OK\r\n< Content-Length: " + strconv.Itoa(len(hello)) + "\r\n< Content-Type: text/plain; charset=utf-8\r\n< Date: DATE\r\n< \r\n" +
		"{ [" + strconv.Itoa(len(hello)) + " bytes data]\n* Connection #0 to host demo left intact\n" + hello +
		"$ exec n -- curl -sI http://demo/healthz\n" +
		"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: text/plain; charset=utf-8\r\nDate: DATE\r\n\r\n" +
		"$ exec n -- curl -s -d name=kube http://demo/\n" +
		"kubeplay demo v1 from pod " + pod + ": POST / with 9 bytes\n" +
		"$ exec n -- curl -si -X POST http://web/\n" +
		"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 170\r\nContent-Type: text/html\r\nDate: DATE\r\n\r\n" +
		"<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n<center><h1>405 Not Allowed</h1></center>\r\n" +
		"<hr><center>nginx (kubeplay stand-in)</center>\r\n</body>\r\n</html>\r\n" +
		"$ exec n -- curl -s -o /dev/null -w '%{http_code} %{method}\\n' -X DELETE http://web/\n405 DELETE\n" +
		"$ exec n -- curl -s -H 'Host: shop.example' -w ' %{http_code}\\n' http://demo/healthz\nok\n 200\n" +
		"$ exec n -- curl -sSf http://demo/files/nope\n" +
		"curl: (22) The requested URL returned error: 404\ncommand terminated with exit code 22\n" +
		"$ exec n -- getent ahosts demo\n" +
		pad(ip) + " STREAM demo.default.svc.cluster.local\n" + pad(ip) + " DGRAM  \n" + pad(ip) + " RAW    \n" +
		"$ exec c -- ping -c 2 " + podIP + "\n" +
		"PING " + podIP + " (" + podIP + "): 56 data bytes\n64 bytes from " + podIP + ": seq=0 ttl=64 RTT\n64 bytes from " + podIP + ": seq=1 ttl=64 RTT\n" +
		"\n--- " + podIP + " ping statistics ---\n2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min/avg/max RTT\n" +
		"$ exec c -- ping -c 2 -W 1 " + ip + "\n" +
		"PING " + ip + " (" + ip + "): 56 data bytes\n\n--- " + ip + " ping statistics ---\n2 packets transmitted, 0 packets received, 100% packet loss\n" +
		"command terminated with exit code 1\n"
	if got != want {
		gl, wl := strings.SplitAfter(got, "\n"), strings.SplitAfter(want, "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Errorf("line %d: got %q, want %q", i+1, gl[i], wl[i])
				break
			}
		}
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func pad(s string) string { return s + strings.Repeat(" ", max(0, 15-len(s))) }

// TestToolsInsideThePod: curl's flags, ping and getent in a pod of the
// simulated runtime, as curl 8.14, busybox and glibc print them.
func TestToolsInsideThePod(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkTools(t, c)
}

// TestToolsInsideThePodOnDocker: the same in real containers, over real
// TCP and ICMP.
func TestToolsInsideThePodOnDocker(t *testing.T) {
	dockertest.Need(t, "curl, ping and getent inside Docker containers")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	checkTools(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1}))
}
