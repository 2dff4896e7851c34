package kubectl

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"

	"mvdan.cc/sh/v3/shell"
)

const busyboxPod = `apiVersion: v1
kind: Pod
metadata:
  name: counter
  labels:
    app: counter
spec:
  containers:
  - name: count
    image: busybox
    command: ["sh", "-c", "i=0; while true; do echo line $i; i=$((i+1)); sleep 5; done"]
`

const twoContainers = `apiVersion: v1
kind: Pod
metadata:
  name: duo
spec:
  containers:
  - name: a
    image: busybox
    command: ["sh", "-c", "echo from a; sleep 3600"]
  - name: b
    image: busybox
    command: ["sh", "-c", "echo from b; sleep 3600"]
`

const crasher = `apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "echo starting; exit 1"]
`

// step is one command of a scenario and what it must print.
type step struct {
	cmd       string
	wait      time.Duration // cluster time to run before the command
	out, err  string
	code      int
	outPrefix string // when the output is long, its start
}

// runSteps runs a scenario on a fresh seeded cluster and checks every
// step's stdout, stderr and exit code exactly.
func runSteps(t *testing.T, files map[string]string, steps []step) {
	t.Helper()
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	s := &Session{C: c, Out: &out, Err: &errOut, WatchFor: 12 * time.Second,
		ReadFile: func(name string) ([]byte, error) {
			if f, ok := files[name]; ok {
				return []byte(f), nil
			}
			return nil, os.ErrNotExist
		},
		ReadDir: func(string) ([]string, error) { return nil, os.ErrNotExist },
	}
	for _, st := range steps {
		c.RunFor(st.wait)
		out.Reset()
		errOut.Reset()
		args, err := shell.Fields(st.cmd, nil)
		if err != nil {
			t.Fatal(err)
		}
		code := s.Exec(args)
		c.RunFor(100 * time.Millisecond)
		if st.outPrefix != "" {
			if !strings.HasPrefix(out.String(), st.outPrefix) {
				t.Errorf("%s: stdout\n%s\nwant prefix\n%s", st.cmd, out.String(), st.outPrefix)
			}
		} else if out.String() != st.out {
			t.Errorf("%s: stdout\n%q\nwant\n%q", st.cmd, out.String(), st.out)
		}
		if errOut.String() != st.err {
			t.Errorf("%s: stderr\n%q\nwant\n%q", st.cmd, errOut.String(), st.err)
		}
		if code != st.code {
			t.Errorf("%s: exit %d, want %d", st.cmd, code, st.code)
		}
	}
}

func TestLogs(t *testing.T) {
	files := map[string]string{"counter.yaml": busyboxPod, "duo.yaml": twoContainers, "crash.yaml": crasher}
	runSteps(t, files, []step{
		{cmd: "apply -f counter.yaml", out: "pod/counter created\n"},
		{cmd: "logs counter", code: 1,
			err: "Error from server (BadRequest): container \"count\" in pod \"counter\" is waiting to start: ContainerCreating\n"},
		{cmd: "logs counter", wait: 11 * time.Second, out: "line 0\nline 1\nline 2\n"},
		{cmd: "logs counter --tail 1", out: "line 2\n"},
		{cmd: "logs counter -p", code: 1,
			err: "Error from server (BadRequest): previous terminated container \"count\" in pod \"counter\" not found\n"},
		{cmd: "logs counter -f --tail 0", out: "line 3\nline 4\n"},
		{cmd: "logs counter -c nope", code: 1, err: "error: container nope is not valid for pod counter\n"},
		{cmd: "logs nope", code: 1, err: "Error from server (NotFound): pods \"nope\" not found\n"},
		{cmd: "logs", code: 1, err: "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n"},
		{cmd: "apply -f duo.yaml", out: "pod/duo created\n"},
		{cmd: "logs duo", wait: 3 * time.Second, out: "from a\n", err: "Defaulted container \"a\" out of: a, b\n"},
		{cmd: "logs duo -c b", out: "from b\n"},
		{cmd: "apply -f crash.yaml", out: "pod/crash created\n"},
		{cmd: "logs crash -p", wait: 15 * time.Second, out: "starting\n"},
	})
}

