package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeTeamCluster is an apiserver on a non-loopback address of this
// machine — a context no tool's name marks local — counting the requests
// it gets; its kubeconfig names it "team".
func fakeTeamCluster(t *testing.T) (kubeconfig string, requests *atomic.Int32) {
	t.Helper()
	ip := ""
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			ip = n.IP.String()
			break
		}
	}
	if ip == "" {
		t.Skip("this machine has no address but loopback, so no cluster here looks remote")
	}
	l, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skip(err)
	}
	requests = new(atomic.Int32)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, "fake", http.StatusServiceUnavailable)
	}))
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	kubeconfig = filepath.Join(t.TempDir(), "config")
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- {name: team, cluster: {server: %q}}
users:
- {name: me, user: {token: secret}}
contexts:
- {name: team, context: {cluster: team, user: me}}
current-context: team
`, srv.URL)
	if err := os.WriteFile(kubeconfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return kubeconfig, requests
}

// TestAClusterNotLocalIsNotTouchedWithoutAYes: kubeplay says where it
// would attach, and without --yes (a script cannot answer) it stops
// before sending the cluster a single request; with --yes it goes on.
func TestAClusterNotLocalIsNotTouchedWithoutAYes(t *testing.T) {
	kubeconfig, requests := fakeTeamCluster(t)
	_, errOut, code := runMain(t, "yes\nget pods\n", "shell", "--kubeconfig", kubeconfig)
	if code == 0 || !strings.Contains(errOut, "attaching to context team (server http://") ||
		!strings.Contains(errOut, "not attached to context team") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the cluster got %d requests before a yes", n)
	}
	_, errOut, code = runMain(t, "get pods\n", "shell", "--kubeconfig", kubeconfig, "--yes", "--lang", "ko")
	if requests.Load() == 0 {
		t.Errorf("--yes did not go on: exit %d, %q", code, errOut)
	}
	if code == 0 || !strings.Contains(errOut, "apiserver가 응답하지 않아요") {
		t.Errorf("a cluster that does not answer: exit %d, stderr %q", code, errOut)
	}
}

// TestALessonOrCleanupAsksBeforeTouchingAClusterNotLocal: no namespace
// is made, nor any listed, on a context not obviously local without a
// yes.
func TestALessonOrCleanupAsksBeforeTouchingAClusterNotLocal(t *testing.T) {
	kubeconfig, requests := fakeTeamCluster(t)
	for _, args := range [][]string{
		{"lesson", "--shell", "--kubeconfig", kubeconfig, "replicasets-heal"},
		{"cleanup", "--kubeconfig", kubeconfig},
	} {
		_, errOut, code := runMain(t, "yes\n", args...)
		if code == 0 || !strings.Contains(errOut, "not attached to context team") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the cluster got %d requests before a yes", n)
	}
}

// TestKUBECONFIGAloneDoesNotAttach: kubeplay's own cluster stays the
// default whatever $KUBECONFIG says.
func TestKUBECONFIGAloneDoesNotAttach(t *testing.T) {
	kubeconfig, requests := fakeTeamCluster(t)
	t.Setenv("KUBECONFIG", kubeconfig)
	out, errOut, code := runMain(t, "get nodes\n", "shell", "--runtime", "sim")
	if code != 0 || !strings.Contains(out, "node-1") || requests.Load() != 0 {
		t.Errorf("exit %d, %d requests to $KUBECONFIG's cluster, out %q, stderr %q", code, requests.Load(), out, errOut)
	}
}

func TestAttachFlagsSayWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"shell", "--context", "kind-dev"}, "--context needs --kubeconfig"},
		{[]string{"shell", "-n", "web"}, "--namespace needs --kubeconfig"},
		{[]string{"shell", "--kubeconfig", "/nonexistent", "--nodes", "5"}, "--nodes describes kubeplay's own cluster"},
		{[]string{"lesson", "--kubeconfig", "/nonexistent", "replicasets-heal"}, "reading the kubeconfig /nonexistent"},
		{[]string{"lesson", "--kubeconfig", "/nonexistent", "-n", "team", "replicasets-heal"}, "--namespace: a lesson on a real cluster plays in a namespace kubeplay makes"},
		{[]string{"lesson", "--kubeconfig", "/nonexistent", "probes"}, "lesson probes cannot play on a real cluster"},
		{[]string{"lesson", "--shell", "--kubeconfig", "/nonexistent", "-n", "team", "replicasets-heal"}, "--namespace: a lesson on a real cluster plays in a namespace kubeplay makes"},
		{[]string{"lesson", "--shell", "--kubeconfig", "/nonexistent", "probes"}, "lesson probes cannot play on a real cluster: it needs virtual time (sleep), kubeplay's demo app"},
		{[]string{"lesson", "--shell", "--kubeconfig", "/nonexistent", "probes", "--lang", "ko"}, "probes 레슨은 진짜 클러스터에서 할 수 없어요"},
		{[]string{"cleanup", "--context", "kind-dev"}, "--context and --yes need --kubeconfig"},
		{[]string{"cleanup", "--kubeconfig", "/nonexistent"}, "reading the kubeconfig /nonexistent"},
		{[]string{"shell", "--kubeconfig", "/nonexistent"}, "reading the kubeconfig /nonexistent"},
	} {
		_, errOut, code := runMain(t, "", tc.args...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", tc.args, code, errOut, tc.want)
		}
	}
}
