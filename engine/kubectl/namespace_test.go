package kubectl

import "testing"

func TestDeletingANamespaceEmptiesIt(t *testing.T) {
	runSteps(t, nil, []step{
		{cmd: "create namespace dev", out: "namespace/dev created\n"},
		{cmd: "run web --image=nginx -n dev", out: "pod/web created\n"},
		{cmd: "create deployment api --image=nginx --replicas=2 -n dev", out: "deployment.apps/api created\n"},
		{cmd: "delete namespace dev", out: "namespace \"dev\" deleted\n"},
		{cmd: "get pods -A", out: "NAMESPACE     NAME                             READY   STATUS    RESTARTS   AGE\nkube-system   coredns-869d794ddc-7jv99         1/1     Running   0          3s\nkube-system   coredns-869d794ddc-wmk72         1/1     Running   0          3s\nkube-system   kube-proxy-fjgdd                 1/1     Running   0          3s\nkube-system   kube-proxy-jj4f4                 1/1     Running   0          3s\nkube-system   kube-proxy-t5msx                 1/1     Running   0          3s\nkube-system   metrics-server-8b6b7bb76-znz24   1/1     Running   0          3s\n"},
		{cmd: "get deployments -n dev", err: "No resources found in dev namespace.\n"},
		{cmd: "run again --image=nginx -n dev", err: "Error from server (NotFound): namespaces \"dev\" not found\n", code: 1},
		{cmd: "delete namespace kube-system", err: "Error from server (Forbidden): namespaces \"kube-system\" is forbidden: this namespace may not be deleted\n", code: 1},
	})
}