// TestNamespaceFlagIsForOneCommand: -n scopes the command it is on, and
// the next command without it is in the default namespace again.
func TestNamespaceFlagIsForOneCommand(t *testing.T) {
	runSteps(t, nil, []step{
		{cmd: "create namespace shop", out: "namespace/shop created\n"},
		{cmd: "create deployment web --image=kubeplay/demo:v1 -n shop", out: "deployment.apps/web created\n"},
		{cmd: "get deployments", err: "No resources found in default namespace.\n"},
		{cmd: "get deployments -n shop", outPrefix: "NAME   READY"},
	})
}

func TestExec(t *testing.T) {
	runSteps(t, map[string]string{"counter.yaml": busyboxPod}, []step{
		{cmd: "apply -f counter.yaml", out: "pod/counter created\n"},
		{cmd: "exec counter -- echo hi", code: 1, err: "error: unable to upgrade connection: container not found (\"count\")\n"},
		{cmd: "exec counter -- echo hi", wait: 3 * time.Second, out: "hi\n"},
		{cmd: "exec counter -- sh -c 'exit 3'", code: 3, err: "command terminated with exit code 3\n"},
		{cmd: "exec counter -- false", code: 1, err: "command terminated with exit code 1\n"},
		// busybox has wget, no curl: the container runtime finds no such
		// program (Docker's words, exit 126), busybox's shell says so in
		// its own (127).
		{cmd: "exec counter -- curl -s http://localhost/", code: 126,
			out: "OCI runtime exec failed: exec failed: unable to start container process: exec: \"curl\": executable file not found in $PATH: unknown\r\n",
			err: "command terminated with exit code 126\n"},
		{cmd: "exec counter -- /usr/bin/curl", code: 126,
			out: "OCI runtime exec failed: exec failed: unable to start container process: exec: \"/usr/bin/curl\": stat /usr/bin/curl: no such file or directory: unknown\r\n",
			err: "command terminated with exit code 126\n"},
		{cmd: "exec counter -- sh -c 'curl -s http://localhost/'", code: 127, out: "sh: curl: not found\n", err: "command terminated with exit code 127\n"},
		{cmd: "exec counter -- sh -c 'which wget curl'", code: 1, out: "/bin/wget\n", err: "command terminated with exit code 1\n"},
		{cmd: "exec counter echo hi", code: 1, err: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"},
		{cmd: "exec counter", code: 1, err: "error: you must specify at least one command for the container\n"},
		{cmd: "exec -it counter -- sh", code: 1, err: "kubeplay: an interactive shell needs a terminal you type at (kubeplay, or kubeplay shell) and the Docker runtime. Here, run one command at a time, for example:\n  kubectl exec counter -- sh -c 'ls /; env'\n"},
		{cmd: "exec -t counter -- sh", code: 1, err: "kubeplay: a shell reads what you type only with -i; try:\n  kubectl exec -it counter -- sh\n"},
	})
}

func TestLabelAnnotate(t *testing.T) {
	runSteps(t, map[string]string{"counter.yaml": busyboxPod}, []step{
		{cmd: "apply -f counter.yaml", out: "pod/counter created\n"},
		{cmd: "label pod counter tier=web", out: "pod/counter labeled\n"},
		{cmd: "label pod counter tier=db", code: 1, err: "error: 'tier' already has a value (web), and --overwrite is false\n"},
		{cmd: "label pod counter tier=web", out: "pod/counter not labeled\n"},
		{cmd: "label pod/counter tier=db --overwrite", out: "pod/counter labeled\n"},
		{cmd: "label pod counter tier-", out: "pod/counter unlabeled\n"},
		{cmd: "label pods --all x=y", out: "pod/counter labeled\n"},
		{cmd: "label pods -l app=counter z=1", out: "pod/counter labeled\n"},
		{cmd: "label pod counter", code: 1, err: "error: at least one label update is required\nSee 'kubectl label -h' for help and examples\n"},
		{cmd: "annotate pod counter note=hi", out: "pod/counter annotated\n"},
		{cmd: "annotate pod counter note=ho", code: 1, err: "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hi)\n"},
		{cmd: "annotate pod counter note-", out: "pod/counter annotated\n"},
	})
}

func TestWait(t *testing.T) {
	runSteps(t, map[string]string{"counter.yaml": busyboxPod}, []step{
		{cmd: "wait --for=condition=Ready pod/counter --timeout=0s", code: 1, err: "Error from server (NotFound): pods \"counter\" not found\n"},
		{cmd: "apply -f counter.yaml", out: "pod/counter created\n"},
		{cmd: "wait --for=condition=Ready pod/counter", out: "pod/counter condition met\n"},
		{cmd: "wait --for=jsonpath={.status.phase}=Running pods --all", out: "pod/counter condition met\n"},
		{cmd: "wait --for=jsonpath={.status.phase}=Failed pods -l app=counter --timeout=2s", code: 1, err: "error: timed out waiting for the condition on pods/counter\n"},
		{cmd: "create deployment web --image=nginx", out: "deployment.apps/web created\n"},
		{cmd: "create deploy api --image=nginx", out: "deployment.apps/api created\n"},
		{cmd: "create ns dev", out: "namespace/dev created\n"},
		{cmd: "wait --for=condition=Available deploy/web", out: "deployment.apps/web condition met\n"},
		// The busybox loop is PID 1 and ignores SIGTERM: the pod stays
		// Terminating for its 30 s grace period, and wait sees it go.
		{cmd: "delete pod counter --wait=false", out: "pod \"counter\" deleted\n"},
		{cmd: "wait --for=delete pod/counter --timeout=60s", out: "pod/counter condition met\n"},
		{cmd: "wait --for=delete pod/counter"},
		{cmd: "wait --for=bogus pod/counter", code: 1, err: "error: unrecognized condition: \"bogus\"\n"},
	})
}

// topNote is what the built-in top says of the simulated runtime's figures.
const topNote = "kubeplay: simulated runtime: these figures come from a model (an idle app uses 1-3m of CPU, each request it answers costs some), measured every 15s.\n"

// TestTopEventsAndInfo: top has no figure for a pod until it has run a
// whole 15 s window, then metrics-server's (an idle busybox: 2m).
func TestTopEventsAndInfo(t *testing.T) {
	runSteps(t, map[string]string{"counter.yaml": busyboxPod}, []step{
		{cmd: "top pods", err: "No resources found in default namespace.\n"},
		{cmd: "events", err: "No events found in default namespace.\n"},
		{cmd: "apply -f counter.yaml", out: "pod/counter created\n"},
		{cmd: "top pods", code: 1, err: "error: metrics not available yet\n"},
		{cmd: "top pods", wait: 30 * time.Second,
			out: "NAME      CPU(cores)   MEMORY(bytes)   \ncounter   2m           7Mi             \n",
			err: topNote},
		{cmd: "top nodes",
			// node-1 and node-2 run a coredns replica each, node-3
			// metrics-server, every node a kube-proxy pod (each an idle
			// app: 1-3m, 5-9Mi); counter runs on node-1.
			out: "NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \nnode-1   65m          1%       619Mi           7%          \nnode-2   65m          1%       616Mi           7%          \nnode-3   64m          1%       614Mi           7%          \n",
			err: topNote},
		{cmd: "events --for pod/counter --types=Normal", outPrefix: "LAST SEEN   TYPE     REASON      OBJECT        MESSAGE\n31s         Normal   Scheduled   Pod/counter   Successfully assigned default/counter to node-1\n"},
		{cmd: "events --types=Warning", err: "No events found in default namespace.\n"},
		{cmd: "version", out: "Client Version: v1.33.0-kubeplay\nKustomize Version: v5.6.0\nServer Version: v1.33.0-kubeplay\n"},
		{cmd: "api-resources", outPrefix: "NAME                       SHORTNAMES   APIVERSION             NAMESPACED   KIND\nconfigmaps                 cm           v1                     true         ConfigMap\n"},
		{cmd: "cluster-info", out: "\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33mhttps://127.0.0.1:6443\x1b[0m\n\x1b[0;32mCoreDNS\x1b[0m is running at \x1b[0;33mhttps://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\x1b[0m\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"},
	})
}

func TestRunExplainHelp(t *testing.T) {
	runSteps(t, nil, []step{
		{cmd: "run t --image=busybox --restart=Never -- echo hello", out: "pod/t created\n"},
		{cmd: "logs t", wait: 3 * time.Second, out: "hello\n"},
		{cmd: "run x --image=nginx --restart=Sometimes", code: 1, err: "error: invalid restart policy: Sometimes\n"},
		{cmd: "run x --image=nginx --dry-run=client -o yaml", out: "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    run: x\n  name: x\nspec:\n  containers:\n  - image: nginx\n    name: x\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n"},
		{cmd: "explain deploy.spec.replicas", out: "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\nDESCRIPTION:\n    Number of desired pods. This is a pointer to distinguish between explicit\n    zero and not specified. Defaults to 1.\n    \n\n"},
		{cmd: "explain pods.spec.foo", code: 1, out: "KIND:       Pod\nVERSION:    v1\n\n", err: "error: field \"foo\" does not exist\n"},
		{cmd: "explain pods", outPrefix: "KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    Pod is a collection of containers that can run on a host. This resource is\n    created by clients and scheduled onto hosts.\n    \nFIELDS:\n  apiVersion\t<string>\n"},
		{cmd: "gt pods", code: 1, err: "error: unknown command \"gt\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\tset\n"},
		{cmd: "get pods --foo", code: 1, err: "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"},
		{cmd: "help", outPrefix: "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nBasic Commands (Beginner):\n  create          Create a resource from a file or from stdin\n  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service\n  run             Run a particular image on the cluster\n"},
	})
}

// TestGetWatchFieldSelector: get -w goes on selecting by the field
// selector it listed with, while both pods change.
func TestGetWatchFieldSelector(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"counter.yaml": busyboxPod, "crash.yaml": crasher}
	var out, errOut bytes.Buffer
	s := &Session{C: c, Out: &out, Err: &errOut, WatchFor: 30 * time.Second,
		ReadFile: func(name string) ([]byte, error) { return []byte(files[name]), nil }}
	for _, cmd := range [][]string{{"apply", "-f", "counter.yaml"}, {"apply", "-f", "crash.yaml"}} {
		if code := s.Exec(cmd); code != 0 {
			t.Fatalf("%v: exit %d: %s", cmd, code, errOut.String())
		}
	}
	out.Reset()
	if code := s.Exec([]string{"get", "pods", "-w", "--field-selector", "metadata.name=crash"}); code != 0 {
		t.Fatalf("get -w: exit %d: %s", code, errOut.String())
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(rows) < 3 || !strings.HasPrefix(rows[0], "NAME") {
		t.Fatalf("get -w printed %q, want a header and the crash pod's changes", out.String())
	}
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row, "crash ") {
			t.Errorf("get -w --field-selector metadata.name=crash printed %q", row)
		}
	}
}

