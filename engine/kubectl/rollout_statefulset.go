package kubectl

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
)

// statefulSetRolloutMessage is kubectl's StatefulSetStatusViewer. The
// apiserver defaults rollingUpdate.partition, so a RollingUpdate ends in
// the "partitioned roll out" words even with partition 0, as kubectl's do.
func statefulSetRolloutMessage(sts *appsv1.StatefulSet) (string, bool, error) {
	if sts.Spec.UpdateStrategy.Type != appsv1.RollingUpdateStatefulSetStrategyType {
		return "", true, fmt.Errorf("rollout status is only available for %s strategy type", appsv1.RollingUpdateStatefulSetStrategyType)
	}
	st := sts.Status
	if st.ObservedGeneration == 0 || sts.Generation > st.ObservedGeneration {
		return "Waiting for statefulset spec update to be observed...\n", false, nil
	}
	if r := sts.Spec.Replicas; r != nil && st.ReadyReplicas < *r {
		return fmt.Sprintf("Waiting for %d pods to be ready...\n", *r-st.ReadyReplicas), false, nil
	}
	if ru := sts.Spec.UpdateStrategy.RollingUpdate; ru != nil {
		if r := sts.Spec.Replicas; r != nil && ru.Partition != nil && st.UpdatedReplicas < *r-*ru.Partition {
			return fmt.Sprintf("Waiting for partitioned roll out to finish: %d out of %d new pods have been updated...\n",
				st.UpdatedReplicas, *r-*ru.Partition), false, nil
		}
		return fmt.Sprintf("partitioned roll out complete: %d new pods have been updated...\n", st.UpdatedReplicas), true, nil
	}
	if st.UpdateRevision != st.CurrentRevision {
		return fmt.Sprintf("waiting for statefulset rolling update to complete %d pods at revision %s...\n",
			st.UpdatedReplicas, st.UpdateRevision), false, nil
	}
	return fmt.Sprintf("statefulset rolling update complete %d pods at revision %s...\n", st.CurrentReplicas, st.CurrentRevision), true, nil
}
