package controller

import (
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// createPod asks for a pod of owner's, expecting it, and records
// SuccessfulCreate or FailedCreate on the owner as source; done hears
// whether it was created.
func (m *Manager) createPod(owner runtime.Object, source string, pod *corev1.Pod, why string, e *expectations, done func(ok bool)) {
	e.creates[pod.Name] = struct{}{}
	m.submit(apiserver.Request{Verb: sim.VerbCreate, Object: pod, Why: why, Done: func(_ runtime.Object, err error) {
		if err != nil {
			delete(e.creates, pod.Name)
			m.api.Record(owner, corev1.EventTypeWarning, "FailedCreate", source, "Error creating: "+err.Error())
		} else {
			m.api.Record(owner, corev1.EventTypeNormal, "SuccessfulCreate", source, "Created pod: "+pod.Name)
		}
		done(err == nil)
	}})
}

// deletePod deletes a pod of owner's, expecting it, and records
// SuccessfulDelete on the owner as source.
func (m *Manager) deletePod(owner runtime.Object, source string, pod *corev1.Pod, why string, e *expectations) {
	e.deletes[pod.Name] = struct{}{}
	m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: pod.Namespace, Name: pod.Name, Why: why,
		Done: func(_ runtime.Object, err error) {
			if err != nil {
				delete(e.deletes, pod.Name)
				return
			}
			m.api.Record(owner, corev1.EventTypeNormal, "SuccessfulDelete", source, "Deleted pod: "+pod.Name)
		}})
}

// liveOwner is the object key names, for a reconciler that creates and
// deletes pods under expectations: ok is false when it is gone (its
// expectations are forgotten with it) or being deleted (the garbage
// collector takes its pods; nothing is left to reconcile).
func liveOwner[T metav1.Object](m *Manager, res *apiserver.Resource, key Key, expect expectationSet) (owner T, ok bool) {
	obj, err := m.api.Get(res, key.Namespace, key.Name)
	if err != nil {
		delete(expect, key.Namespace+"/"+key.Name)
		return owner, false
	}
	owner = obj.(T)
	return owner, owner.GetDeletionTimestamp() == nil
}