// TestExecInteractiveOnTheSimulatedRuntime: where a front end lends its
// terminal (the TUI) but the runtime runs a command to its end before
// showing its output, exec -it says so instead of borrowing the terminal.
func TestExecInteractiveOnTheSimulatedRuntime(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	lent := false
	s := &Session{C: c, Out: &out, Err: &errOut,
		ReadFile: func(string) ([]byte, error) { return []byte(busyboxPod), nil },
		Terminal: func(bool, ExecSession) (int, error) { lent = true; return 0, nil }}
	if code := s.Exec([]string{"apply", "-f", "counter.yaml"}); code != 0 {
		t.Fatalf("apply: %d %s", code, errOut.String())
	}
	c.RunFor(3 * time.Second)
	errOut.Reset()
	code := s.Exec([]string{"exec", "-it", "counter", "--", "sh"})
	if code != 1 || lent || !strings.Contains(errOut.String(), "an interactive session (exec -it) needs the Docker runtime") ||
		!strings.Contains(errOut.String(), "kubectl exec counter -- sh -c 'ls /; env'") {
		t.Errorf("exec -it on the simulated runtime = %d (terminal lent: %v), stderr %q; want 1 and why, with what to do instead", code, lent, errOut.String())
	}
	// A command that is not a shell runs once, as tutorials' exec -it POD -- env expects.
	out.Reset()
	errOut.Reset()
	code = s.Exec([]string{"exec", "-it", "counter", "--", "echo", "hi"})
	if code != 0 || lent || out.String() != "hi\n" {
		t.Errorf("exec -it counter -- echo hi = %d (terminal lent: %v), stdout %q, stderr %q; want hi", code, lent, out.String(), errOut.String())
	}
}

