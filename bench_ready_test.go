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
				total += readyOnce(b, bin, rt)
				n++
			}
			b.ReportMetric(total.Seconds()/float64(n), "s/ready")
		})
	}
}

func readyOnce(b *testing.B, bin, rt string) time.Duration {
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
	io.WriteString(in, deployment3)
	until("condition met", 3)
	took := time.Since(begin)
	in.Close()
	go io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		b.Fatalf("%s: %v", rt, err)
	}
	return took
}
