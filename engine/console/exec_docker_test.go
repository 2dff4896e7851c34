package console

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/guest/multicall/kubeplaytest"
	"github.com/kubeplay/kubeplay/engine/launch/launchtest"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// TestMain removes the kubeplay binary the Docker test puts in images.
func TestMain(m *testing.M) { kubeplaytest.Main(m) }

// TestExecOnTheLearnersTerminal: at the shell's prompt on Docker, `kubectl
// exec -it POD -- sh` lends what the learner types to a shell in the
// container, line by line as typed, until it exits; then the prompt has
// the input again.
func TestExecOnTheLearnersTerminal(t *testing.T) {
	dockertest.Need(t, "exec -it at the shell's prompt on Docker")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	c := launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1})
	keyboard, typing, err := os.Pipe() // stands in for the terminal (not one: no raw mode)
	if err != nil {
		t.Fatal(err)
	}
	defer keyboard.Close()
	var screen dockertest.Buffer
	con := New(c, &screen, &screen, Options{Terminal: keyboard})
	ended := make(chan int, 1)
	go func() { ended <- con.Run(LiveInput(c, keyboard)) }()
	typeLine := func(s string) {
		t.Helper()
		if _, err := io.WriteString(typing, s+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	typeLine("create deployment web --image=kubeplay/demo:v1")
	typeLine("rollout status deployment/web --timeout=2m")
	screen.Await(t, `deployment "web" successfully rolled out`, 2*time.Minute)
	typeLine("exec -it deploy/web -- sh")
	screen.Await(t, "/ # ", 20*time.Second)
	typeLine("echo answer-$((6*7)) from $HOSTNAME")
	screen.Await(t, "answer-42 from web-", 10*time.Second)
	typeLine("exit 3")
	screen.Await(t, "command terminated with exit code 3", 10*time.Second)
	typeLine("get pods --no-headers")
	screen.Await(t, "1/1   Running", 10*time.Second)
	typing.Close() // the learner's input ends: so does the shell
	select {
	case code := <-ended:
		if code != 0 {
			t.Errorf("the shell's status is %d, want 0 (its last command's, get pods)", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the shell did not end with its input")
	}
}
