package simrt

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// node is one simulated node's runtime on its own kernel.
func node(t *testing.T) (*Runtime, *sim.Kernel) {
	t.Helper()
	k := sim.NewKernel(1)
	return New(k, NewNetwork(k), NewStorage(), "node-1", 1), k
}

// runShell starts a busybox container running script in a new pod's
// sandbox and returns its ID.
func runShell(t *testing.T, rt *Runtime, pod, script string, mounts ...runtime.Mount) string {
	t.Helper()
	sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-" + pod, PodName: pod, Namespace: "default", Hostname: pod})
	if err != nil {
		t.Fatal(err)
	}
	id, err := rt.CreateContainer(sb.ID, runtime.ContainerConfig{Name: "c", Image: "busybox", Command: []string{"sh", "-c", script}, Mounts: mounts})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.StartContainer(id); err != nil {
		t.Fatal(err)
	}
	return id
}

func logsOf(t *testing.T, rt *Runtime, id string) string {
	t.Helper()
	var b strings.Builder
	if err := rt.Logs(id, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Whatever a container writes, its layer holds at most FSQuota, all the
// cluster's file systems at most DiskSize, and a removed container's
// space is free again.
func TestFileSystemQuota(t *testing.T) {
	rt, k := node(t)
	base := rt.storage.disk.Used()
	id := runShell(t, rt, "w", "sleep 3600")
	k.RunFor(0)
	fill := "x=0123456789abcdef; x=$x$x$x$x$x$x$x$x; x=$x$x$x$x$x$x$x$x; printf %s $x > /a; " +
		"while :; do cat /a /a > /b || exit 1; cat /b /b > /a || exit 2; done"
	for range 3 {
		res, err := rt.Exec(id, []string{"sh", "-c", fill}, time.Minute)
		if err != nil || res.ExitCode == 0 || !strings.Contains(string(res.Output), "cat: write error: No space left on device\n") {
			t.Fatalf("exec: %v, exit %d, output %q", err, res.ExitCode, res.Output)
		}
	}
	if used := rt.storage.disk.Used() - base; used > FSQuota {
		t.Fatalf("the container's layer holds %d bytes, more than its quota %d", used, FSQuota)
	}
	if err := rt.RemoveContainer(id); err != nil {
		t.Fatal(err)
	}
	if used := rt.storage.disk.Used(); used != base {
		t.Fatalf("after removal the disk holds %d bytes, want %d", used, base)
	}
}

// kb1 sets y to a string of 1 KiB.
const kb1 = "y=0123456789abcdef; y=$y$y$y$y; y=$y$y$y$y; y=$y$y$y$y; "

// A container whose processes hold more than its memory limit (or the
// default one, without a limit) ends OOMKilled with 137, as on a real
// node; an exec'd process over it is killed alone.
func TestOOMKilled(t *testing.T) {
	rt, k := node(t)
	var exits []runtime.Exit
	rt.OnExit(func(ex runtime.Exit) { exits = append(exits, ex) })
	start := func(pod, script string, limit int64) string {
		sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-" + pod, PodName: pod, Namespace: "default", Hostname: pod})
		if err != nil {
			t.Fatal(err)
		}
		id, err := rt.CreateContainer(sb.ID, runtime.ContainerConfig{Name: "c", Image: "busybox", Command: []string{"sh", "-c", script}, MemoryLimit: limit})
		if err != nil {
			t.Fatal(err)
		}
		if err := rt.StartContainer(id); err != nil {
			t.Fatal(err)
		}
		k.RunFor(0)
		return id
	}
	grow := "x=a; while :; do x=$x$x; done"
	id := start("w", grow, 0)
	if st, _ := rt.Status(id); st.Running || st.ExitCode != 137 || st.Reason != "OOMKilled" {
		t.Fatalf("status %+v, want OOMKilled 137", st)
	}
	if len(exits) != 1 || exits[0].Status.Reason != "OOMKilled" {
		t.Fatalf("exits %+v", exits)
	}
	two := kb1 + "x=$y; while [ ${#x} -lt 2000000 ]; do x=$x$x; done; sleep 3600"
	if st, _ := rt.Status(start("roomy", two, 0)); !st.Running {
		t.Fatalf("2 MB without a limit: %+v", st)
	}
	if st, _ := rt.Status(start("tight", two, 1<<20)); st.Running || st.Reason != "OOMKilled" {
		t.Fatalf("2 MB with a 1 MiB limit: %+v", st)
	}
	sleeper := start("s", "sleep 3600", 0)
	for range 5 {
		res, err := rt.Exec(sleeper, []string{"sh", "-c", grow}, time.Minute)
		if err != nil || res.ExitCode != 137 || !strings.Contains(string(res.Output), "out of memory") {
			t.Fatalf("exec: %v %d %q", err, res.ExitCode, res.Output)
		}
	}
	if st, _ := rt.Status(sleeper); !st.Running {
		t.Fatalf("the container of an OOM-killed exec: %+v", st)
	}
	// In the learner's language, for the main process and an exec'd one.
	rt.SetLang(bilingual.Korean)
	res, err := rt.Exec(sleeper, []string{"sh", "-c", grow}, time.Minute)
	if err != nil || res.ExitCode != 137 || !strings.Contains(string(res.Output), "메모리 부족 (이 컨테이너의 프로세스들이 합쳐서") {
		t.Fatalf("exec in Korean: %v %d %q", err, res.ExitCode, res.Output)
	}
	var logs strings.Builder
	if err := rt.Logs(start("ko", grow, 0), &logs); err != nil || !strings.Contains(logs.String(), "메모리 부족") {
		t.Fatalf("logs in Korean: %v %q", err, logs.String())
	}
	rt.SetLang(bilingual.English)

	// The container's processes share its limit, as a cgroup's do: an
	// exec beside a main process holding 2 MiB of 4 is killed when it
	// grows to 2 MiB too, and background jobs that each hold 2 MiB end
	// the container OOMKilled (each used to have the whole limit).
	hold := kb1 + "x=$y; while [ ${#x} -lt 2000000 ]; do x=$x$x; done; while :; do sleep 1; done"
	holder := start("h", hold, 4<<20)
	res, err = rt.Exec(holder, []string{"sh", "-c", two}, time.Minute)
	if err != nil || res.ExitCode != 137 || !strings.Contains(string(res.Output), "out of memory") {
		t.Fatalf("exec beside 2 MiB of 4: %v %d %q", err, res.ExitCode, res.Output)
	}
	if st, _ := rt.Status(holder); !st.Running {
		t.Fatalf("the container of an OOM-killed exec: %+v", st)
	}
	jobs := start("j", "for i in 1 2 3; do ("+hold+") & done; wait", 4<<20)
	for wall := time.Now(); time.Since(wall) < 20*time.Second; {
		if st, _ := rt.Status(jobs); !st.Running {
			break
		}
		k.RunFor(time.Second)
	}
	if st, _ := rt.Status(jobs); st.Running || st.ExitCode != 137 || st.Reason != "OOMKilled" {
		t.Fatalf("three jobs of 2 MiB with a 4 MiB limit: %+v", st)
	}
}

// What the runtime keeps of a container's log and an exec's output is
// bounded: the log keeps its latest LogMax bytes, an exec its first
// ExecOutputMax and a note.
func TestOutputBounds(t *testing.T) {
	rt, k := node(t)
	id := runShell(t, rt, "chatty", kb1+"i=0; while [ $i -lt 20000 ]; do echo $i $y; i=$((i+1)); done; echo last; sleep 3600")
	k.RunFor(0)
	logs := logsOf(t, rt, id)
	if len(logs) > LogMax || !strings.HasSuffix(logs, "\nlast\n") || !strings.HasPrefix(logs, "1") {
		t.Fatalf("log of %d bytes, starting %.20q, ending %q", len(logs), logs, logs[max(0, len(logs)-20):])
	}
	res, err := rt.Exec(id, []string{"sh", "-c", kb1 + "while :; do echo $y; done"}, time.Minute)
	if err != nil || res.ExitCode != 137 || len(res.Output) > ExecOutputMax+200 ||
		!strings.Contains(string(res.Output), "kubeplay: the simulated runtime kept the first 16 MiB") {
		t.Fatalf("exec: %v %d, %d bytes ending %q", err, res.ExitCode, len(res.Output), res.Output[max(0, len(res.Output)-200):])
	}
}

// When the cluster's disk is full, a new container cannot be made, and
// the error says why and what to do.
func TestDiskFullFailsNewContainers(t *testing.T) {
	rt, k := node(t)
	fill := "x=0123456789abcdef; x=$x$x$x$x$x$x$x$x; x=$x$x$x$x$x$x$x$x; printf %s $x > /a; " +
		"while cat /a /a > /b && cat /b /b > /a; do :; done; sleep 3600"
	for i := range DiskSize / FSQuota {
		runShell(t, rt, fmt.Sprintf("fill-%d", i), fill)
		k.RunFor(0)
	}
	sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-late", PodName: "late", Namespace: "default", Hostname: "late"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = rt.CreateContainer(sb.ID, runtime.ContainerConfig{Name: "c", Image: "busybox", Command: []string{"sleep", "1"}})
	if err == nil || !strings.Contains(err.Error(), "no space left on device (the simulated cluster's disk of 128 MiB") {
		t.Fatalf("CreateContainer on a full disk: %v", err)
	}
}

// A node gives a removed sandbox's IP back to the pool and hands out
// addresses round-robin from the last one given, as host-local does: 600
// short-lived pods in a row all get one, the just-freed address waits its
// turn, and the gateway .1 is never given.
func TestPodIPsReleasedAndReusedRoundRobin(t *testing.T) {
	rt, _ := node(t)
	for i := range 600 {
		sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: fmt.Sprint("uid-", i), PodName: fmt.Sprint("p-", i)})
		if err != nil {
			t.Fatalf("pod %d: %v", i, err)
		}
		if want := fmt.Sprintf("10.244.1.%d", 2+i%253); sb.IP != want {
			t.Fatalf("pod %d got %s, want %s", i, sb.IP, want)
		}
		if err := rt.RemoveSandbox(sb.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// With every address of the node's range in use, a new sandbox fails as
// containerd reports host-local's exhaustion; once a pod is removed, its
// address is the one the next sandbox gets.
func TestPodIPsExhausted(t *testing.T) {
	rt, _ := node(t)
	var ids []string
	for i := range 253 {
		sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: fmt.Sprint("uid-", i), PodName: fmt.Sprint("p-", i)})
		if err != nil {
			t.Fatalf("pod %d: %v", i, err)
		}
		ids = append(ids, sb.ID)
	}
	_, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-full", PodName: "full"})
	want := `rpc error: code = Unknown desc = failed to setup network for sandbox "node-1-sandbox-254": plugin type="ptp" failed (add): ` +
		"failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254"
	if err == nil || err.Error() != want {
		t.Fatalf("sandbox on a full node: %v, want %s", err, want)
	}
	if err := rt.RemoveSandbox(ids[100]); err != nil { // 10.244.1.102
		t.Fatal(err)
	}
	sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-again", PodName: "again"})
	if err != nil || sb.IP != "10.244.1.102" {
		t.Fatalf("after a removal: %v, %v, want 10.244.1.102", sb, err)
	}
}

// TestContainerIDSpellsTheFormat: containerID is built by hand; it must
// spell what the format it replaced did, or seeded runs change.
func TestContainerIDSpellsTheFormat(t *testing.T) {
	for _, n := range [][2]int{{0, 0}, {1, 1}, {7919 + 3, 1}, {1 << 47, 12345}, {1<<48 + 5, 99999}, {123456789, 10000}} {
		if got, want := containerID(n[0], n[1]), fmt.Sprintf("%012x%04d", n[0], n[1]); got != want {
			t.Errorf("containerID(%d, %d) = %s, want %s", n[0], n[1], got, want)
		}
	}
}
