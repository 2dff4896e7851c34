package kubectl

import "testing"

const deploymentInProject1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: project1
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: kubeplay/demo:v1
`

const bareReplicaSet = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
spec:
  replicas: 1
  selector:
    matchLabels: {tier: frontend}
  template:
    metadata:
      labels: {tier: frontend}
    spec:
      containers:
      - name: web
        image: kubeplay/demo:v1
`

// TestRealClusterWording: what a real cluster's kubectl prints for the
// same manifests (issue 13, item 16).
func TestRealClusterWording(t *testing.T) {
	runSteps(t, map[string]string{"web.yaml": deploymentInProject1, "rs.yaml": bareReplicaSet}, []step{
		{cmd: "apply -f web.yaml", code: 1,
			err: "Error from server (NotFound): error when creating \"web.yaml\": namespaces \"project1\" not found\n"},
		{cmd: "apply -f rs.yaml", out: "replicaset.apps/frontend created\n"},
		{cmd: "rollout status rs/frontend", code: 1, err: "error: no status viewer has been implemented for ReplicaSet.apps\n"},
		{cmd: "rollout status replicaset frontend", code: 1, err: "error: no status viewer has been implemented for ReplicaSet.apps\n"},
		{cmd: "rollout history rs/frontend", code: 1, err: "error: no history viewer has been implemented for \"ReplicaSet.apps\"\n"},
		{cmd: "rollout undo rs/frontend", code: 1, err: "error: no rollbacker has been implemented for \"ReplicaSet.apps\"\n"},
		{cmd: "rollout pause rs/frontend", code: 1, err: "error: replicasets.apps \"frontend\" pausing is not supported\n"},
		{cmd: "rollout status pod/frontend", code: 1, err: "Error from server (NotFound): pods \"frontend\" not found\n"},
	})
}
