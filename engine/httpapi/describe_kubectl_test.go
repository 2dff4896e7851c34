package httpapi

import (
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/sim"

	"k8s.io/apimachinery/pkg/runtime"
	clientscheme "k8s.io/client-go/kubernetes/scheme"
)

// kindsToDescribe are objects of the kinds describe once had no describer
// for, in the shapes the printers' goldens print: subsets with pods not
// ready and unnamed ports, slice ports without a name or a number,
// endpoints with a hostname and a zone, every StorageClass field, a
// revision whose data has dashed and dotted keys.
var kindsToDescribe = []string{
	`{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"fast","annotations":{"team":"storage"}},
 "provisioner":"kubeplay.io/storage","parameters":{"type":"ssd","fsType":"ext4"},"allowVolumeExpansion":true,
 "mountOptions":["debug","noatime"],"reclaimPolicy":"Retain","volumeBindingMode":"WaitForFirstConsumer",
 "allowedTopologies":[{"matchLabelExpressions":[{"key":"topology.kubernetes.io/zone","values":["zone-a","zone-b"]},
  {"key":"kubernetes.io/os","values":["linux"]}]}]}`,
	`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","labels":{"team":"a"},"annotations":{"owner":"ops"}}}`,
	`{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"manual","namespace":"default","labels":{"app":"manual"}},"subsets":[
 {"addresses":[{"ip":"10.244.9.2"},{"ip":"10.244.9.3"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]},
 {"addresses":[{"ip":"10.244.9.4"}],"notReadyAddresses":[{"ip":"10.244.9.5"},{"ip":"10.244.9.6"}],"ports":[{"port":9090,"protocol":"UDP"}]}]}`,
	`{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"manual-x2k9p","namespace":"default","labels":{"kubernetes.io/service-name":"manual"}},
 "addressType":"IPv4","ports":[{"name":"http","port":8080,"protocol":"TCP"},{"protocol":"UDP"}],"endpoints":[
 {"addresses":["10.244.9.2"],"conditions":{"ready":true},"nodeName":"node-1","targetRef":{"kind":"Pod","namespace":"default","name":"db-0"}},
 {"addresses":["10.244.9.3","10.244.9.4"],"conditions":{"ready":false},"hostname":"db-1","zone":"zone-a"}]}`,
	`{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"manual-1","namespace":"default","labels":{"app":"manual"}},"revision":1000000,
 "data":{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"manual","app.kubernetes.io/name":"manual"}},
  "spec":{"containers":[{"name":"db","image":"busybox","ports":[{"containerPort":8080}]}],"nodeSelector":{"disk-type":"ssd"}}}}}}`,
}

// createInBoth creates objects in both clusters through their apiservers
// (kubeplay's manifests do not take every kind a test describes).
func (tw *twins) createInBoth(docs []string) {
	tw.t.Helper()
	for _, c := range []*cluster.Cluster{tw.real, tw.builtin} {
		for _, doc := range docs {
			obj, _, err := clientscheme.Codecs.UniversalDeserializer().Decode([]byte(doc), nil, nil)
			if err != nil {
				tw.t.Fatal(err)
			}
			done := false
			c.Submit("kubectl", apiserver.Request{Verb: sim.VerbCreate, Object: obj,
				Done: func(_ runtime.Object, e error) { err, done = e, true }})
			c.Wait(time.Minute, func() bool { return done })
			if err != nil {
				tw.t.Fatalf("create %s: %v", doc, err)
			}
		}
	}
}

// TestRealKubectlDescribesEveryKind: describe prints every kind kubeplay
// serves as a real kubectl does, the ones with a describer of their own
// (Endpoints, EndpointSlice, Namespace, StorageClass) and the ones kubectl
// describes generically (ControllerRevision, Event); by name, several
// names, -l and all of a kind.
func TestRealKubectlDescribesEveryKind(t *testing.T) {
	tw := newTwins(t)
	tw.same(nil, "", "create", "deployment", "web", "--image=nginx", "--replicas=2")
	tw.same(lastLine, "", "rollout", "status", "deployment/web")
	tw.same(nil, "", "expose", "deployment", "web", "--port=80")
	ds := `{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","labels":{"app":"agent"}},"spec":{"selector":{"matchLabels":{"app":"agent"}},
"template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"agent","image":"busybox","command":["sleep","3600"]}]}}}}`
	tw.same(nil, ds, "apply", "-f", "-")
	tw.same(lastLine, "", "rollout", "status", "daemonset/agent")
	tw.createInBoth(kindsToDescribe)
	event := strings.SplitN(tw.runReal("", 30*time.Second, "get", "events", "-o", "name").out, "\n", 2)[0]
	if !strings.HasPrefix(event, "event/") {
		t.Fatalf("no event to describe: %q", event)
	}
	for _, args := range [][]string{
		{"ep", "web"}, {"endpoints"}, {"ep", "-l", "app=manual"}, {"ep", "web", "manual"},
		{"endpointslice"}, {"endpointslices", "-l", "kubernetes.io/service-name=web"}, {"endpointslice", "manual-x2k9p"},
		{"ns", "default"}, {"namespaces"}, {"ns", "default", "shop"}, {"ns", "-l", "team=a"},
		{"storageclass"}, {"sc", "fast"}, {"sc", "-l", "nope=1"},
		{"controllerrevision"}, {"controllerrevisions", "-l", "app=manual"},
		{event}, {"ev", "-l", "nope=1"},
		{"ep", "manual", "nope", "web", "nada"}, {"ep", "we"}, {"ep", "we", "manual"}, {"ep/web", "ep/nope"}, {"ep/web", "ep/we"}, {"ns", "default", "-l", "team=a"},
	} {
		tw.same(describeNorm, "", append([]string{"describe"}, args...)...)
	}
}
