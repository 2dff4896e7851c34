package lessons

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/sim/simtest"
)

// TestMarkedHopAfterASlowCommand: in real time a command can take wall
// time the kernel does not see until it next looks at its clock (on
// Docker `node add` makes the node's network, about a second). The hops
// that follow must still stop at the step's marks: the wait counts its
// limit from the caught-up time, not from before the command. It failed
// on CI as "marked hops never met: steps[2].pause_on[0]" in the
// daemonsets lesson on Docker.
func TestMarkedHopAfterASlowCommand(t *testing.T) {
	t.Setenv(configdir.Env, t.TempDir())
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	l, err := Find(all, "daemonsets", "en")
	if err != nil {
		t.Fatal(err)
	}
	clock := simtest.NewJumpClock(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC))
	c, err := cluster.New(cluster.Options{Seed: 1, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := configdir.Dir()
	prog, notice := LoadProgress(dir, bilingual.English)
	if notice != "" {
		t.Fatal(notice)
	}
	var out, errOut bytes.Buffer
	sh := newShell(c, l, strings.NewReader(""), ShellOptions{Lang: bilingual.English, Progress: prog, Out: &out, Err: &errOut})
	for step := 0; step < 2; step++ {
		if !sh.handle("try") && sh.r.Index() != step+1 {
			t.Fatalf("step %d did not pass:\n%s\n%s", step+1, out.String(), errOut.String())
		}
	}
	if _, err := c.AddNode("", "", ""); err != nil {
		t.Fatal(err)
	}
	clock.Pass(time.Second) // the node's runtime took a second to make
	sh.wait(console.ThinkTime, sh.r.Met)
	sh.wait(sh.r.Within(), sh.r.Met)
	if !sh.r.Met() {
		t.Fatalf("step 3's check never held:\n%s", out.String())
	}
	if !sh.r.fired[[2]int{2, 0}] {
		t.Errorf("the DaemonSet controller's create for the new node was delivered without its explanation:\n%s", out.String())
	}
}