// TestGetWatchFromNothing: get -w on an empty list says there is nothing,
// as kubectl does, and watches on: the first pod that comes brings the
// table's header with its row.
func TestGetWatchFromNothing(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	s := &Session{C: c, Out: &out, Err: &errOut, WatchFor: 30 * time.Second}
	if code := s.Exec([]string{"create", "deployment", "web", "--image=kubeplay/demo:v1"}); code != 0 {
		t.Fatalf("create deployment: exit %d: %s", code, errOut.String())
	}
	out.Reset()
	if code := s.Exec([]string{"get", "pods", "-w"}); code != 0 {
		t.Fatalf("get -w: exit %d: %s", code, errOut.String())
	}
	if got := errOut.String(); got != "No resources found in default namespace.\n" {
		t.Errorf("get -w on no pods said %q on stderr", got)
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(rows) < 2 || !strings.HasPrefix(rows[0], "NAME ") || !strings.HasPrefix(rows[1], "web-") {
		t.Fatalf("get -w printed %q, want a header, then the web pod's changes", out.String())
	}
	for _, row := range rows[1:] {
		if strings.HasPrefix(row, "NAME ") {
			t.Errorf("get -w printed the header again: %q", out.String())
		}
	}
}

const hpaTwoMetrics = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 30}
`

// TestGetInAnOlderVersion: RESOURCE.VERSION.GROUP names the version to
// read in. autoscaling/v1 shows the cpu target as
// targetCPUUtilizationPercentage and the rest in kube-apiserver's
// autoscaling.alpha.kubernetes.io/… annotations (the behavior in the
// internal type's spelling, defaulted). As with kubectl, a short name
// keeps only its group (hpa.v1.autoscaling reads in the preferred v2),
// and a version not served is no type.
func TestGetInAnOlderVersion(t *testing.T) {
	annotation := func(name string) string {
		return `{.metadata.annotations.autoscaling\.alpha\.kubernetes\.io/` + name + `}`
	}
	runSteps(t, map[string]string{"hpa.yaml": hpaTwoMetrics}, []step{
		{cmd: "apply -f hpa.yaml", out: "horizontalpodautoscaler.autoscaling/web created\n"},
		{cmd: "get horizontalpodautoscalers.v1.autoscaling web -o jsonpath='{.apiVersion} {.spec.targetCPUUtilizationPercentage} " + annotation("metrics") + "'",
			out: `autoscaling/v1 50 [{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]`},
		{cmd: "get horizontalpodautoscaler.v1.autoscaling/web -o jsonpath='" + annotation("behavior") + "'",
			out: `{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},` +
				`{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":{"StabilizationWindowSeconds":30,"SelectPolicy":"Max",` +
				`"Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null}}`},
		{cmd: "get horizontalpodautoscalers.v1.autoscaling -o jsonpath='{.items[0]" + strings.TrimPrefix(annotation("conditions"), "{") + "'", wait: 16 * time.Second,
			out: `[{"type":"AbleToScale","status":"False","lastTransitionTime":"2026-01-01T09:00:17Z","reason":"FailedGetScale",` +
				`"message":"the HPA controller was unable to get the target's current scale: deployments.apps \"web\" not found"}]`},
		{cmd: "get hpa.v1.autoscaling web -o jsonpath='{.apiVersion} {.spec.metrics[1].resource.name}'", out: "autoscaling/v2 memory"},
		// The walkthrough's older pages read hpa.v2beta2.autoscaling, which
		// 1.26 stopped serving; kubectl drops a short name's version.
		{cmd: "get hpa.v2beta2.autoscaling web -o jsonpath='{.apiVersion}'", out: "autoscaling/v2"},
		{cmd: "get horizontalpodautoscalers.v2beta2.autoscaling", code: 1, err: "error: the server doesn't have a resource type \"horizontalpodautoscalers\"\n"},
	})
}

