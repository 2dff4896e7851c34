package main

import (
	"bufio"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// deployment3 applies a Deployment of three demo pods and waits for them.
const deployment3 = `apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bench
spec:
  replicas: 3
  selector:
    matchLabels: {app: bench}
  template:
    metadata:
      labels: {app: bench}
    spec:
      containers:
      - name: demo
        image: kubeplay/demo:v1
        ports:
        - containerPort: 8080
EOF
wait --for=condition=Ready pod -l app=bench --timeout=60s
`

// BenchmarkDeploymentReady is `apply` of a Deployment of three demo pods
// until all three are Ready, timed from outside a real kubeplay shell
// (wall clock), on the simulated runtime and on Docker. Start-up (image
// builds) and teardown are not counted: the clock starts once the shell
// has answered a first command.
func BenchmarkDeploymentReady(b *testing.B) {
	bin := kubeplayBinary(b)
	for _, rt := range []string{"sim", "docker"} {
		b.Run(rt, func(b *testing.B) {
			if rt == "docker" {
				dockertest.Need(b, "the Docker benchmark")
			}
			var total time.Duration
			n := 0
			for b.Loop() {
				total += readyOnce(b, bin, rt, deployment3, "condition met", 3)
				n++
			}
			b.ReportMetric(total.Seconds()/float64(n), "s/ready")
		})
	}
}

// readyOnce times one script in a fresh shell, from its first line to
// the n-th line of output that contains done.
func readyOnce(b *testing.B, bin, rt, script, done string, n int) time.Duration {
	b.StopTimer()
	defer b.StartTimer()
	cmd := exec.Command(bin, "shell", "--runtime", rt, "--strict")
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	until := func(want string, n int) {
		for n > 0 && lines.Scan() {
			if strings.Contains(lines.Text(), want) {
				n--
			}
		}
		if n > 0 {
			b.Fatalf("%s: the shell ended before %q", rt, want)
		}
	}
	io.WriteString(in, "get nodes\n")
	until("node-1", 1)
	begin := time.Now()
	io.WriteString(in, script)
	until(done, n)
	took := time.Since(begin)
	in.Close()
	go io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		b.Fatalf("%s: %v", rt, err)
	}
	return took
}

// statefulSet3 applies a StatefulSet of three demo pods, each with its
// own 1Gi claim, and waits for its rollout (OrderedReady: one pod after
// another, each Ready before the next).
const statefulSet3 = `apply -f - <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: bench
spec:
  serviceName: bench
  replicas: 3
  selector:
    matchLabels: {app: bench}
  template:
    metadata:
      labels: {app: bench}
    spec:
      containers:
      - name: demo
        image: kubeplay/demo:v1
        volumeMounts:
        - name: data
          mountPath: /data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
EOF
rollout status statefulset/bench --timeout=60s
`

// BenchmarkStatefulSetReady is issue 17's figure: `apply` of a StatefulSet
// of three pods with their claims until all three are Ready (wall clock,
// from outside a real kubeplay shell), on both runtimes.
func BenchmarkStatefulSetReady(b *testing.B) {
	bin := kubeplayBinary(b)
	for _, rt := range []string{"sim", "docker"} {
		b.Run(rt, func(b *testing.B) {
			if rt == "docker" {
				dockertest.Need(b, "the Docker benchmark")
			}
			var total time.Duration
			n := 0
			for b.Loop() {
				total += readyOnce(b, bin, rt, statefulSet3, "roll out complete", 1)
				n++
			}
			b.ReportMetric(total.Seconds()/float64(n), "s/ready")
		})
	}
}
