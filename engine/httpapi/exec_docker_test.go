package httpapi

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/guest/multicall/kubeplaytest"
	"github.com/kubeplay/kubeplay/engine/launch/launchtest"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"

	"k8s.io/client-go/tools/remotecommand"
	"k8s.io/client-go/util/exec"
)

// TestMain removes the kubeplay binary the Docker tests put in images.
func TestMain(m *testing.M) { kubeplaytest.Main(m) }

// serveOnDocker is serve with the pods as real containers. Nothing of the
// cluster is left on the daemon when the test ends.
func serveOnDocker(t testing.TB) *served {
	t.Helper()
	dockertest.Need(t, "exec on Docker through the HTTP API")
	c := launchtest.DockerCluster(t, cluster.Options{Seed: 1})
	return serveCluster(t, c) // its cleanup runs first: the kernel stops, then the runtime
}

// fixedSize is a terminal that never changes size.
type fixedSize struct{ sent bool }

func (f *fixedSize) Next() *remotecommand.TerminalSize {
	if f.sent {
		return nil
	}
	f.sent = true
	return &remotecommand.TerminalSize{Width: 100, Height: 30}
}

// TestExecOnDocker: on real containers exec streams as it runs, over
// both protocols: stdout and stderr apart, stdin to its end, the exit
// code, and an interactive shell on a terminal (kubectl exec -it) that
// answers each line as it is typed.
func TestExecOnDocker(t *testing.T) {
	sv := serveOnDocker(t)
	sv.running(t, counterPod)
	for _, spdy := range []bool{false, true} {
		var out, errOut dockertest.Buffer
		err := sv.execWith(t, spdy, remotecommand.StreamOptions{Stdout: &out, Stderr: &errOut}, "sh", "-c", "echo out; echo err >&2; exit 3")
		var code exec.CodeExitError
		if !errors.As(err, &code) || code.Code != 3 || out.String() != "out\n" || errOut.String() != "err\n" {
			t.Errorf("spdy=%v: exec = stdout %q, stderr %q, %v; want out, err and exit code 3", spdy, out.String(), errOut.String(), err)
		}
		out = dockertest.Buffer{}
		err = sv.execWith(t, spdy, remotecommand.StreamOptions{Stdin: strings.NewReader("hello\n"), Stdout: &out}, "sh", "-c", "cat; echo done")
		if err != nil || out.String() != "hello\ndone\n" {
			t.Errorf("spdy=%v: exec -i = %q, %v; want hello and done", spdy, out.String(), err)
		}

		term := &dockertest.Buffer{}
		stdin, typed := io.Pipe()
		ended := make(chan error, 1)
		go func() {
			ended <- sv.execWith(t, spdy, remotecommand.StreamOptions{Stdin: stdin, Stdout: term, Tty: true, TerminalSizeQueue: &fixedSize{}}, "sh")
		}()
		_, _ = io.WriteString(typed, "echo answer-$((6*7))\n")
		term.Await(t, "answer-42", 10*time.Second) // while the shell runs
		_, _ = io.WriteString(typed, "exit 5\n")
		select {
		case err := <-ended:
			if !errors.As(err, &code) || code.Code != 5 {
				t.Errorf("spdy=%v: exec -it ended with %v, want exit code 5", spdy, err)
			}
		case <-time.After(15 * time.Second):
			t.Fatalf("spdy=%v: exec -it did not end after exit", spdy)
		}
		_ = typed.Close()
	}
}