// TestEndpointsDeprecationWarning: a command that reads or writes v1
// Endpoints gets kube-apiserver 1.33's deprecation warning, once however
// many requests it sends (kubectl deduplicates); EndpointSlices get none.
func TestEndpointsDeprecationWarning(t *testing.T) {
	const warning = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
	runSteps(t, nil, []step{
		{cmd: "get ep kubernetes -o name", out: "endpoints/kubernetes\n", err: warning},
		{cmd: "get ep kubernetes nope -o name", out: "endpoints/kubernetes\n", code: 1,
			err: warning + "Error from server (NotFound): endpoints \"nope\" not found\n"},
		{cmd: "get endpointslices kubernetes -o name", out: "endpointslice.discovery.k8s.io/kubernetes\n"},
		{cmd: "get svc kubernetes -o name", out: "service/kubernetes\n"},
	})
}

// TestGetSeveralMissingNames: kubectl reads on past a missing name and
// prints every NotFound at the end, after what it found (seen with a real
// kubectl against kubeplay's API).
func TestGetSeveralMissingNames(t *testing.T) {
	runSteps(t, nil, []step{
		{cmd: "create deployment web --image=nginx", out: "deployment.apps/web created\n"},
		{cmd: "get pods a b", code: 1,
			err: "Error from server (NotFound): pods \"a\" not found\nError from server (NotFound): pods \"b\" not found\n"},
		{cmd: "get deploy nope web nope2 -o name", code: 1, out: "deployment.apps/web\n",
			err: "Error from server (NotFound): deployments.apps \"nope\" not found\nError from server (NotFound): deployments.apps \"nope2\" not found\n"},
	})
}

// TestCreateDeploymentPortAndImages: --port is the first container's
// containerPort and each --image a container of its own, as kubectl's
// create deployment builds them; a command with several images is refused
// in kubectl's words.
func TestCreateDeploymentPortAndImages(t *testing.T) {
	runSteps(t, nil, []step{
		{cmd: "create deployment web --image=nginx --image=busybox:1.28 --port=80", out: "deployment.apps/web created\n"},
		{cmd: "get deploy web -o jsonpath='{.spec.template.spec.containers[*].name} {.spec.template.spec.containers[0].ports[0].containerPort} {.spec.template.spec.containers[1].ports}'",
			out: "nginx busybox 80 "},
		{cmd: "create deployment two --image=nginx,busybox -- date", code: 1,
			err: "error: cannot specify multiple --image options and command\n"},
		{cmd: "create deployment one --image=nginx -- date", out: "deployment.apps/one created\n"},
		{cmd: "get deploy one -o jsonpath='{.spec.template.spec.containers[0].command} {.spec.template.spec.containers[0].ports}'", out: "[\"date\"] "},
	})
}
