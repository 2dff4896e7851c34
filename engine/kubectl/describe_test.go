package kubectl

import (
	"io"
	"testing"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/printers"
)

// TestEveryServedKindDescribes: kubectl describes every kind, with a
// describer of its own or its generic one, so describe must never answer
// "no describer" for a kind kubeplay serves.
func TestEveryServedKindDescribes(t *testing.T) {
	for _, res := range apiserver.Resources() {
		if err := printers.Describe(io.Discard, res.New(), printers.DescribeContext{}); err != nil {
			t.Errorf("describe %s: %v", res.Name, err)
		}
	}
}

// describedConfigMap is describe's output for an empty ConfigMap.
func describedConfigMap(name string) string {
	return "Name:         " + name + "\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\n" +
		"Data\n====\n\nBinaryData\n====\n\nEvents:  <none>\n"
}

// TestDescribeSeveralNames: as kubectl's describe, several names print
// what was found, then every not found; TYPE NAME with no such name
// describes the names it begins, each followed by a blank line; TYPE/NAME
// forms never match by prefix; names and -l do not go together.
func TestDescribeSeveralNames(t *testing.T) {
	notFound := func(name string) string {
		return "Error from server (NotFound): configmaps \"" + name + "\" not found\n"
	}
	runSteps(t, nil, []step{
		{cmd: "create configmap a1", out: "configmap/a1 created\n"},
		{cmd: "create configmap a2", out: "configmap/a2 created\n"},
		{cmd: "create configmap b", out: "configmap/b created\n"},
		{cmd: "describe cm a1 nope b nada", code: 1, out: describedConfigMap("a1") + "\n\n" + describedConfigMap("b"),
			err: notFound("nope") + notFound("nada")},
		{cmd: "describe cm a", out: describedConfigMap("a1") + "\n" + describedConfigMap("a2") + "\n"},
		{cmd: "describe cm c", code: 1, err: notFound("c")},
		{cmd: "describe cm/a1 cm/a", code: 1, err: notFound("a")},
		{cmd: "describe cm a b", out: describedConfigMap("b"), code: 1, err: notFound("a")},
		{cmd: "describe cm -l x=y", err: "No resources found in default namespace.\n"},
		{cmd: "describe cm a1 -l x=y", code: 1, err: "error: name cannot be provided when a selector is specified\n"},
	})
}
