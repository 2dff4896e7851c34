package kubectl

import (
	"testing"
	"time"
)

const envPod = `apiVersion: v1
kind: Pod
metadata:
  name: envy
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "echo mode=$MODE password=$password; sleep 3600"]
    envFrom:
    - configMapRef: {name: app}
    - secretRef: {name: db}
`

// TestConfigMapAndSecretFeedAPod: a pod that refers to a missing
// ConfigMap waits in CreateContainerConfigError and starts once it exists.
func TestConfigMapAndSecretFeedAPod(t *testing.T) {
	runSteps(t, map[string]string{"envy.yaml": envPod, "settings.conf": "speed=fast\n"}, []step{
		{cmd: "create secret generic db --from-literal=password=s3cret", out: "secret/db created\n"},
		{cmd: "apply -f envy.yaml", out: "pod/envy created\n"},
		{cmd: "get pod envy -o jsonpath={.status.containerStatuses[0].state.waiting.reason}", wait: 2 * time.Second, out: "CreateContainerConfigError"},
		{cmd: "create configmap app --from-literal=MODE=fast --from-file=settings.conf", out: "configmap/app created\n"},
		{cmd: "get configmap app -o jsonpath='{.data.settings\\.conf}'", out: "speed=fast\n"},
		{cmd: "logs envy", wait: 15 * time.Second, out: "mode=fast password=s3cret\n"},
		{cmd: "get secret db -o jsonpath={.data.password}", out: "czNjcmV0"},
		{cmd: "create configmap bad --from-literal=oops", code: 1, err: "error: invalid literal source oops, expected key=value\n"},
		{cmd: "create configmap bad --from-file=nope.txt", code: 1, err: "error: error reading nope.txt: no such file or directory\n"},
		{cmd: "create configmap app --from-literal=A=1", code: 1, err: "Error from server (AlreadyExists): configmaps \"app\" already exists\n"},
	})
}
