package kubectl

import "testing"

func TestPatch(t *testing.T) {
	runSteps(t, nil, []step{
		{cmd: "create deployment web --image=nginx --replicas=2", out: "deployment.apps/web created\n"},
		{cmd: `patch deployment web -p '{"spec":{"replicas":3}}'`, out: "deployment.apps/web patched\n"},
		{cmd: `get deployment web -o jsonpath={.spec.replicas}`, out: "3"},
		{cmd: `patch deployment web -p '{"spec":{"replicas":3}}'`, out: "deployment.apps/web patched (no change)\n"},
		{cmd: `patch deployment web --type merge -p '{"metadata":{"labels":{"tier":"front"}}}'`, out: "deployment.apps/web patched\n"},
		{cmd: `get deployment web -o jsonpath={.metadata.labels.tier}`, out: "front"},
		{cmd: `patch deployment web --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.16.1"}]'`, out: "deployment.apps/web patched\n"},
		{cmd: `get deployment web -o jsonpath={.spec.template.spec.containers[0].image}`, out: "nginx:1.16.1"},
		{cmd: `patch deployment web -p 'spec: {replicas: -1}'`, code: 1,
			err: "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"},
		{cmd: `patch deployment nope -p '{}'`, code: 1, err: "Error from server (NotFound): deployments.apps \"nope\" not found\n"},
	})
}
