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
		{cmd: "create configmap app --from-literal=A=1", code: 1, err: "error: failed to create configmap: configmaps \"app\" already exists\n"},
	})
}

const volumePod = `apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "cat /etc/app/mode.txt; echo; cat /etc/secret/token; echo; sleep 3600"]
    volumeMounts:
    - {name: config, mountPath: /etc/app}
    - {name: creds, mountPath: /etc/secret, readOnly: true}
  volumes:
  - name: config
    configMap:
      name: app
      items: [{key: MODE, path: mode.txt}]
  - name: creds
    secret: {secretName: tok}
---
apiVersion: v1
kind: Secret
metadata:
  name: tok
stringData:
  token: abc123
`

// TestConfigMapAndSecretVolumes: the keys become files; a missing
// ConfigMap fails the mount (FailedMount) until it exists; stringData is
// stored as data.
func TestConfigMapAndSecretVolumes(t *testing.T) {
	runSteps(t, map[string]string{"reader.yaml": volumePod}, []step{
		{cmd: "apply -f reader.yaml", out: "pod/reader created\nsecret/tok created\n"},
		{cmd: `get events -o jsonpath='{.items[?(@.reason=="FailedMount")].message}'`, wait: 2 * time.Second,
			out: `MountVolume.SetUp failed for volume "config" : configmap "app" not found`},
		{cmd: "get pod reader -o jsonpath={.status.containerStatuses[0].state.waiting.reason}", out: "ContainerCreating"},
		{cmd: "create configmap app --from-literal=MODE=fast", out: "configmap/app created\n"},
		{cmd: "logs reader", wait: 15 * time.Second, out: "fast\nabc123\n"},
		{cmd: "get secret tok -o jsonpath={.data.token}", out: "YWJjMTIz"},
		{cmd: "exec reader -- sh -c 'echo x > /etc/secret/new'", code: 1,
			out: "sh: can't create /etc/secret/new: Read-only file system\n", err: "command terminated with exit code 1\n"},
	})
}
