package controller

import (
	"fmt"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	batchv1 "k8s.io/api/batch/v1"
)

// ttlAfterFinished is the TTL-after-finished controller: a Job with
// ttlSecondsAfterFinished is deleted that long after it completed or
// failed, and the garbage collector takes its pods.
type ttlAfterFinished struct{ m *Manager }

func installTTLAfterFinished(m *Manager) {
	c := ttlAfterFinished{m}
	m.Register(Controller{Name: "ttl-after-finished-controller", Order: 65, Reconciler: c, Watches: []Watch{
		{Object: &batchv1.Job{}, Keys: ownKey},
	}})
}

// Reconcile deletes the Job when its time is up, or looks again then.
func (c ttlAfterFinished) Reconcile(key Key) Result {
	obj, err := c.m.api.Get(resJobs, key.Namespace, key.Name)
	if err != nil {
		return Result{}
	}
	j := obj.(*batchv1.Job)
	finished, ok := JobFinishedAt(j)
	if !ok || j.Spec.TTLSecondsAfterFinished == nil || j.DeletionTimestamp != nil {
		return Result{}
	}
	ttl := time.Duration(*j.Spec.TTLSecondsAfterFinished) * time.Second
	if wait := finished.Add(ttl).Sub(c.m.k.Now()); wait > 0 {
		return Result{RequeueAfter: wait, Why: fmt.Sprintf("job %s: ttlSecondsAfterFinished %d", j.Name, *j.Spec.TTLSecondsAfterFinished)}
	}
	c.m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resJobs, Namespace: j.Namespace, Name: j.Name,
		Why: fmt.Sprintf("finished %s ago, ttlSecondsAfterFinished %d → delete the job", c.m.k.Now().Sub(finished).Round(time.Second), *j.Spec.TTLSecondsAfterFinished)})
	return Result{}
}
