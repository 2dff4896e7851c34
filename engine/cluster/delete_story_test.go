package cluster

import (
	"fmt"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// TestDeleteWhileStarting: a pod deleted at any moment of its start — its
// image pull, sandbox, container create or start in flight — is stopped
// and gone within its grace period, as `delete pod x` right after `run x`
// must leave no pod Terminating for ever.
func TestDeleteWhileStarting(t *testing.T) {
	for _, busy := range []sim.Verb{sim.VerbPull, sim.VerbRunSandbox, sim.VerbCreate, sim.VerbStart} {
		t.Run(busy.String(), func(t *testing.T) {
			c := newCluster(t, Options{Nodes: 1})
			inFlight := false
			c.k.Observe(func(h sim.Hop) {
				if h.Verb == busy && h.From.Kind() == sim.KindKubelet {
					inFlight = true
				}
				if h.Verb == busy.Done() {
					inFlight = false
				}
			})
			p := pod("x", "kubeplay/demo:v1")
			p.Spec.Containers[0].ImagePullPolicy = corev1.PullAlways // its pull is the first call
			create(t, c, p)
			waitFor(t, c, 5*time.Second, busy.String()+" in flight", func() bool { return inFlight })
			call(t, c, apiserver.Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: "default", Name: "x"})
			waitFor(t, c, 40*time.Second, "pod x gone after its delete with "+busy.String()+" in flight", func() bool {
				_, err := c.api.Get(resPods, "default", "x")
				return apierrors.IsNotFound(err)
			})
		})
	}
}

// TestDeleteWhileStartingAQuickExit: a container whose command ends at
// once ends while its start is still in flight; deleted then, its pod is
// gone all the same — no exit is to come after the start returns.
func TestDeleteWhileStartingAQuickExit(t *testing.T) {
	c := newCluster(t, Options{Nodes: 1})
	inFlight, exited := false, false
	c.k.Observe(func(h sim.Hop) {
		switch {
		case h.Verb == sim.VerbStart && h.From.Kind() == sim.KindKubelet:
			inFlight = true
		case h.Verb == sim.VerbStart.Done():
			inFlight = false
		case h.Verb == sim.VerbExited && inFlight:
			exited = true
		}
	})
	create(t, c, busyboxPod("quick", "exit 0"))
	waitFor(t, c, 5*time.Second, "the container's exit with its start in flight", func() bool { return exited && inFlight })
	call(t, c, apiserver.Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: "default", Name: "quick"})
	waitFor(t, c, 40*time.Second, "pod quick gone after its delete", func() bool {
		_, err := c.api.Get(resPods, "default", "quick")
		return apierrors.IsNotFound(err)
	})
}

// TestStaleKubeletWritesSpareANewPod: a pod deleted and made again under
// the same name is another pod (another UID); what the kubelet still had
// in flight for the old one — a status write, the final delete — must not
// land on the new one.
func TestStaleKubeletWritesSpareANewPod(t *testing.T) {
	c := newCluster(t, Options{Nodes: 1})
	create(t, c, pod("x", "kubeplay/demo:v1"))
	c.k.RunFor(5 * time.Second)
	old := getPod(t, c, "x")
	call(t, c, apiserver.Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: "default", Name: "x", Grace: new(int64)})
	fresh := pod("x", "kubeplay/demo:v1")
	fresh.Spec.NodeName = "" // the scheduler places it
	create(t, c, fresh)
	now := getPod(t, c, "x")
	if now.UID == old.UID {
		t.Fatalf("the new pod has the old one's UID %s", old.UID)
	}

	stale := old.DeepCopy()
	stale.ResourceVersion = ""
	stale.Status.Message = "written for the old pod"
	_, err := send(c, apiserver.Request{Verb: sim.VerbUpdateStatus, Object: stale, Preconditions: apiserver.UIDPrecondition(old)})
	if !apierrors.IsConflict(err) {
		t.Errorf("status write for the old pod onto the new one: %v, want a Conflict", err)
	}
	zero := int64(0)
	_, err = send(c, apiserver.Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: "default", Name: "x", Grace: &zero,
		Preconditions: apiserver.UIDPrecondition(old)})
	want := fmt.Sprintf(`Operation cannot be fulfilled on pods "x": Precondition failed: UID in precondition: %s, UID in object meta: %s`, old.UID, now.UID)
	if !apierrors.IsConflict(err) || err.Error() != want {
		t.Errorf("delete for the old pod: %v, want %q", err, want)
	}
	if got := getPod(t, c, "x"); got.UID != now.UID || got.Status.Message != "" {
		t.Errorf("the new pod was touched: uid %s, message %q", got.UID, got.Status.Message)
	}
}
