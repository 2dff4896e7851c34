package kubectl

import (
	"io/fs"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/assets"
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

// TestApplyDocsExampleURL: the documentation's `kubectl apply -f
// https://k8s.io/examples/…` applies kubeplay's embedded copy and says so,
// in the learner's language; any other URL is refused with a way out.
func TestApplyDocsExampleURL(t *testing.T) {
	runSteps(t, nil, []step{
		{cmd: "apply -f https://k8s.io/examples/controllers/job.yaml", out: "job.batch/pi created\n",
			err: "kubeplay: no internet here, so this is kubeplay's own copy of the documentation's example (assets/examples/job.yaml)\n"},
		{cmd: "apply -f https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/application/web/web.yaml",
			out: "service/nginx created\nstatefulset.apps/web created\n",
			err: "kubeplay: no internet here, so this is kubeplay's own copy of the documentation's example (assets/examples/web-statefulset.yaml)\n"},
		{cmd: "apply -f https://example.com/app.yaml", code: 1,
			err: "error: kubeplay cannot fetch https://example.com/app.yaml: the playground has no internet access; save the manifest to a file and use -f FILE\n"},
	})
}

// TestDocsExamplesAreEmbedded: every URL of the table names a file the
// binary holds (a renamed asset would turn the docs' step into an error).
func TestDocsExamplesAreEmbedded(t *testing.T) {
	for path, embedded := range docsExamples {
		if _, err := fs.ReadFile(assets.FS, embedded); err != nil {
			t.Errorf("%s → %s: %v", path, embedded, err)
		}
		if got := docsExamplePath("https://kubernetes.io/examples/" + path); got != path {
			t.Errorf("docsExamplePath(kubernetes.io/examples/%s) = %q", path, got)
		}
	}
}

// TestSetResources: `kubectl set resources` gives a template's containers
// requests and limits (what an HPA measures cpu against), keeping the ones
// not named, with kubectl's errors.
func TestSetResources(t *testing.T) {
	runSteps(t, nil, []step{
		{cmd: "create deployment web --image=nginx", out: "deployment.apps/web created\n"},
		{cmd: "set resources deployment web --requests=cpu=200m,memory=64Mi", out: "deployment.apps/web resource requirements updated\n"},
		{cmd: "set resources deploy/web -c nginx --limits=cpu=500m", out: "deployment.apps/web resource requirements updated\n"},
		{cmd: "get deploy web -o jsonpath={.spec.template.spec.containers[0].resources}",
			out: `{"limits":{"cpu":"500m"},"requests":{"cpu":"200m","memory":"64Mi"}}`},
		{cmd: "get deploy web -o jsonpath={.metadata.generation}", out: "3"},
		{cmd: "set resources deployment web", code: 1, err: "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n"},
		{cmd: "set resources deployment web -c nope --limits=cpu=1", code: 1, err: "error: unable to find container named nope\n"},
		{cmd: "set resources deployment web --limits=cpu=abc", code: 1,
			err: "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"},
	})
}
