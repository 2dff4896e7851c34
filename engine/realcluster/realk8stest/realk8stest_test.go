package realk8stest_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/realcluster/realk8stest"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/utils/ptr"
)

// TestControlPlaneRunsADeploymentAndStopsClean starts the real control
// plane, has its controller-manager, scheduler and KWOK take a Deployment
// to three Running pods on three nodes, and stops it: no process of it is
// left and its apiserver's port is closed.
func TestControlPlaneRunsADeploymentAndStopsClean(t *testing.T) {
	cp := realk8stest.Start(t, 3)
	if got := len(cp.PIDs()); got != len(realk8stest.Components) {
		t.Fatalf("%d of %d components run: %v", got, len(realk8stest.Components), cp.PIDs())
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", cp.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cs := kubernetes.NewForConfigOrDie(cfg)
	ctx := context.Background()
	v, err := cs.Discovery().ServerVersion()
	if err != nil || !strings.HasPrefix(v.GitVersion, "v1.") {
		t.Fatalf("server version %v, %v: the build must stamp its version", v, err)
	}
	nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil || len(nodes.Items) != 3 {
		t.Fatalf("nodes: %v, %v", nodes, err)
	}
	labels := map[string]string{"app": "web"}
	_, err = cs.AppsV1().Deployments("default").Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](3),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx:1.27"}}},
			},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	realk8stest.Wait(t, 60*time.Second, "3 pods of web Running on a node", func() (bool, error) {
		pods, err := cs.CoreV1().Pods("default").List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
		if err != nil {
			return false, err
		}
		running := 0
		for _, p := range pods.Items {
			if p.Status.Phase == corev1.PodRunning && p.Spec.NodeName != "" {
				running++
			}
		}
		return running == 3, nil
	})

	cp.Stop(t)
	if pids := cp.PIDs(); len(pids) != 0 {
		t.Errorf("still running after Stop: %v", pids)
	}
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(cp.Server, "https://"), time.Second); err == nil {
		c.Close()
		t.Errorf("%s still answers after Stop", cp.Server)
	}
}
