// Package realk8stest starts a real Kubernetes control plane for a test —
// kube-apiserver, kube-controller-manager and kube-scheduler built from
// upstream's Go module, etcd, and KWOK for nodes — through the project's
// script (.ci/realk8s.sh), on loopback ports of its own, and stops it when
// the test ends, checking that none of its processes is left.
//
// Building it takes about 15 minutes the first time (.ci/realk8s.sh
// build caches the binaries outside the repository, by version), so a test
// that needs it skips, saying how to build it, when it is not built, except
// under CI=true, where .ci/run builds it first and a skip would hide a
// failure.
package realk8stest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The contexts of the kubeconfig the script writes.
const (
	// AdminContext is a user in system:masters, as kubeadm's admin.conf.
	AdminContext = "realk8s"
	// LearnerContext is a user with no role bound: RBAC refuses it
	// everything until a test binds one.
	LearnerContext = "realk8s-learner"
	// LearnerUser is that user's name, for a RoleBinding.
	LearnerUser = "learner"
)

// ControlPlane is a running control plane.
type ControlPlane struct {
	// Kubeconfig is the path of its kubeconfig (contexts AdminContext,
	// the current one, and LearnerContext).
	Kubeconfig string
	// Server is the apiserver's URL.
	Server string
	// Nodes are KWOK's fake nodes, Ready.
	Nodes []string

	script string
	env    []string
	run    string
}

// Script is the path of .ci/realk8s.sh, found from the working directory
// up (a test runs in its package's folder).
func Script() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, ".ci", "realk8s.sh")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf(".ci/realk8s.sh not found above the working directory")
		}
		dir = up
	}
}

// Need skips t when the control plane is not built, saying how to build
// it; under CI=true it fails t instead.
func Need(t testing.TB) string {
	t.Helper()
	script, err := Script()
	if err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(script, "built").Run(); err != nil {
		msg := "no real control plane is built: run .ci/realk8s.sh build (about 15 minutes the first time; cached outside the repository by version)"
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true: " + msg)
		}
		t.Skip(msg)
	}
	return script
}

// Start starts a control plane with nodes KWOK nodes for t, in a folder of
// t's, and stops it when t ends. It skips t when the control plane is not
// built (see Need).
func Start(t testing.TB, nodes int) *ControlPlane {
	t.Helper()
	script := Need(t)
	run := t.TempDir() // removed after the Cleanup below has stopped everything
	ports := freePorts(t, 3)
	cp := &ControlPlane{
		Kubeconfig: filepath.Join(run, "kubeconfig"),
		Server:     "https://127.0.0.1:" + strconv.Itoa(ports[2]),
		script:     script,
		run:        run,
		env: append(os.Environ(),
			"KUBEPLAY_REALK8S_RUN="+run,
			"KUBEPLAY_REALK8S_ETCD_PORT="+strconv.Itoa(ports[0]),
			"KUBEPLAY_REALK8S_ETCD_PEER_PORT="+strconv.Itoa(ports[1]),
			"KUBEPLAY_REALK8S_API_PORT="+strconv.Itoa(ports[2]),
			"KUBEPLAY_REALK8S_NODES="+strconv.Itoa(nodes)),
	}
	for i := 1; i <= nodes; i++ {
		cp.Nodes = append(cp.Nodes, "node-"+strconv.Itoa(i))
	}
	t.Cleanup(func() { cp.Stop(t) })
	if out, err := cp.do("up"); err != nil {
		t.Fatalf("starting the control plane: %v\n%s\n%s", err, out, cp.logTails())
	}
	return cp
}

// Stop stops every process Start started and fails t if one outlives it.
// It is safe to call twice (Start's Cleanup calls it).
func (cp *ControlPlane) Stop(t testing.TB) {
	t.Helper()
	pids := cp.PIDs()
	if out, err := cp.do("down"); err != nil {
		t.Errorf("stopping the control plane: %v\n%s", err, out)
	}
	for name, pid := range pids {
		if alive(pid) {
			t.Errorf("%s (pid %d) still runs after the control plane was stopped", name, pid)
		}
	}
}

// Components are the processes of a control plane, in the order they start.
var Components = []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"}

// PIDs are the processes running now, by component.
func (cp *ControlPlane) PIDs() map[string]int {
	pids := map[string]int{}
	for _, n := range Components {
		b, err := os.ReadFile(filepath.Join(cp.run, n+".pid"))
		if err != nil {
			continue
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && alive(pid) {
			pids[n] = pid
		}
	}
	return pids
}

func (cp *ControlPlane) do(args ...string) ([]byte, error) {
	cmd := exec.Command(cp.script, args...)
	cmd.Env = cp.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// logTails are the last lines of each component's log, for a failure.
func (cp *ControlPlane) logTails() string {
	var b strings.Builder
	for _, n := range Components {
		log, err := os.ReadFile(filepath.Join(cp.run, "logs", n+".log"))
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(log)), "\n")
		fmt.Fprintf(&b, "--- %s\n%s\n", n, strings.Join(lines[max(0, len(lines)-15):], "\n"))
	}
	return b.String()
}

// alive reports whether pid is a running process (a zombie counts as gone).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	return len(fields) == 0 || fields[0] != "Z"
}

// freePorts are n loopback ports nobody listens on now: the kernel picks
// them, so parallel runs (and other helpers' clusters) do not collide.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// Wait polls cond every 100ms until it holds or limit passes.
func Wait(t testing.TB, limit time.Duration, what string, cond func() (bool, error)) {
	t.Helper()
	end := time.Now().Add(limit)
	for {
		ok, err := cond()
		if ok {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("after %v, still waiting for %s (last error: %v)", limit, what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
