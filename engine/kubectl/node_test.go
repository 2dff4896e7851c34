package kubectl

import "testing"

func TestNodeCommands(t *testing.T) {
	runSteps(t, nil, []step{
		{cmd: "cordon node-1", out: "node/node-1 cordoned\n"},
		{cmd: "cordon node-1", out: "node/node-1 already cordoned\n"},
		{cmd: "get node node-1 -o jsonpath={.spec.unschedulable}", out: "true"},
		{cmd: "uncordon node-1", out: "node/node-1 uncordoned\n"},
		{cmd: "taint nodes node-2 dedicated=gpu:NoSchedule", out: "node/node-2 tainted\n"},
		{cmd: "get node node-2 -o jsonpath={.spec.taints[0].key}", out: "dedicated"},
		{cmd: "taint node-2 dedicated:NoSchedule-", out: "node/node-2 untainted\n"},
		{cmd: "taint node-2 dedicated-", code: 1, err: "error: taint \"dedicated\" not found\n"},
		{cmd: "taint node-2 dedicated=gpu", code: 1, err: "error: invalid taint spec: dedicated=gpu, unknown taint effect\n"},
		{cmd: "create deployment web --image=nginx", out: "deployment.apps/web created\n"},
		{cmd: "wait --for=condition=Available deploy/web", out: "deployment.apps/web condition met\n"},
		{cmd: "drain node-1", outPrefix: "node/node-1 cordoned\n"},
		{cmd: "cordon node-9", code: 1, err: "Error from server (NotFound): nodes \"node-9\" not found\n"},
	})
}
